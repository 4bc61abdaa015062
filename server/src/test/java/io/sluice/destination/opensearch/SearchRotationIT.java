package io.sluice.destination.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.destination.opensearch.SearchClustersConfig.Authentication;
import io.sluice.destination.opensearch.SearchClustersConfig.Cluster;
import io.sluice.testing.BulkReceiver;
import io.sluice.testing.ManualClock;
import io.sluice.testing.RunningSluice;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.firehose.FirehoseClient;

/**
 * Index rotation through the API with the server's clock injected: records put at a moment go to the
 * index of that moment's hour, day, US week or month in UTC (delivery spec §9.4), across an hour, a day, a
 * month and a year boundary.
 */
class SearchRotationIT {
    private static final List<String> PERIODS = List.of("NoRotation", "OneHour", "OneDay", "OneWeek", "OneMonth");

    @Test
    void namesEachRecordsIndexByItsArrivalTime() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2016-02-25T13:00:00Z"));
        try (BulkReceiver receiver = BulkReceiver.start();
                RunningSluice sluice = RunningSluice.start(
                        config -> SearchDeliveryIT.withClusters(
                                config,
                                new SearchClustersConfig(
                                        Optional.empty(),
                                        Map.of(
                                                SearchDeliveryIT.DOMAIN,
                                                new Cluster(receiver.url(), Authentication.NONE, Optional.empty())),
                                        Map.of(),
                                        Optional.empty(),
                                        SearchClustersConfig.Signing.DEFAULT,
                                        Duration.ofSeconds(5))),
                        clock);
                FirehoseClient firehose = sluice.client(clock)) {
            for (String period : PERIODS) {
                SearchDeliveryIT.createOpenSearch(
                        firehose, period.toLowerCase(), "rotation-errors", o -> o.indexRotationPeriod(period));
            }
            putEverywhere(firehose, receiver, clock, "2016-02-25T13:00:00Z", 1);
            assertThat(indexes(receiver, "norotation")).containsExactly("norotation");
            assertThat(indexes(receiver, "onehour")).containsExactly("onehour-2016-02-25-13");
            assertThat(indexes(receiver, "oneday")).containsExactly("oneday-2016-02-25");
            assertThat(indexes(receiver, "oneweek")).containsExactly("oneweek-2016-w09");
            assertThat(indexes(receiver, "onemonth")).containsExactly("onemonth-2016-02");

            putEverywhere(firehose, receiver, clock, "2017-12-30T23:59:59.999Z", 2);
            putEverywhere(firehose, receiver, clock, "2017-12-31T00:00:00Z", 3);
            putEverywhere(firehose, receiver, clock, "2018-01-01T00:00:00Z", 4);
            assertThat(indexes(receiver, "norotation")).containsExactly("norotation");
            assertThat(indexes(receiver, "onehour"))
                    .containsExactlyInAnyOrder(
                            "onehour-2016-02-25-13",
                            "onehour-2017-12-30-23",
                            "onehour-2017-12-31-00",
                            "onehour-2018-01-01-00");
            assertThat(indexes(receiver, "oneday"))
                    .containsExactlyInAnyOrder(
                            "oneday-2016-02-25", "oneday-2017-12-30", "oneday-2017-12-31", "oneday-2018-01-01");
            assertThat(indexes(receiver, "oneweek"))
                    .containsExactlyInAnyOrder("oneweek-2016-w09", "oneweek-2017-w52", "oneweek-2018-w01");
            assertThat(receiver.index("oneweek-2018-w01")).hasSize(2);
            assertThat(indexes(receiver, "onemonth"))
                    .containsExactlyInAnyOrder("onemonth-2016-02", "onemonth-2017-12", "onemonth-2018-01");
        }
    }

    /** Puts one record into every stream at {@code at}; returns once all are indexed. */
    private static void putEverywhere(
            FirehoseClient firehose, BulkReceiver receiver, ManualClock clock, String at, int total) {
        clock.advance(Duration.between(clock.instant(), Instant.parse(at)));
        for (String period : PERIODS) {
            SearchDeliveryIT.put(firehose, period.toLowerCase(), List.of("{\"at\":\"" + at + "\"}"));
        }
        await().atMost(SearchDeliveryIT.WAIT)
                .until(() -> PERIODS.stream()
                        .allMatch(p -> receiver.indexes().entrySet().stream()
                                        .filter(e -> e.getKey().startsWith(p.toLowerCase()))
                                        .mapToInt(e -> e.getValue().size())
                                        .sum()
                                == total));
    }

    private static List<String> indexes(BulkReceiver receiver, String stream) {
        return receiver.indexes().keySet().stream()
                .filter(name -> name.startsWith(stream))
                .toList();
    }
}
