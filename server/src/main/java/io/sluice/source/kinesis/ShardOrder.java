package io.sluice.source.kinesis;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Which shards of a Kinesis data stream may be read now, in the order the Kinesis Client Library keeps
 * after a reshard: a shard is read only once each of its parents (the shard it was split from, or the two
 * it was merged from) is finished — read to its end — or gone from the stream (trimmed after the
 * retention period, so nothing of it is left to read). A finished shard is not read again. Every record of
 * a partition key is therefore read in order across a reshard: its parent's records before its child's.
 */
final class ShardOrder {
    /** A shard as {@code ListShards} describes it: its parents, if it has any. */
    record Shard(String id, Optional<String> parent, Optional<String> adjacentParent) {
        Shard {
            requireNonNull(id, "id is null");
            requireNonNull(parent, "parent is null");
            requireNonNull(adjacentParent, "adjacentParent is null");
        }

        Stream<String> parents() {
            return Stream.concat(parent.stream(), adjacentParent.stream());
        }
    }

    private ShardOrder() {}

    /** The shards of {@code shards} to read now, in their listing order, given those {@code finished}. */
    static List<String> readable(List<Shard> shards, Collection<String> finished) {
        Set<String> listed = shards.stream().map(Shard::id).collect(Collectors.toSet());
        Set<String> done = Set.copyOf(finished);
        return shards.stream()
                .filter(shard -> !done.contains(shard.id()))
                .filter(shard -> shard.parents().allMatch(p -> done.contains(p) || !listed.contains(p)))
                .map(Shard::id)
                .toList();
    }
}
