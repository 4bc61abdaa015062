package io.sluice.destination.opensearch;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.WeekFields;

/**
 * How {@code OneWeek} index rotation names a day's week: {@code <year>-w<two-digit week>}. AWS documents
 * the US convention (weeks start on Sunday; week 1 holds 1 January) but not which year the last days of
 * December are given to, and its own example contradicts its rule (delivery spec §9.4); the choice is
 * therefore a function, pinned by tests.
 */
@FunctionalInterface
public interface WeekNumbering {
    /** The week label of {@code day}, e.g. {@code 2016-w09}. */
    String label(LocalDate day);

    /**
     * Sluice's choice: US weeks ({@code WeekFields.of(SUNDAY, 1)}) of the week-based year, so that the
     * seven days of a week always share one index. 2016-02-25 is {@code 2016-w09}; Sunday 2017-12-31,
     * whose week holds 1 January 2018, is {@code 2018-w01}; Saturday 2016-12-31 is {@code 2016-w53}.
     */
    WeekNumbering US = weeksOf(WeekFields.of(DayOfWeek.SUNDAY, 1));

    /**
     * ISO weeks (Monday first; week 1 holds the first Thursday) of the week-based year: what the table
     * of AWS's documentation shows for its example (2016-02-25 is {@code 2016-w08}).
     */
    WeekNumbering ISO = weeksOf(WeekFields.ISO);

    /** Weeks of {@code fields}, labelled with their week-based year. */
    static WeekNumbering weeksOf(WeekFields fields) {
        return day ->
                String.format("%04d-w%02d", day.get(fields.weekBasedYear()), day.get(fields.weekOfWeekBasedYear()));
    }
}
