package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The package rules of the architecture (docs/ARCHITECTURE.md): nothing imports the composition root
 * or the API, the record log knows nothing of streams, only the composition root knows the journal
 * behind the log port, destinations never import the engine, the catalog knows no destination, metrics
 * know no destination, running Lambda functions knows nothing of streams, and the catalog and common values stay
 * below everything else; only the composition root knows the cluster's PostgreSQL stores. Checked on the
 * import lines of the sources.
 */
class PackageDependenciesTest {
    private static final Path SOURCES = Path.of("src/main/java/io/sluice");

    /**
     * A package (and its subpackages that have no rule of their own) and the packages it must not
     * import. Its own packages are allowed, except those it names as forbidden.
     */
    record Rule(String pkg, List<String> forbidden) {
        Path directory() {
            return SOURCES.resolve(pkg.replace('.', '/'));
        }

        boolean forbids(String imported) {
            String own = "io.sluice." + pkg + ".";
            return forbidden.stream().anyMatch(p -> {
                String prefix = p.endsWith(".") ? p : p + ".";
                return imported.startsWith(prefix) && (prefix.startsWith(own) || !imported.startsWith(own));
            });
        }

        @Override
        public String toString() {
            return pkg;
        }
    }

    static List<Rule> rules() {
        List<String> upper = List.of("io.sluice.server", "io.sluice.api", "io.sluice.console", "io.sluice.log.journal");
        List<String> aboveLog = List.of(
                "io.sluice.server",
                "io.sluice.api",
                "io.sluice.catalog",
                "io.sluice.delivery",
                "io.sluice.destination",
                "io.sluice.ingest",
                "io.sluice.metrics",
                "io.sluice.source");
        List<Rule> rules = List.of(
                new Rule("common", List.of("io.sluice.")),
                new Rule(
                        "log",
                        Stream.concat(aboveLog.stream(), Stream.of("io.sluice.log.journal"))
                                .toList()),
                new Rule("log.journal", aboveLog),
                new Rule(
                        "catalog",
                        List.of(
                                "io.sluice.server",
                                "io.sluice.api",
                                "io.sluice.log",
                                "io.sluice.delivery",
                                "io.sluice.destination",
                                "io.sluice.processor",
                                "io.sluice.ingest",
                                "io.sluice.source",
                                "io.sluice.metrics")),
                new Rule(
                        "destination",
                        List.of(
                                "io.sluice.server",
                                "io.sluice.api",
                                "io.sluice.log",
                                "io.sluice.delivery",
                                "io.sluice.ingest",
                                "io.sluice.source")),
                // Processors know their stream's name (Lambda's event) and publish its processing metrics,
                // but nothing of destinations, the engine or the log.
                new Rule(
                        "processor",
                        List.of(
                                "io.sluice.server",
                                "io.sluice.api",
                                "io.sluice.log",
                                "io.sluice.delivery",
                                "io.sluice.destination",
                                "io.sluice.ingest",
                                "io.sluice.source")),
                new Rule(
                        "lambda",
                        List.of(
                                "io.sluice.server",
                                "io.sluice.api",
                                "io.sluice.log",
                                "io.sluice.catalog",
                                "io.sluice.delivery",
                                "io.sluice.destination",
                                "io.sluice.processor",
                                "io.sluice.ingest",
                                "io.sluice.source",
                                "io.sluice.metrics")),
                new Rule(
                        "source",
                        List.of(
                                "io.sluice.server",
                                "io.sluice.api",
                                "io.sluice.log.journal",
                                "io.sluice.delivery",
                                "io.sluice.destination",
                                "io.sluice.ingest")),
                // PostgreSQL behind the cluster's ports: the catalog's, the data keys', the Kafka log's offsets,
                // the sources' positions.
                new Rule(
                        "cluster.postgres",
                        List.of(
                                "io.sluice.server",
                                "io.sluice.api",
                                "io.sluice.console",
                                "io.sluice.log.journal",
                                "io.sluice.delivery",
                                "io.sluice.destination",
                                "io.sluice.processor",
                                "io.sluice.lambda",
                                "io.sluice.source.kafka",
                                "io.sluice.source.kinesis",
                                "io.sluice.metrics")),
                new Rule("delivery", upper),
                new Rule("ingest", upper),
                new Rule(
                        "metrics",
                        List.of("io.sluice.server", "io.sluice.api", "io.sluice.log.journal", "io.sluice.destination")),
                new Rule("api", List.of("io.sluice.server", "io.sluice.log.journal", "io.sluice.console")),
                // The console runs every change through the API's operations; it never reaches the journal.
                new Rule("console", List.of("io.sluice.server", "io.sluice.log.journal")));
        // Only the composition root chooses the cluster's stores: every other package knows the ports only.
        return rules.stream()
                .map(rule -> rule.pkg().startsWith("cluster")
                        ? rule
                        : new Rule(
                                rule.pkg(),
                                Stream.concat(rule.forbidden().stream(), Stream.of("io.sluice.cluster"))
                                        .toList()))
                .toList();
    }

    @ParameterizedTest
    @MethodSource("rules")
    void importsOnlyWhatItMay(Rule rule) throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.walk(rule.directory())) {
            sources = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> rule.equals(governing(f)))
                    .toList();
        }
        assertThat(sources).isNotEmpty();
        for (Path source : sources) {
            for (String line : Files.readAllLines(source)) {
                if (line.startsWith("import ")) {
                    String imported = line.replace("import static ", "").replace("import ", "");
                    assertThat(rule.forbids(imported))
                            .as("%s: %s", SOURCES.relativize(source), line)
                            .isFalse();
                }
            }
        }
    }

    /** The rule of the most specific package holding {@code source}. */
    private static Rule governing(Path source) {
        return rules().stream()
                .filter(rule -> source.startsWith(rule.directory()))
                .max(Comparator.comparingInt(rule -> rule.pkg().length()))
                .orElseThrow();
    }
}
