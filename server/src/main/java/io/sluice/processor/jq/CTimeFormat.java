package io.sluice.processor.jq;

import java.util.Locale;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * glibc's {@code strftime} and {@code strptime} in the C locale and UTC, as jq 1.6 calls them.
 *
 * <p>{@code strftime} knows {@code %a %A %b %B %c %C %d %D %e %F %g %G %h %H %I %j %k %l %m %M %n %p
 * %P %r %R %s %S %t %T %u %U %V %w %W %x %X %y %Y %z %Z %%}, glibc's flags {@code - _ 0 ^} and a field
 * width; like glibc it prints any other conversion as written. Names come from {@code wday} and
 * {@code mon} as given ({@code ?} when out of range), never recomputed; {@code %Z} is {@code UTC},
 * {@code %z} {@code +0000}.
 *
 * <p>{@code strptime} knows {@code %a %A %b %B %c %C %d %D %e %F %g %G %h %H %I %j %k %l %m %M %n %p
 * %r %R %s %S %t %T %u %U %V %w %W %x %X %y %Y %z %Z %%}: numbers skip leading white space and take at
 * most their width of digits ({@code %Y} four), white space in the format matches any run of it,
 * {@code %Z} skips a word, {@code %z} checks an offset and ignores it. Like glibc it then computes
 * {@code wday} and {@code yday} when a date was read.
 */
final class CTimeFormat {
    private static final String[] DAYS = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
    private static final String[] MONTHS = {
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December"
    };
    /** jq 1.6 sets these before calling strptime, to see which fields glibc left alone. */
    static final int WDAY_UNSET = 8;

    static final int YDAY_UNSET = 367;

    private CTimeFormat() {}

    // ---- strftime ----

    static String strftime(BrokenDownTime tm, String format) {
        StringBuilder out = new StringBuilder(format.length() + 16);
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i);
            if (c != '%') {
                out.append(c);
                i++;
                continue;
            }
            int start = i++;
            char pad = 0;
            boolean upper = false;
            while (i < format.length() && "-_0^#".indexOf(format.charAt(i)) >= 0) {
                char flag = format.charAt(i++);
                if (flag == '^') {
                    upper = true;
                } else if (flag != '#') {
                    pad = flag;
                }
            }
            int width = -1;
            while (i < format.length() && Character.isDigit(format.charAt(i))) {
                width = Math.max(width, 0) * 10 + (format.charAt(i++) - '0');
            }
            while (i < format.length() && (format.charAt(i) == 'E' || format.charAt(i) == 'O')) {
                i++;
            }
            if (i >= format.length()) {
                out.append(format, start, format.length());
                break;
            }
            char conversion = format.charAt(i++);
            String field = conversion(tm, conversion, pad, width);
            if (field == null) {
                out.append(format, start, i);
            } else {
                out.append(upper ? field.toUpperCase(Locale.ROOT) : field);
            }
        }
        return out.toString();
    }

    private static String conversion(BrokenDownTime tm, char conversion, char pad, int width) {
        int hour12 = tm.hour() % 12 == 0 ? 12 : tm.hour() % 12;
        return switch (conversion) {
            case 'a' -> text(name(DAYS, tm.wday(), true), width);
            case 'A' -> text(name(DAYS, tm.wday(), false), width);
            case 'b', 'h' -> text(name(MONTHS, tm.mon(), true), width);
            case 'B' -> text(name(MONTHS, tm.mon(), false), width);
            case 'c' -> text(strftime(tm, "%a %b %e %H:%M:%S %Y"), width);
            case 'C' -> number(Math.floorDiv(tm.year(), 100), 2, '0', pad, width);
            case 'd' -> number(tm.mday(), 2, '0', pad, width);
            case 'D', 'x' -> text(strftime(tm, "%m/%d/%y"), width);
            case 'e' -> number(tm.mday(), 2, ' ', pad, width);
            case 'F' -> text(strftime(tm, "%Y-%m-%d"), width);
            case 'g' -> number(Math.floorMod(isoYear(tm), 100), 2, '0', pad, width);
            case 'G' -> number(isoYear(tm), 1, '0', pad, width);
            case 'H' -> number(tm.hour(), 2, '0', pad, width);
            case 'I' -> number(hour12, 2, '0', pad, width);
            case 'j' -> number(tm.yday() + 1L, 3, '0', pad, width);
            case 'k' -> number(tm.hour(), 2, ' ', pad, width);
            case 'l' -> number(hour12, 2, ' ', pad, width);
            case 'm' -> number(tm.mon() + 1L, 2, '0', pad, width);
            case 'M' -> number(tm.min(), 2, '0', pad, width);
            case 'n' -> "\n";
            case 'p' -> text(tm.hour() > 11 ? "PM" : "AM", width);
            case 'P' -> text(tm.hour() > 11 ? "pm" : "am", width);
            case 'r' -> text(strftime(tm, "%I:%M:%S %p"), width);
            case 'R' -> text(strftime(tm, "%H:%M"), width);
            case 's' -> number(tm.timegm(), 1, '0', pad, width);
            case 'S' -> number(tm.sec(), 2, '0', pad, width);
            case 't' -> "\t";
            case 'T', 'X' -> text(strftime(tm, "%H:%M:%S"), width);
            case 'u' -> number((tm.wday() - 1 + 7) % 7 + 1L, 1, '0', pad, width);
            case 'U' -> number((tm.yday() - tm.wday() + 7) / 7, 2, '0', pad, width);
            case 'V' -> number(isoWeekDays(tm)[1] / 7 + 1, 2, '0', pad, width);
            case 'w' -> number(tm.wday(), 1, '0', pad, width);
            case 'W' -> number((tm.yday() - (tm.wday() - 1 + 7) % 7 + 7) / 7, 2, '0', pad, width);
            case 'y' -> number(Math.floorMod(tm.year(), 100), 2, '0', pad, width);
            case 'Y' -> number(tm.year(), 1, '0', pad, width);
            case 'z' -> text("+0000", width);
            case 'Z' -> text("UTC", width);
            case '%' -> "%";
            default -> null;
        };
    }

    private static String name(String[] names, int index, boolean abbreviated) {
        if (index < 0 || index >= names.length) {
            return "?";
        }
        return abbreviated ? names[index].substring(0, 3) : names[index];
    }

    private static String text(String value, int width) {
        return width > value.length() ? " ".repeat(width - value.length()) + value : value;
    }

    /** A number as glibc pads it: to {@code digits} (or the width) with its own pad, or per the flag. */
    private static String number(long value, int digits, char naturalPad, char flag, int width) {
        String magnitude = Long.toString(Math.abs(value));
        String sign = value < 0 ? "-" : "";
        if (flag == '-') {
            return sign + magnitude;
        }
        char padding = flag == '_' ? ' ' : flag == '0' ? '0' : naturalPad;
        int size = Math.max(width < 0 ? digits : width, 1) - sign.length();
        String fill = String.valueOf(padding).repeat(Math.max(0, size - magnitude.length()));
        return padding == ' ' ? fill + sign + magnitude : sign + fill + magnitude;
    }

    /** {ISO 8601 week-based year, days since the start of its week 1}, as glibc computes them. */
    private static long[] isoWeekDays(BrokenDownTime tm) {
        long year = tm.year();
        int days = isoWeekDays(tm.yday(), tm.wday());
        if (days < 0) {
            year--;
            days = isoWeekDays(tm.yday() + (BrokenDownTime.isLeap(year) ? 366 : 365), tm.wday());
        } else {
            int next = isoWeekDays(tm.yday() - (BrokenDownTime.isLeap(year) ? 366 : 365), tm.wday());
            if (next >= 0) {
                year++;
                days = next;
            }
        }
        return new long[] {year, days};
    }

    private static long isoYear(BrokenDownTime tm) {
        return isoWeekDays(tm)[0];
    }

    private static int isoWeekDays(int yday, int wday) {
        int bigEnoughMultipleOf7 = (366 / 7 + 2) * 7;
        return yday - (yday - wday + 4 + bigEnoughMultipleOf7) % 7 + 4 - 1;
    }

    // ---- strptime ----

    /** What {@code strptime} read, and the unread rest of the input (empty when it read it all). */
    record Parsed(BrokenDownTime tm, String rest) {}

    /** glibc's {@code strptime}: empty when {@code input} does not match {@code format}. */
    static Optional<Parsed> strptime(String input, String format) {
        Parser parser = new Parser(input);
        if (!parser.parse(format)) {
            return Optional.empty();
        }
        return Optional.of(new Parsed(parser.finish(), input.substring(parser.position)));
    }

    /** glibc's parsing state; conversions such as %T recurse into it. */
    private static final class Parser {
        private final String input;
        private int position;
        private int year = 1900;
        private int mon;
        private int mday;
        private int hour;
        private int min;
        private int sec;
        private int wday = WDAY_UNSET;
        private int yday = YDAY_UNSET;
        private int century = -1;
        private boolean wantCentury;
        private boolean wantXday;
        private boolean haveWday;
        private boolean haveYday;
        private boolean haveMon;
        private boolean haveMday;
        private boolean haveI;
        private boolean isPm;

        Parser(String input) {
            this.input = input;
        }

        boolean parse(String format) {
            int f = 0;
            while (f < format.length()) {
                char c = format.charAt(f);
                if (isSpace(c)) {
                    skipSpaces();
                    f++;
                    continue;
                }
                if (c != '%') {
                    if (position >= input.length() || input.charAt(position) != c) {
                        return false;
                    }
                    position++;
                    f++;
                    continue;
                }
                f++;
                while (f < format.length() && "-_0^#".indexOf(format.charAt(f)) >= 0) {
                    f++;
                }
                while (f < format.length() && Character.isDigit(format.charAt(f))) {
                    f++;
                }
                while (f < format.length() && (format.charAt(f) == 'E' || format.charAt(f) == 'O')) {
                    f++;
                }
                if (f >= format.length() || !conversion(format.charAt(f++))) {
                    return false;
                }
            }
            return true;
        }

        private boolean conversion(char conversion) {
            return switch (conversion) {
                case '%' -> literal('%');
                case 'a', 'A' ->
                    name(DAYS, day -> {
                        wday = day;
                        haveWday = true;
                    });
                case 'b', 'B', 'h' ->
                    name(MONTHS, month -> {
                        mon = month;
                        haveMon = true;
                        wantXday = true;
                    });
                case 'c' -> parse("%a %b %e %H:%M:%S %Y");
                case 'C' ->
                    number(0, 99, 2, value -> {
                        century = value;
                        wantXday = true;
                    });
                case 'd', 'e' ->
                    number(1, 31, 2, value -> {
                        mday = value;
                        haveMday = true;
                        wantXday = true;
                    });
                case 'D', 'x' -> date("%m/%d/%y");
                case 'F' -> date("%Y-%m-%d");
                case 'g' -> number(0, 99, 2, value -> {});
                case 'G' -> digits();
                case 'H', 'k' ->
                    number(0, 23, 2, value -> {
                        hour = value;
                        haveI = false;
                    });
                case 'I', 'l' ->
                    number(1, 12, 2, value -> {
                        hour = value % 12;
                        haveI = true;
                    });
                case 'j' ->
                    number(1, 366, 3, value -> {
                        yday = value - 1;
                        haveYday = true;
                    });
                case 'm' ->
                    number(1, 12, 2, value -> {
                        mon = value - 1;
                        haveMon = true;
                        wantXday = true;
                    });
                case 'M' -> number(0, 59, 2, value -> min = value);
                case 'n', 't' -> {
                    skipSpaces();
                    yield true;
                }
                case 'p' -> meridiem();
                case 'r' -> parse("%I:%M:%S %p");
                case 'R' -> parse("%H:%M");
                case 's' -> epochSeconds();
                case 'S' -> number(0, 61, 2, value -> sec = value);
                case 'T', 'X' -> parse("%H:%M:%S");
                case 'u' ->
                    number(1, 7, 1, value -> {
                        wday = value % 7;
                        haveWday = true;
                    });
                case 'U', 'V', 'W' -> number(0, 53, 2, value -> {});
                case 'w' ->
                    number(0, 6, 1, value -> {
                        wday = value;
                        haveWday = true;
                    });
                case 'y' ->
                    number(0, 99, 2, value -> {
                        year = 1900 + (value >= 69 ? value : value + 100);
                        wantCentury = true;
                        wantXday = true;
                    });
                case 'Y' ->
                    number(0, 9999, 4, value -> {
                        year = value;
                        wantCentury = false;
                        wantXday = true;
                    });
                case 'z' -> offset();
                case 'Z' -> {
                    skipSpaces();
                    while (position < input.length() && !isSpace(input.charAt(position))) {
                        position++;
                    }
                    yield true;
                }
                default -> false;
            };
        }

        /** A conversion made of others that reads a date (%D, %F): the weekday and day of year follow. */
        private boolean date(String format) {
            if (!parse(format)) {
                return false;
            }
            wantXday = true;
            return true;
        }

        private boolean meridiem() {
            if (matchesIgnoringCase("AM")) {
                isPm = false;
                return true;
            }
            if (matchesIgnoringCase("PM")) {
                isPm = true;
                return true;
            }
            return false;
        }

        /** %G: one or more digits, ignored. */
        private boolean digits() {
            if (position >= input.length() || !isDigit(input.charAt(position))) {
                return false;
            }
            while (position < input.length() && isDigit(input.charAt(position))) {
                position++;
            }
            return true;
        }

        /** glibc's post-processing of a complete parse. */
        BrokenDownTime finish() {
            if (haveI && isPm) {
                hour += 12;
            }
            if (century != -1) {
                int tmYear = year - 1900;
                year = 1900 + (wantCentury ? tmYear % 100 + (century - 19) * 100 : (century - 19) * 100);
            }
            BrokenDownTime tm = new BrokenDownTime(year, mon, mday, hour, min, sec, wday, yday);
            if (wantXday && !haveWday) {
                if (!(haveMon && haveMday) && haveYday) {
                    tm = tm.withMonthAndDayFromYday(haveMon, haveMday);
                }
                if (year >= 0) {
                    tm = tm.withComputedWday();
                }
            }
            if (wantXday && !haveYday) {
                tm = tm.withComputedYday();
            }
            return tm;
        }

        /** glibc's get_number: white space, then at most {@code digits} digits in range, given to {@code store}. */
        private boolean number(int from, int to, int digits, IntConsumer store) {
            skipSpaces();
            if (position >= input.length() || !isDigit(input.charAt(position))) {
                return false;
            }
            int value = 0;
            int left = digits;
            do {
                value = value * 10 + (input.charAt(position++) - '0');
            } while (--left > 0 && value * 10 <= to && position < input.length() && isDigit(input.charAt(position)));
            if (value < from || value > to) {
                return false;
            }
            store.accept(value);
            return true;
        }

        /** The full or abbreviated name at the input (case-insensitive), its index given to {@code store}. */
        private boolean name(String[] names, IntConsumer store) {
            for (int i = 0; i < names.length; i++) {
                if (matchesIgnoringCase(names[i]) || matchesIgnoringCase(names[i].substring(0, 3))) {
                    store.accept(i);
                    return true;
                }
            }
            return false;
        }

        private boolean matchesIgnoringCase(String word) {
            if (input.regionMatches(true, position, word, 0, word.length())) {
                position += word.length();
                return true;
            }
            return false;
        }

        private boolean literal(char c) {
            if (position < input.length() && input.charAt(position) == c) {
                position++;
                return true;
            }
            return false;
        }

        /** %s: digits of epoch seconds, broken down in UTC into every field. */
        private boolean epochSeconds() {
            if (position >= input.length() || !isDigit(input.charAt(position))) {
                return false;
            }
            long seconds = 0;
            while (position < input.length() && isDigit(input.charAt(position))) {
                seconds = seconds * 10 + (input.charAt(position++) - '0');
            }
            Optional<BrokenDownTime> tm = BrokenDownTime.gmtime(seconds);
            if (tm.isEmpty()) {
                return false;
            }
            BrokenDownTime t = tm.get();
            year = t.year();
            mon = t.mon();
            mday = t.mday();
            hour = t.hour();
            min = t.min();
            sec = t.sec();
            wday = t.wday();
            yday = t.yday();
            return true;
        }

        /** %z: {@code Z}, or a sign and hh, hhmm or hh:mm with minutes below 60; read and ignored. */
        private boolean offset() {
            skipSpaces();
            if (literal('Z')) {
                return true;
            }
            if (!literal('+') && !literal('-')) {
                return false;
            }
            int digits = 0;
            int value = 0;
            while (digits < 4 && position < input.length() && isDigit(input.charAt(position))) {
                value = value * 10 + (input.charAt(position++) - '0');
                digits++;
                if (digits == 2
                        && position + 1 < input.length()
                        && input.charAt(position) == ':'
                        && isDigit(input.charAt(position + 1))) {
                    position++;
                }
            }
            if (digits == 2) {
                return true;
            }
            return digits == 4 && value % 100 < 60;
        }

        private void skipSpaces() {
            while (position < input.length() && isSpace(input.charAt(position))) {
                position++;
            }
        }
    }

    /** C's isspace in the C locale. */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
