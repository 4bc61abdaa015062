package io.sluice.destination.opensearch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Index names by rotation period (delivery spec §9.4), and the week numbering pinned across years. */
class IndexRotationTest {
    private static final Instant DOC_EXAMPLE = Instant.parse("2016-02-25T13:00:00Z");

    @ParameterizedTest
    @CsvSource({
        "NoRotation, myindex",
        "OneHour, myindex-2016-02-25-13",
        "OneDay, myindex-2016-02-25",
        "OneWeek, myindex-2016-w09",
        "OneMonth, myindex-2016-02"
    })
    void namesTheIndexOfTheDocumentationsExample(String period, String index) {
        assertThat(IndexRotation.fromWire(period).orElseThrow().index("myindex", DOC_EXAMPLE, WeekNumbering.US))
                .isEqualTo(index);
    }

    @Test
    void usesTheArrivalTimeInUtc() {
        Instant lastOfDay = Instant.parse("2016-02-25T23:59:59.999Z");
        Instant firstOfNext = Instant.parse("2016-02-26T00:00:00Z");
        assertThat(IndexRotation.ONE_HOUR.index("i", lastOfDay, WeekNumbering.US))
                .isEqualTo("i-2016-02-25-23");
        assertThat(IndexRotation.ONE_HOUR.index("i", firstOfNext, WeekNumbering.US))
                .isEqualTo("i-2016-02-26-00");
        assertThat(IndexRotation.ONE_DAY.index("i", lastOfDay, WeekNumbering.US))
                .isEqualTo("i-2016-02-25");
        assertThat(IndexRotation.ONE_DAY.index("i", firstOfNext, WeekNumbering.US))
                .isEqualTo("i-2016-02-26");
        assertThat(IndexRotation.ONE_MONTH.index("i", Instant.parse("2016-12-31T23:59:59Z"), WeekNumbering.US))
                .isEqualTo("i-2016-12");
        assertThat(IndexRotation.ONE_MONTH.index("i", Instant.parse("2017-01-01T00:00:00Z"), WeekNumbering.US))
                .isEqualTo("i-2017-01");
    }

    /**
     * US weeks start on Sunday and week 1 holds 1 January; the days of December in the week of 1 January
     * belong to the next year's week 1, so a week's seven days share one index.
     */
    @ParameterizedTest
    @CsvSource({
        "2016-02-25, 2016-w09",
        "2016-01-01, 2016-w01",
        "2015-12-27, 2016-w01",
        "2015-12-26, 2015-w52",
        "2016-12-31, 2016-w53",
        "2017-01-01, 2017-w01",
        "2017-12-30, 2017-w52",
        "2017-12-31, 2018-w01",
        "2018-01-06, 2018-w01",
        "2018-01-07, 2018-w02",
        "2020-12-31, 2021-w01",
        "2022-01-01, 2022-w01",
        "2021-12-26, 2022-w01"
    })
    void numbersUsWeeksOfTheWeekBasedYear(LocalDate day, String label) {
        assertThat(WeekNumbering.US.label(day)).isEqualTo(label);
    }

    @Test
    void keepsAWeeksDaysInOneIndexAcrossTheYearBoundary() {
        for (int day = 0; day < 7; day++) {
            Instant arrival = Instant.parse("2017-12-31T12:00:00Z").plusSeconds(day * 86_400L);
            assertThat(IndexRotation.ONE_WEEK.index("logs", arrival, WeekNumbering.US))
                    .isEqualTo("logs-2018-w01");
        }
    }

    @Test
    void takesAnotherWeekNumberingWhereOneIsPluggedIn() {
        assertThat(IndexRotation.ONE_WEEK.index("myindex", DOC_EXAMPLE, WeekNumbering.ISO))
                .isEqualTo("myindex-2016-w08");
        assertThat(WeekNumbering.ISO.label(LocalDate.parse("2016-01-01"))).isEqualTo("2015-w53");
    }
}
