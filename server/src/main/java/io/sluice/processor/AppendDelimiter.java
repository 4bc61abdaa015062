package io.sluice.processor;

import java.nio.ByteBuffer;

/**
 * {@code AppendDelimiterToRecord} (delivery spec §4.6.2): a newline after each record. The record and
 * its newline are written into one reused buffer, which the next step reads during the call.
 */
public final class AppendDelimiter implements RecordProcessor.PerRecord {
    private static final byte NEWLINE = '\n';

    private ByteBuffer scratch = ByteBuffer.allocate(0);

    @Override
    public void process(ProcessorRecord record, Emitter out) {
        int length = record.data().remaining() + 1;
        if (scratch.capacity() < length) {
            scratch = ByteBuffer.allocate(Math.max(Math.max(length, 8 * 1024), scratch.capacity() * 2));
        }
        scratch.clear();
        scratch.put(record.data().duplicate()).put(NEWLINE).flip();
        out.emit(record.withData(scratch));
    }
}
