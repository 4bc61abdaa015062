package io.sluice.source.kinesis;

import static java.util.Objects.requireNonNull;

import io.sluice.source.Checkpoints;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Where the reading of each shard of one stream is, as kept in its {@link Checkpoints}: shard id to the
 * sequence number of the last Kinesis record appended to the log, or {@value #SHARD_END} once the shard
 * is closed and read to its end (so it is never read again, and its children may be). Finished shards
 * the stream no longer lists are forgotten. Shard readers update it from their own threads; each change
 * is saved before the next, so a later position is never overwritten by an earlier one.
 */
final class ShardPositions {
    static final String SHARD_END = "SHARD_END";

    private final Checkpoints checkpoints;
    private final Map<String, String> positions;

    private ShardPositions(Checkpoints checkpoints, Map<String, String> positions) {
        this.checkpoints = checkpoints;
        this.positions = positions;
    }

    static ShardPositions load(Checkpoints checkpoints) throws IOException {
        requireNonNull(checkpoints, "checkpoints is null");
        return new ShardPositions(checkpoints, new TreeMap<>(checkpoints.load()));
    }

    /** The sequence number after which {@code shard} is read on, if it was read and is not finished. */
    synchronized Optional<String> sequenceNumber(String shard) {
        return Optional.ofNullable(positions.get(shard)).filter(position -> !position.equals(SHARD_END));
    }

    synchronized Set<String> finished() {
        return positions.entrySet().stream()
                .filter(e -> e.getValue().equals(SHARD_END))
                .map(Map.Entry::getKey)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Saves that {@code shard} was appended up to {@code sequenceNumber}. */
    synchronized void read(String shard, String sequenceNumber) throws IOException {
        requireNonNull(sequenceNumber, "sequenceNumber is null");
        positions.put(shard, sequenceNumber);
        checkpoints.save(positions);
    }

    /** Saves that {@code shard} is read to its end. */
    synchronized void finish(String shard) throws IOException {
        positions.put(shard, SHARD_END);
        checkpoints.save(positions);
    }

    /** Forgets (and saves so) finished shards not in {@code listed}: the stream trimmed them. */
    synchronized void forgetFinishedExcept(Set<String> listed) throws IOException {
        if (positions.entrySet().removeIf(e -> e.getValue().equals(SHARD_END) && !listed.contains(e.getKey()))) {
            checkpoints.save(positions);
        }
    }
}
