package io.sluice.processor;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * A stream's processor stage: its processors in order, fed one record at a time on one thread. Records
 * pass through {@link RecordProcessor.PerRecord} processors at once; a {@link RecordProcessor.Batched}
 * processor gathers them and its results continue, in record order, when a call completes while the
 * chain is fed or when it is {@linkplain #flush flushed}. What comes out goes to a {@link Sink} on the
 * feeding thread. Not thread-safe; holds records only in batched processors' buffers and calls in
 * flight, both bounded by their {@link Buffering}.
 */
public final class ProcessorChain {
    /** Where the stage hands what it made. Called on the feeding thread. */
    public interface Sink {
        /** A record that passed every processor; its data is valid only during the call. */
        void accept(ProcessorRecord record) throws IOException;

        /** {@code record}, as the failing processor received it, failed. */
        void failed(ProcessorRecord record, ProcessingFailure failure) throws IOException;
    }

    private static final ProcessorChain EMPTY = new ProcessorChain(List.of());

    private final List<RecordProcessor> processors;
    private final List<Step> steps = new ArrayList<>();
    /** The sink {@link #steps} hand their results to. */
    private Sink boundTo;

    private ProcessorChain(List<RecordProcessor> processors) {
        this.processors = List.copyOf(processors);
    }

    /** A chain of {@code processors}, in the order given. */
    public static ProcessorChain of(List<RecordProcessor> processors) {
        return processors.isEmpty() ? EMPTY : new ProcessorChain(processors);
    }

    public boolean isEmpty() {
        return processors.isEmpty();
    }

    /**
     * Feeds one record; what it becomes reaches {@code sink} now or on a later call with the same sink.
     * Feeding another sink before {@link #flush} drops what batched processors hold for the previous one
     * (its feeding was abandoned; its records will be fed again).
     */
    public void accept(ProcessorRecord record, Sink sink) throws IOException, InterruptedException {
        if (processors.isEmpty()) {
            sink.accept(record);
            return;
        }
        stepsFor(sink);
        try {
            steps.get(0).accept(record);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (Interrupted e) {
            throw e.cause;
        }
    }

    /** Completes every batched processor's work, handing all results to {@code sink}. */
    public void flush(Sink sink) throws IOException, InterruptedException {
        if (processors.isEmpty()) {
            return;
        }
        stepsFor(sink);
        try {
            for (Step step : steps) {
                step.flush();
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (Interrupted e) {
            throw e.cause;
        } finally {
            steps.clear();
        }
    }

    /**
     * The steps handing results to {@code sink}: those of the last call, or new ones when the sink is
     * another (what an abandoned feeding left in batched processors is dropped with them).
     */
    private void stepsFor(Sink sink) {
        if (!steps.isEmpty() && boundTo == sink) {
            return;
        }
        steps.clear();
        boundTo = sink;
        Step next = new Last(sink);
        List<Step> reversed = new ArrayList<>();
        for (int i = processors.size() - 1; i >= 0; i--) {
            next = switch (processors.get(i)) {
                case RecordProcessor.PerRecord p -> new Single(p, next, sink);
                case RecordProcessor.Batched b -> new Gathering(b, next, sink);
            };
            reversed.add(next);
        }
        for (int i = reversed.size() - 1; i >= 0; i--) {
            steps.add(reversed.get(i));
        }
    }

    /** Carries an interruption through the emitters, which cannot throw checked exceptions. */
    private static final class Interrupted extends RuntimeException {
        final InterruptedException cause;

        Interrupted(InterruptedException cause) {
            super(cause);
            this.cause = cause;
        }
    }

    private interface Step {
        void accept(ProcessorRecord record);

        default void flush() {}
    }

    private record Last(Sink sink) implements Step {
        @Override
        public void accept(ProcessorRecord record) {
            try {
                sink.accept(record);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static void fail(Sink sink, ProcessorRecord record, ProcessingFailure failure) {
        try {
            sink.failed(record, failure);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class Single implements Step, RecordProcessor.Emitter {
        private final RecordProcessor.PerRecord processor;
        private final Step next;
        private final Sink sink;
        private ProcessorRecord current;

        Single(RecordProcessor.PerRecord processor, Step next, Sink sink) {
            this.processor = processor;
            this.next = next;
            this.sink = sink;
        }

        @Override
        public void accept(ProcessorRecord record) {
            current = record;
            try {
                processor.process(record, this);
            } finally {
                current = null;
            }
        }

        @Override
        public void emit(ProcessorRecord record) {
            next.accept(requireNonNull(record, "record is null"));
        }

        @Override
        public void fail(ProcessingFailure failure) {
            ProcessorChain.fail(sink, current, requireNonNull(failure, "failure is null"));
        }
    }

    private static final class Gathering implements Step {
        private record Call(List<ProcessorRecord> records, CompletionStage<List<RecordProcessor.Result>> results) {}

        private final RecordProcessor.Batched processor;
        private final Step next;
        private final Sink sink;
        private final long size;
        private final Deque<Call> running = new ArrayDeque<>();
        private List<ProcessorRecord> gathered = new ArrayList<>();
        private long gatheredBytes;

        Gathering(RecordProcessor.Batched processor, Step next, Sink sink) {
            this.processor = processor;
            this.next = next;
            this.sink = sink;
            this.size = processor.buffering().size().bytes();
        }

        @Override
        public void accept(ProcessorRecord record) {
            if (!gathered.isEmpty() && gatheredBytes + record.data().remaining() > size) {
                call();
            }
            gathered.add(record.copy());
            gatheredBytes += record.data().remaining();
        }

        @Override
        public void flush() {
            if (!gathered.isEmpty()) {
                call();
            }
            while (!running.isEmpty()) {
                handOn(running.removeFirst());
            }
        }

        private void call() {
            List<ProcessorRecord> records = gathered;
            gathered = new ArrayList<>();
            gatheredBytes = 0;
            running.addLast(new Call(records, processor.process(records)));
            while (running.size() >= processor.buffering().concurrency()
                    || !running.isEmpty()
                            && running.peekFirst()
                                    .results()
                                    .toCompletableFuture()
                                    .isDone()) {
                handOn(running.removeFirst());
            }
        }

        private void handOn(Call call) {
            List<RecordProcessor.Result> results;
            try {
                results = call.results().toCompletableFuture().get();
            } catch (InterruptedException e) {
                throw new Interrupted(e);
            } catch (ExecutionException | CompletionException e) {
                throw new IllegalStateException("processor " + processor + " failed instead of answering", e);
            }
            if (results.size() != call.records().size()) {
                throw new IllegalStateException("processor " + processor + " answered " + results.size()
                        + " results for " + call.records().size() + " records");
            }
            for (int i = 0; i < results.size(); i++) {
                switch (results.get(i)) {
                    case RecordProcessor.Result.Records records ->
                        records.records().forEach(next::accept);
                    case RecordProcessor.Result.Failed failed ->
                        ProcessorChain.fail(sink, call.records().get(i), failed.failure());
                }
            }
        }
    }
}
