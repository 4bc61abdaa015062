package io.sluice.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class CommitTrackerTest {
    @Test
    void commitsTheLowestPositionStillHeldWhateverOrderHoldsAreReleasedIn() {
        CommitTracker tracker = new CommitTracker(0);
        CommitTracker.Hold first = tracker.hold(0);
        CommitTracker.Hold second = tracker.hold(4);
        assertThat(tracker.readThrough(10)).isEmpty();
        assertThat(second.release()).isEmpty();
        assertThat(first.release()).isEqualTo(OptionalLong.of(10));
    }

    @Test
    void aRewoundTrackerCommitsNothingAboveWhereReadingStartsAgain() {
        CommitTracker tracker = new CommitTracker(0);
        CommitTracker.Hold delivering = tracker.hold(0);
        CommitTracker.Hold filling = tracker.hold(3);
        tracker.readThrough(8);
        tracker.rewind(3);
        assertThat(filling.release()).isEmpty();
        assertThat(delivering.release()).isEqualTo(OptionalLong.of(3));
        assertThatThrownBy(() -> tracker.rewind(2)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> tracker.hold(1)).isInstanceOf(IllegalStateException.class);
        assertThat(tracker.readThrough(8)).isEqualTo(OptionalLong.of(8));
    }
}
