package io.sluice.common;

import java.io.IOException;
import java.io.OutputStream;

/** Writes content to a stream in pieces of uneven lengths, from single bytes to about 20 KB. */
final class UnevenWrites {
    private UnevenWrites() {}

    static void write(OutputStream out, byte[] content) throws IOException {
        int offset = 0;
        for (int chunk = 1; offset < content.length; chunk = chunk * 3 % 20_011 + 1) {
            int length = Math.min(chunk, content.length - offset);
            if (length == 1) {
                out.write(content[offset]);
            } else {
                out.write(content, offset, length);
            }
            offset += length;
        }
    }
}
