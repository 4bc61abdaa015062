package io.sluice.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.ExternalCommand;
import io.sluice.testing.RunningSluice;
import io.sluice.testing.SluiceProcess;
import io.sluice.testing.Streams;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponse;
import software.amazon.awssdk.services.firehose.model.Record;

/**
 * The release package as a user gets it: unpacked with {@code tar} into a temporary folder and started
 * with its launcher, outside the source tree, with only a Java runtime ({@code JAVA_HOME}) and the
 * system's {@code PATH} in its environment.
 */
class ReleasePackageIT {
    /** The tar.gz `package` made; failsafe names it (see pom.xml). */
    private static final String PACKAGE = System.getProperty("sluice.package");

    private Path folder;
    private Path home;

    @BeforeEach
    void unpack() throws IOException {
        assertThat(PACKAGE)
                .as("system property sluice.package (run through mvn verify)")
                .isNotNull();
        folder = Files.createTempDirectory("sluice-release-");
        ExternalCommand.Result tar =
                ExternalCommand.run(Map.of(), null, "tar", "-xzf", PACKAGE, "-C", folder.toString());
        assertThat(tar.exitCode()).as(tar.stderr()).isZero();
        List<Path> top;
        try (Stream<Path> entries = Files.list(folder)) {
            top = entries.toList();
        }
        assertThat(top).as("the package's top-level entries").hasSize(1);
        home = top.getFirst();
    }

    @AfterEach
    void deleteFolder() {
        RunningSluice.deleteRecursively(folder);
    }

    /** Only what a machine without Maven or a checkout has: a Java runtime and the system's tools. */
    private static Map<String, String> runtimeOnly(String javaHome) {
        return Map.of("JAVA_HOME", javaHome, "PATH", "/usr/bin:/bin", "LANG", "C.UTF-8");
    }

    @Test
    void holdsTheLauncherTheJarsTheConfigTheUnitAndTheLicences() throws IOException {
        assertThat(home.getFileName().toString()).startsWith("sluice-");
        assertThat(Files.getPosixFilePermissions(home.resolve("bin/sluice")))
                .contains(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);
        assertThat(home.resolve("conf/sluice.properties")).isRegularFile();
        assertThat(Files.readString(home.resolve("systemd/sluice.service")))
                .contains("User=sluice", "StateDirectory=sluice", "Restart=on-failure");
        assertThat(Files.readString(home.resolve("LICENSE"))).contains("Apache License", "Version 2.0");
        assertThat(Files.readString(home.resolve("README.md")))
                .contains("bin/sluice serve")
                .doesNotContain("${project.version}");

        List<Path> jars;
        try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
            jars = lib.sorted().toList();
        }
        assertThat(jars).anyMatch(jar -> jar.getFileName().toString().startsWith("sluice-server-"));
        String thirdParty = Files.readString(home.resolve("THIRD-PARTY.txt"), StandardCharsets.UTF_8);
        List<String> unlisted = new ArrayList<>();
        for (Path jar : jars) {
            String name = jar.getFileName().toString();
            String coordinates = thirdPartyCoordinates(name);
            if (!thirdParty.contains(coordinates + " ") && !thirdParty.contains(coordinates + ")")) {
                unlisted.add(name);
            }
        }
        assertThat(unlisted).as("bundled jars missing from THIRD-PARTY.txt").isEmpty();
        assertThat(home.resolve("licenses/jackson-core-" + versionOf(jars, "jackson-core") + "-jar/NOTICE"))
                .isRegularFile();
        assertThat(home.resolve("licenses/joni-jcodings-MIT.txt")).isRegularFile();
        assertThat(home.resolve("licenses/snappy-java-native.txt")).isRegularFile();
    }

    /** {@code jackson-core-2.22.4.jar} is listed as {@code (... com.fasterxml.jackson.core:jackson-core:2.22.4 - URL)}. */
    private static String thirdPartyCoordinates(String jarName) {
        String base = jarName.substring(0, jarName.length() - ".jar".length());
        int dash = versionDash(base);
        return ":" + base.substring(0, dash) + ":" + base.substring(dash + 1);
    }

    /** The dash before the version: the first {@code -} followed by a digit. */
    private static int versionDash(String base) {
        for (int i = 0; i + 1 < base.length(); i++) {
            if (base.charAt(i) == '-' && Character.isDigit(base.charAt(i + 1))) {
                return i;
            }
        }
        throw new AssertionError("no version in the jar name " + base);
    }

    private static String versionOf(Collection<Path> jars, String artifactId) {
        return jars.stream()
                .map(jar -> jar.getFileName().toString())
                .filter(name ->
                        name.startsWith(artifactId + "-") && Character.isDigit(name.charAt(artifactId.length() + 1)))
                .map(name -> name.substring(artifactId.length() + 1, name.length() - ".jar".length()))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void startsWithTheExampleConfigThenCreatesPutsAndDelivers() throws Exception {
        Path dataDir = folder.resolve("data");
        List<String> command = List.of(
                home.resolve("bin/sluice").toString(),
                "serve",
                "--config",
                home.resolve("conf/sluice.properties").toString(),
                "--port",
                "0",
                "--data-dir",
                dataDir.toString());
        try (SluiceProcess sluice = SluiceProcess.start(
                        command, runtimeOnly(System.getProperty("java.home")), folder, folder.resolve("sluice.log"));
                FirehoseClient client = sluice.client()) {
            assertThat(ProcessHandle.of(sluice.pid()).orElseThrow().info().command())
                    .as("the launcher execs the JVM, so the pid it was started with is Sluice's")
                    .hasValueSatisfying(java -> assertThat(java).endsWith("/java"));

            Streams.createS3(
                    client,
                    "release-check",
                    "release-bucket",
                    s -> s.bufferingHints(b -> b.intervalInSeconds(0).sizeInMBs(1)));
            List<String> sent = IntStream.range(0, 50)
                    .mapToObj(i -> "{\"record\":" + i + "}")
                    .toList();
            Streams.put(client, "release-check", sent.getFirst() + "\n");
            PutRecordBatchResponse batch = client.putRecordBatch(b -> b.deliveryStreamName("release-check")
                    .records(sent.subList(1, sent.size()).stream()
                            .map(text -> Record.builder()
                                    .data(SdkBytes.fromUtf8String(text + "\n"))
                                    .build())
                            .toList()));
            assertThat(batch.failedPutCount()).isZero();

            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(deliveredLines(dataDir, "release-bucket"))
                            .containsExactlyInAnyOrderElementsOf(sent));
            assertThat(sluice.terminate()).isIn(0, 143);
        }
    }

    private static List<String> deliveredLines(Path dataDir, String bucket) {
        return Streams.linesByFolder(dataDir, bucket).values().stream()
                .flatMap(List::stream)
                .toList();
    }

    @Test
    void takesJavaFromPathWithoutJavaHomeAndPassesArgumentsThrough() throws IOException {
        Path bin = Files.createDirectories(folder.resolve("path-bin"));
        Files.createSymbolicLink(bin.resolve("java"), Path.of(System.getProperty("java.home"), "bin", "java"));

        ExternalCommand.Result result = ExternalCommand.run(
                Map.of("JAVA_HOME", "", "PATH", bin + ":/usr/bin:/bin"),
                null,
                home.resolve("bin/sluice").toString(),
                "--version");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).startsWith("sluice ").doesNotContain("unknown");
    }

    @Test
    void refusesAJavaOlderThan21SayingWhich() throws IOException {
        Path oldJava = folder.resolve("jdk-17");
        Files.createDirectories(oldJava.resolve("bin"));
        Path java = oldJava.resolve("bin/java");
        Files.writeString(java, """
                #!/bin/sh
                echo 'openjdk version "17.0.13" 2024-10-15' >&2
                echo 'OpenJDK Runtime Environment (build 17.0.13+11)' >&2
                """);
        java.toFile().setExecutable(true);

        ExternalCommand.Result result = ExternalCommand.run(
                runtimeOnly(oldJava.toString()),
                null,
                home.resolve("bin/sluice").toString(),
                "serve");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("Sluice needs Java 21 or newer", java.toString(), "17.0.13");
    }

    @Test
    void refusesAJavaHomeWithoutJava() {
        Path empty = folder.resolve("not-a-jdk");

        ExternalCommand.Result result = ExternalCommand.run(
                runtimeOnly(empty.toString()), null, home.resolve("bin/sluice").toString(), "serve");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("JAVA_HOME is " + empty, "no bin/java");
    }
}
