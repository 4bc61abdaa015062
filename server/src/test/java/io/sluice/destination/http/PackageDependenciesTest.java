package io.sluice.destination.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The HTTP endpoint destination uses {@code catalog}, {@code destination}, the JDK and Jackson only: never the
 * API, the composition root, the record log or the delivery engine (STYLE.md's package table).
 */
class PackageDependenciesTest {
    private static final Path SOURCES = Path.of("src/main/java/io/sluice/destination/http");
    private static final List<String> FORBIDDEN = List.of(
            "io.sluice.api",
            "io.sluice.server",
            "io.sluice.log",
            "io.sluice.delivery",
            "io.sluice.ingest",
            "io.sluice.destination.s3");

    @Test
    void importsNoPackageAboveIt() throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.list(SOURCES)) {
            sources = files.filter(f -> f.toString().endsWith(".java")).toList();
        }
        assertThat(sources).isNotEmpty();
        for (Path source : sources) {
            for (String line : Files.readAllLines(source)) {
                if (line.startsWith("import ")) {
                    assertThat(FORBIDDEN)
                            .as("%s: %s", source.getFileName(), line)
                            .noneMatch(p -> line.contains(" " + p + ".") || line.contains("static " + p + "."));
                }
            }
        }
    }
}
