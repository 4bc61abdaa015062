package io.sluice.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BatchRecordsTest {
    private record Id(long position, int subsequence) {}

    private static List<Id> read(BatchRecords records) {
        List<Id> ids = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            ids.add(new Id(records.position(i), records.subsequence(i)));
        }
        return ids;
    }

    @Test
    void answersEveryRecordAsAddedWhateverTheRunsAre() {
        SplittableRandom random = new SplittableRandom(7);
        BatchRecords records = new BatchRecords();
        List<Id> added = new ArrayList<>();
        long position = 100;
        for (int i = 0; i < 5_000; i++) {
            int split = random.nextInt(4) == 0 ? 1 + random.nextInt(3) : 1;
            int first = random.nextInt(5) == 0 ? random.nextInt(2) : 0;
            for (int s = first; s < first + split; s++) {
                records.add(position, s);
                added.add(new Id(position, s));
            }
            position += 1 + (random.nextInt(10) == 0 ? random.nextInt(3) : 0);
        }
        assertThat(records.size()).isEqualTo(added.size());
        assertThat(read(records)).isEqualTo(added);
        assertThat(records.lowestPosition()).isEqualTo(100);
    }

    @Test
    void consecutiveWholeRecordsTakeOneRun() {
        BatchRecords records = new BatchRecords();
        for (long p = 0; p < 1_000_000; p++) {
            records.add(p, 0);
        }
        assertThat(records.size()).isEqualTo(1_000_000);
        assertThat(records.position(999_999)).isEqualTo(999_999);
        assertThat(records.subsequence(500_000)).isZero();
    }

    @Test
    void refusesPositionsThatGoBack() {
        BatchRecords records = new BatchRecords();
        records.add(5, 0);
        assertThatThrownBy(() -> records.add(4, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> records.position(1)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
