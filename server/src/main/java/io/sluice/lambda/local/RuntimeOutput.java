package io.sluice.lambda.local;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;

/**
 * Copies a runtime process's output (stdout and stderr merged) to Sluice's log, a line an INFO entry, on a
 * virtual thread of its own until the process closes it. A line longer than {@link #MAX_LINE_BYTES} is
 * logged in pieces, so a function that writes without newlines cannot make Sluice buffer without limit.
 */
final class RuntimeOutput {
    static final int MAX_LINE_BYTES = 8 * 1024;

    private RuntimeOutput() {}

    static void copyToLog(InputStream output, Logger log, long pid) {
        Thread.ofVirtual().name("sluice-lambda-output-" + pid).start(() -> copy(output, log, pid));
    }

    private static void copy(InputStream output, Logger log, long pid) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try (InputStream in = new BufferedInputStream(output)) {
            int b;
            while ((b = in.read()) != -1) {
                if (b == '\n') {
                    emit(line, log, pid);
                } else {
                    if (line.size() == MAX_LINE_BYTES) {
                        emit(line, log, pid);
                    }
                    line.write(b);
                }
            }
        } catch (IOException e) {
            // The pipe broke as the process was killed: what it wrote before is logged below.
        }
        if (line.size() > 0) {
            emit(line, log, pid);
        }
    }

    private static void emit(ByteArrayOutputStream line, Logger log, long pid) {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        log.info("[{}] {}", pid, text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
    }
}
