package io.sluice.source.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShardOrderTest {
    private static ShardOrder.Shard open(String id) {
        return new ShardOrder.Shard(id, Optional.empty(), Optional.empty());
    }

    private static ShardOrder.Shard split(String id, String parent) {
        return new ShardOrder.Shard(id, Optional.of(parent), Optional.empty());
    }

    private static ShardOrder.Shard merged(String id, String parent, String adjacent) {
        return new ShardOrder.Shard(id, Optional.of(parent), Optional.of(adjacent));
    }

    @Test
    void shardsWithoutParentsAreReadAtOnceInListingOrder() {
        assertThat(ShardOrder.readable(List.of(open("s0"), open("s1"), open("s2")), Set.of()))
                .containsExactly("s0", "s1", "s2");
    }

    @Test
    void childrenOfASplitWaitUntilTheirParentIsFinished() {
        List<ShardOrder.Shard> shards = List.of(open("s0"), open("s1"), split("s2", "s0"), split("s3", "s0"));

        assertThat(ShardOrder.readable(shards, Set.of())).containsExactly("s0", "s1");
        assertThat(ShardOrder.readable(shards, Set.of("s0"))).containsExactly("s1", "s2", "s3");
    }

    @Test
    void aMergedShardWaitsForBothParents() {
        List<ShardOrder.Shard> shards = List.of(open("s0"), open("s1"), merged("s2", "s0", "s1"));

        assertThat(ShardOrder.readable(shards, Set.of("s0"))).containsExactly("s1");
        assertThat(ShardOrder.readable(shards, Set.of("s1"))).containsExactly("s0");
        assertThat(ShardOrder.readable(shards, Set.of("s0", "s1"))).containsExactly("s2");
    }

    @Test
    void aParentTheStreamNoLongerListsCountsAsFinished() {
        assertThat(ShardOrder.readable(List.of(split("s2", "s0"), merged("s3", "s1", "s9")), Set.of()))
                .containsExactly("s2", "s3");
    }

    @Test
    void generationsFollowOneAnother() {
        List<ShardOrder.Shard> shards = List.of(open("s0"), split("s1", "s0"), split("s2", "s1"));

        assertThat(ShardOrder.readable(shards, Set.of())).containsExactly("s0");
        assertThat(ShardOrder.readable(shards, Set.of("s0"))).containsExactly("s1");
        assertThat(ShardOrder.readable(shards, Set.of("s0", "s1"))).containsExactly("s2");
        assertThat(ShardOrder.readable(shards, Set.of("s0", "s1", "s2"))).isEmpty();
    }
}
