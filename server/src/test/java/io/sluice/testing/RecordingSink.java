package io.sluice.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.sluice.processor.ProcessingFailure;
import io.sluice.processor.ProcessorChain;
import io.sluice.processor.ProcessorRecord;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Keeps copies of what a processor chain hands on: the records that passed and those that failed. */
public final class RecordingSink implements ProcessorChain.Sink {
    /** A record that passed, its data copied. */
    public record Passed(long position, int subsequence, byte[] data) {
        public String text() {
            return new String(data, UTF_8);
        }
    }

    /** A record that failed, its data (as the failing processor received it) copied. */
    public record Failed(long position, int subsequence, byte[] data, ProcessingFailure failure) {}

    private final List<Passed> passed = new ArrayList<>();
    private final List<Failed> failed = new ArrayList<>();

    @Override
    public void accept(ProcessorRecord record) {
        passed.add(new Passed(record.position(), record.subsequence(), bytes(record.data())));
    }

    @Override
    public void failed(ProcessorRecord record, ProcessingFailure failure) {
        failed.add(new Failed(record.position(), record.subsequence(), bytes(record.data()), failure));
    }

    public List<Passed> passed() {
        return List.copyOf(passed);
    }

    /** The data of the records that passed, as UTF-8 text, in order. */
    public List<String> texts() {
        return passed.stream().map(Passed::text).toList();
    }

    public List<Failed> failed() {
        return List.copyOf(failed);
    }

    private static byte[] bytes(ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        return bytes;
    }
}
