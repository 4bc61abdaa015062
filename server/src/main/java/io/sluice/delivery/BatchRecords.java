package io.sluice.delivery;

import java.util.Arrays;

/**
 * Which records a batch holds, in the order they were added: each by its stream position and
 * subsequence number. Kept as runs, so that a batch of consecutive whole records (the usual case) costs
 * a few words however many records it has: a run is either consecutive positions with one subsequence
 * number, or consecutive subsequence numbers of one position (the records a processor split out of one).
 * Positions never decrease. Not thread-safe; read-only once its batch is sealed.
 */
final class BatchRecords {
    private long[] positions = new long[2];
    private int[] subsequences = new int[2];
    /** Records in runs 0..r together: the index one past run r's last record. */
    private int[] ends = new int[2];
    /** Whether run r goes along subsequence numbers (else along positions); meaningful from 2 records. */
    private boolean[] alongSubsequences = new boolean[2];

    private int runs;

    void add(long position, int subsequence) {
        if (runs > 0) {
            int last = runs - 1;
            int length = length(last);
            long lastPosition = positionInRun(last, length - 1);
            int lastSubsequence = subsequenceInRun(last, length - 1);
            if (position < lastPosition) {
                throw new IllegalArgumentException(
                        "positions must not decrease: " + position + " after " + lastPosition);
            }
            boolean nextPosition = position == lastPosition + 1 && subsequence == subsequences[last];
            boolean nextSubsequence = position == lastPosition && subsequence == lastSubsequence + 1;
            if (length == 1 && (nextPosition || nextSubsequence)) {
                alongSubsequences[last] = nextSubsequence;
                ends[last]++;
                return;
            }
            if (length > 1 && (alongSubsequences[last] ? nextSubsequence : nextPosition)) {
                ends[last]++;
                return;
            }
        }
        if (runs == positions.length) {
            int grown = runs * 2;
            positions = Arrays.copyOf(positions, grown);
            subsequences = Arrays.copyOf(subsequences, grown);
            ends = Arrays.copyOf(ends, grown);
            alongSubsequences = Arrays.copyOf(alongSubsequences, grown);
        }
        positions[runs] = position;
        subsequences[runs] = subsequence;
        ends[runs] = size() + 1;
        alongSubsequences[runs] = false;
        runs++;
    }

    int size() {
        return runs == 0 ? 0 : ends[runs - 1];
    }

    boolean isEmpty() {
        return runs == 0;
    }

    /** The position of the first record: the lowest. */
    long lowestPosition() {
        if (runs == 0) {
            throw new IllegalStateException("no records");
        }
        return positions[0];
    }

    long position(int index) {
        int run = run(index);
        return positionInRun(run, index - start(run));
    }

    int subsequence(int index) {
        int run = run(index);
        return subsequenceInRun(run, index - start(run));
    }

    private int run(int index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException(index);
        }
        int found = Arrays.binarySearch(ends, 0, runs, index);
        return found >= 0 ? found + 1 : -found - 1;
    }

    private int start(int run) {
        return run == 0 ? 0 : ends[run - 1];
    }

    private int length(int run) {
        return ends[run] - start(run);
    }

    private long positionInRun(int run, int offset) {
        return alongSubsequences[run] ? positions[run] : positions[run] + offset;
    }

    private int subsequenceInRun(int run, int offset) {
        return alongSubsequences[run] ? subsequences[run] + offset : subsequences[run];
    }
}
