package io.sluice.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path directory;

    @Test
    void createsAndReplacesWholeContentWithoutLeavingTheTempFile() throws Exception {
        Path target = directory.resolve("offsets");

        AtomicFiles.replace(target, "first".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.replace(target, "second, longer".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.replace(target, "3".getBytes(StandardCharsets.UTF_8));

        assertThat(target).hasContent("3");
        assertThat(directory.resolve("offsets" + AtomicFiles.TEMP_SUFFIX)).doesNotExist();
    }

    @Test
    void leftoverTempFileFromACrashBeforeTheRenameDoesNotMatter() throws Exception {
        Path target = directory.resolve("offsets");
        AtomicFiles.replace(target, "old".getBytes(StandardCharsets.UTF_8));
        Files.writeString(directory.resolve("offsets" + AtomicFiles.TEMP_SUFFIX), "half-writ");

        assertThat(target).hasContent("old");
        AtomicFiles.replace(target, "new".getBytes(StandardCharsets.UTF_8));
        assertThat(target).hasContent("new");
    }

    @Test
    void ownerOnlyFilesAreNeverReadableByOthersEvenFromALeftoverTempFile() throws Exception {
        Path target = directory.resolve("secret");
        Path temp = directory.resolve("secret" + AtomicFiles.TEMP_SUFFIX);
        Files.writeString(temp, "left by a crash");
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-rw-rw-"));

        AtomicFiles.replaceOwnerOnly(target, "key".getBytes(StandardCharsets.UTF_8));

        assertThat(target).hasContent("key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
                .isEqualTo("rw-------");
        assertThat(temp).doesNotExist();
    }

    @Test
    void failureLeavesTheOldContent() throws Exception {
        Path target = directory.resolve("offsets");
        AtomicFiles.replace(target, "old".getBytes(StandardCharsets.UTF_8));
        Path blocked = directory.resolve("blocked");
        Files.createDirectories(
                blocked.resolveSibling("blocked" + AtomicFiles.TEMP_SUFFIX).resolve("child"));

        assertThatThrownBy(() -> AtomicFiles.replace(blocked, new byte[] {1})).isInstanceOf(java.io.IOException.class);
        assertThat(blocked).doesNotExist();
        assertThat(target).hasContent("old");
    }
}
