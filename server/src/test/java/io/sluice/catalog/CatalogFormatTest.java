package io.sluice.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.destination.DestinationRegistry;
import io.sluice.destination.http.HttpEndpointDestinationSpec;
import io.sluice.destination.s3.S3DestinationSpec;
import io.sluice.testing.LocalDestinationTypes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Catalog files written by earlier releases (format 1, kept under {@code catalog-format-1}) load with
 * Sluice's destination types and are written back byte for byte, so data directories carry over.
 */
class CatalogFormatTest {
    private static final Path ACCOUNT_REGION = Path.of("000000000000", "us-east-1");

    @TempDir
    Path dir;

    private LocalDestinationTypes types;
    private DestinationRegistry destinations;

    @BeforeEach
    void open() throws IOException {
        types = LocalDestinationTypes.in(dir);
        destinations = types.registry();
    }

    @AfterEach
    void close() {
        types.close();
    }

    private static Path golden() throws URISyntaxException {
        return Path.of(CatalogFormatTest.class.getResource("catalog-format-1").toURI())
                .resolve(ACCOUNT_REGION);
    }

    private Map<String, DeliveryStream> load(Path catalog) {
        return new FileCatalogStore(catalog, destinations)
                .loadAll().stream().collect(Collectors.toMap(s -> s.ref().name(), Function.identity()));
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }

    @Test
    void loadsEveryDestinationAsItsType() throws Exception {
        copy(golden(), dir.resolve("catalog").resolve(ACCOUNT_REGION));
        Map<String, DeliveryStream> streams = load(dir.resolve("catalog"));
        assertThat(streams).hasSize(5);
        assertThat(streams.get("s3-full").destination().spec()).isInstanceOf(S3DestinationSpec.class);
        assertThat(streams.get("s3-updated").version()).isEqualTo(3);
        HttpEndpointDestinationSpec http = (HttpEndpointDestinationSpec)
                streams.get("http-updated").destination().spec();
        assertThat(http.endpoint().accessKey()).contains("k1");
    }

    @Test
    void writesEveryFileBackByteForByte() throws Exception {
        copy(golden(), dir.resolve("catalog").resolve(ACCOUNT_REGION));
        FileCatalogStore rewritten = new FileCatalogStore(dir.resolve("rewritten"), destinations);
        load(dir.resolve("catalog"))
                .values()
                .forEach(s -> rewritten.change(s.ref(), Optional.empty(), none -> Optional.of(s)));
        try (Stream<Path> files = Files.list(golden())) {
            for (Path file : files.toList()) {
                assertThat(dir.resolve("rewritten").resolve(ACCOUNT_REGION).resolve(file.getFileName()))
                        .as(file.getFileName().toString())
                        .hasSameBinaryContentAs(file);
            }
        }
    }

    @Test
    void refusesAFileWhoseDestinationNoTypeReadsNamingIt() throws Exception {
        Path stored = dir.resolve("catalog").resolve(ACCOUNT_REGION).resolve("snowflake.json");
        Files.createDirectories(stored.getParent());
        Files.writeString(
                stored,
                Files.readString(golden().resolve("s3-old.json"))
                        .replace("ExtendedS3DestinationConfiguration", "SnowflakeDestinationConfiguration"));
        assertThatThrownBy(() -> load(dir.resolve("catalog")))
                .isInstanceOf(UncheckedIOException.class)
                .cause()
                .hasMessageContaining(stored.toString())
                .hasMessageContaining("found []");
    }
}
