package io.sluice.processor.jq;

import java.util.Optional;

/**
 * C's {@code struct tm} as jq 1.6 exchanges it with glibc, in UTC: what {@code gmtime} fills, what
 * {@code timegm}, {@code strftime} and {@code strptime} read or write. Fields hold what C would hold,
 * unchecked: {@code mon} may be 14 before {@link #timegm} normalises it, {@code wday} 8 and {@code
 * yday} 367 are jq's "not computed" markers after {@code strptime}. {@code year} is the full year
 * ({@code tm_year + 1900}).
 */
record BrokenDownTime(int year, int mon, int mday, int hour, int min, int sec, int wday, int yday) {
    private static final long SECONDS_PER_DAY = 86_400;
    private static final int[] DAYS_BEFORE_MONTH = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};

    /** glibc's {@code gmtime_r}: empty when the year does not fit C's {@code int tm_year}. */
    static Optional<BrokenDownTime> gmtime(long epochSeconds) {
        long days = Math.floorDiv(epochSeconds, SECONDS_PER_DAY);
        long secondOfDay = Math.floorMod(epochSeconds, SECONDS_PER_DAY);
        long[] civil = civilFromDays(days);
        long year = civil[0];
        if (year - 1900 > Integer.MAX_VALUE || year - 1900 < Integer.MIN_VALUE) {
            return Optional.empty();
        }
        int wday = Math.floorMod(days + 4, 7); // 1970-01-01 was a Thursday
        int yday = (int) (days - daysFromCivil(year, 1, 1));
        return Optional.of(new BrokenDownTime(
                (int) year,
                (int) civil[1] - 1,
                (int) civil[2],
                (int) (secondOfDay / 3600),
                (int) (secondOfDay / 60 % 60),
                (int) (secondOfDay % 60),
                wday,
                yday));
    }

    /**
     * glibc's {@code timegm}: seconds since the epoch, normalising out-of-range fields (month 14 is
     * February of the next year, second -1 the last second of the previous minute); ignores {@code
     * wday} and {@code yday}.
     */
    long timegm() {
        long fullYear = (long) year + Math.floorDiv(mon, 12);
        int month = Math.floorMod(mon, 12);
        long days = daysFromCivil(fullYear, month + 1, 1) + mday - 1L;
        return days * SECONDS_PER_DAY + hour * 3600L + min * 60L + sec;
    }

    /** This time with {@code wday} computed from year, month and day, as glibc's {@code strptime} does. */
    BrokenDownTime withComputedWday() {
        long days = daysFromCivil((long) year + Math.floorDiv(mon, 12), Math.floorMod(mon, 12) + 1, 1) + mday - 1L;
        return new BrokenDownTime(year, mon, mday, hour, min, sec, Math.floorMod(days + 4, 7), yday);
    }

    /** This time with {@code yday} computed from year, month and day, as glibc's {@code strptime} does. */
    BrokenDownTime withComputedYday() {
        int month = Math.floorMod(mon, 12);
        int leap = month >= 2 && isLeap(year) ? 1 : 0;
        return new BrokenDownTime(year, mon, mday, hour, min, sec, wday, DAYS_BEFORE_MONTH[month] + leap + mday - 1);
    }

    /** Month and day from {@code yday} (0-based) in {@code year}, as glibc's {@code strptime} does for %j. */
    BrokenDownTime withMonthAndDayFromYday(boolean keepMon, boolean keepMday) {
        int leap = isLeap(year) ? 1 : 0;
        int month = 0;
        while (month < 12 && DAYS_BEFORE_MONTH[month] + (month >= 2 ? leap : 0) <= yday) {
            month++;
        }
        int start = DAYS_BEFORE_MONTH[month - 1] + (month - 1 >= 2 ? leap : 0);
        return new BrokenDownTime(
                year, keepMon ? mon : month - 1, keepMday ? mday : yday - start + 1, hour, min, sec, wday, yday);
    }

    static boolean isLeap(long year) {
        return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
    static long daysFromCivil(long year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097 + doe - 719_468;
    }

    /** {year, month (1-12), day} of a day count since 1970-01-01 (H. Hinnant's civil_from_days). */
    private static long[] civilFromDays(long days) {
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long day = doy - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        return new long[] {yoe + era * 400 + (month <= 2 ? 1 : 0), month, day};
    }
}
