package io.sluice.processor;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * One step of a stream's processor stage (delivery spec §6): it maps each record to zero or more
 * records, or to a {@link ProcessingFailure}. A stage runs its processors in AWS's order (decompression,
 * CloudWatch Logs processing, de-aggregation, Lambda, metadata extraction, delimiter) on the stream's
 * delivery thread. Processors are built per stream configuration and may be called concurrently only as
 * their kind says.
 */
public sealed interface RecordProcessor permits RecordProcessor.PerRecord, RecordProcessor.Batched {

    /**
     * A processor that handles one record at a time, synchronously: cheap steps such as the delimiter,
     * decompression or metadata extraction. Called on one thread at a time.
     */
    non-sealed interface PerRecord extends RecordProcessor {
        /**
         * Processes {@code record}, handing each result to {@code out} before returning. The data of
         * {@code record} and of what it emits are valid only until this call returns.
         */
        void process(ProcessorRecord record, Emitter out);
    }

    /**
     * A processor that handles records in buffers and asynchronously, such as a Lambda function: the
     * stage gathers records (copies of them) until {@link #buffering()}'s size is reached or the stage is
     * flushed, and keeps at most its concurrency of calls running, handing results on in record order.
     */
    non-sealed interface Batched extends RecordProcessor {
        Buffering buffering();

        /**
         * Processes {@code records}; the stage completes with one result per record, in order. The
         * records are the processor's own (it may keep them until the stage completes).
         */
        CompletionStage<List<Result>> process(List<ProcessorRecord> records);
    }

    /** Where a {@link PerRecord} processor hands its results. */
    interface Emitter {
        /** One record the processed one became (any number per processed record, in order). */
        void emit(ProcessorRecord record);

        /** The processed record failed: it goes to the error output and produces nothing else. */
        void fail(ProcessingFailure failure);
    }

    /** What a {@link Batched} processor made of one record. */
    sealed interface Result {
        /** The records it became: none (dropped), itself changed, or several. */
        record Records(List<ProcessorRecord> records) implements Result {
            public Records {
                records = List.copyOf(records);
            }
        }

        record Failed(ProcessingFailure failure) implements Result {}
    }
}
