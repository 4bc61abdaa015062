package io.sluice.processor;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.common.DataSize;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class ProcessorChainTest {
    /** Keeps records until flushed; answers each unchanged. */
    private static final class Keeping implements RecordProcessor.Batched {
        @Override
        public Buffering buffering() {
            return new Buffering(DataSize.ofMebibytes(1), 1);
        }

        @Override
        public CompletionStage<List<Result>> process(List<ProcessorRecord> records) {
            return CompletableFuture.completedFuture(records.stream()
                    .<Result>map(r -> new Result.Records(List.of(r)))
                    .toList());
        }
    }

    private static final class Collecting implements ProcessorChain.Sink {
        final List<String> accepted = new ArrayList<>();

        @Override
        public void accept(ProcessorRecord record) {
            accepted.add(UTF_8.decode(record.data().duplicate()).toString());
        }

        @Override
        public void failed(ProcessorRecord record, ProcessingFailure failure) {}
    }

    private static ProcessorRecord record(long position, String text) {
        return ProcessorRecord.source(position, 0, ByteBuffer.wrap(text.getBytes(UTF_8)));
    }

    @Test
    void appendsADelimiterAfterEveryRecord() throws Exception {
        Collecting sink = new Collecting();
        ProcessorChain chain = ProcessorChain.of(List.of(new AppendDelimiter()));
        chain.accept(record(0, "a"), sink);
        chain.accept(record(1, "b".repeat(10_000)), sink);
        chain.flush(sink);
        assertThat(sink.accepted).containsExactly("a\n", "b".repeat(10_000) + "\n");
    }

    @Test
    void dropsWhatAnAbandonedFeedingLeftInBatchedProcessors() throws Exception {
        ProcessorChain chain = ProcessorChain.of(List.of(new Keeping(), new AppendDelimiter()));
        Collecting abandoned = new Collecting();
        chain.accept(record(0, "first"), abandoned);
        Collecting next = new Collecting();
        chain.accept(record(0, "again"), next);
        chain.flush(next);
        assertThat(abandoned.accepted).isEmpty();
        assertThat(next.accepted).containsExactly("again\n");
    }
}
