package io.sluice.processor;

import io.sluice.common.DataSize;

/**
 * How a {@link RecordProcessor.Batched} processor takes records: up to {@code size} of record data per
 * call (a call holds at least one record), with at most {@code concurrency} calls running at once.
 */
public record Buffering(DataSize size, int concurrency) {
    public Buffering {
        if (size == null || size.bytes() < 1 || concurrency < 1) {
            throw new IllegalArgumentException("size and concurrency must be positive");
        }
    }
}
