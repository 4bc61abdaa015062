package io.sluice.source.kinesis;

import java.time.Duration;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.LimitExceededException;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;

/**
 * Waits out Kinesis's throttling of a call ({@code ProvisionedThroughputExceededException}, {@code
 * LimitExceededException}): a throttled call is retried after a wait doubling from {@link #FIRST} to
 * {@link #LAST}; throttling is the source being busy, not down, so it is never an outage.
 */
final class Throttling {
    static final Duration FIRST = Duration.ofMillis(200);
    static final Duration LAST = Duration.ofSeconds(5);

    private Duration wait = FIRST;

    static boolean isThrottling(KinesisException e) {
        return e instanceof ProvisionedThroughputExceededException || e instanceof LimitExceededException;
    }

    /** Sleeps before the next attempt of a throttled call. */
    void pause() throws InterruptedException {
        Thread.sleep(wait);
        wait = wait.multipliedBy(2).compareTo(LAST) > 0 ? LAST : wait.multipliedBy(2);
    }

    /** The call went through: the next throttling waits from {@link #FIRST} again. */
    void reset() {
        wait = FIRST;
    }
}
