package io.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.ExternalCommand;
import io.sluice.testing.RunningSluice;
import io.sluice.testing.Streams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.firehose.FirehoseClient;

/**
 * The console in a real browser: {@code src/test/browser/console-flow.mjs} drives Debian's headless
 * Chromium with playwright-core (installed here from the committed package.json when missing) through
 * sign-in (a wrong secret first), create (a validation error first), demo data until its first object
 * lands and the graph has points, a tag added and removed, edit (refused, then saved), the list, an HTTP
 * endpoint stream created through its form (a validation error first), and delete. Screenshots of each
 * page go to {@code target/console-screenshots} (the README's come from there).
 */
class ConsoleBrowserIT {
    private static final Path BROWSER = Path.of("src/test/browser");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private RunningSluice sluice;
    private Path profile;

    @BeforeEach
    void start() throws IOException {
        assertThat(CHROMIUM)
                .as("Debian's chromium package (.ci/run installs it: apt-get install chromium)")
                .isExecutable();
        installDriver();
        sluice = RunningSluice.start();
        profile = Files.createTempDirectory("sluice-chromium-");
    }

    @AfterEach
    void stop() {
        if (sluice != null) {
            sluice.close();
        }
        if (profile != null) {
            RunningSluice.deleteRecursively(profile);
        }
    }

    @Test
    void signInCreateDemoDataEditAndDeleteInTheBrowser() throws IOException {
        Path shots = Files.createDirectories(Path.of("target/console-screenshots"));
        ExternalCommand.Result flow = ExternalCommand.run(
                BROWSER,
                Duration.ofMinutes(4),
                Map.of(),
                null,
                "node",
                "console-flow.mjs",
                sluice.endpoint().toString(),
                shots.toAbsolutePath().toString(),
                profile.toString());
        assertThat(flow.exitCode()).as(flow.stdout() + flow.stderr()).isZero();
        assertThat(flow.stdout()).contains("all steps passed");
        assertThat(Streams.localObjects(sluice.dataDir(), "console-demo")).isNotEmpty();
        try (FirehoseClient firehose = sluice.client()) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> !firehose.listDeliveryStreams()
                            .deliveryStreamNames()
                            .contains("console-demo"));
        }
        try (FirehoseClient firehose = sluice.client()) {
            assertThat(firehose.describeDeliveryStream(b -> b.deliveryStreamName("console-http"))
                            .deliveryStreamDescription()
                            .destinations()
                            .getFirst()
                            .httpEndpointDestinationDescription()
                            .endpointConfiguration()
                            .url())
                    .isEqualTo("https://127.0.0.1:1/ingest");
        }
        for (String page : List.of(
                "sign-in",
                "streams",
                "create-validation",
                "stream",
                "tags",
                "edit-validation",
                "create-http-validation",
                "delete")) {
            assertThat(shots.resolve(page + ".png")).isNotEmptyFile();
        }
    }

    /** playwright-core at the version package.json names, into the git-ignored node_modules; a no-op when there. */
    private static void installDriver() {
        if (Files.isRegularFile(BROWSER.resolve("node_modules/playwright-core/package.json"))) {
            return;
        }
        ExternalCommand.Result install = ExternalCommand.run(
                BROWSER, Duration.ofMinutes(5), Map.of(), null, "npm", "install", "--no-audit", "--no-fund");
        assertThat(install.exitCode()).as(install.stdout() + install.stderr()).isZero();
    }
}
