package io.sluice.processor.jq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import net.thisptr.jackson.jq.Function;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * jq 1.6's date builtins (delivery spec §7.2c), which jackson-jq lacks, with jq 1.6's behaviour and
 * error messages: {@code gmtime localtime mktime strftime/1 strflocaltime/1 strptime/1 todate
 * todateiso8601 fromdate fromdateiso8601 now}. They work on epoch <em>seconds</em> (possibly
 * fractional) and "broken down time" arrays {@code [year, month (0-11), day, hours, minutes, seconds,
 * weekday (Sunday 0), day of year (0-365)]}, in UTC: the local time of {@code localtime} and {@code
 * strflocaltime} is UTC, as on a server whose zone is UTC. jq 1.6 has no {@code date}, {@code dateadd}
 * or {@code datesub} (they came in 1.7), so neither do we.
 */
final class DateBuiltins {
    private static final String ISO_8601 = "%Y-%m-%dT%H:%M:%SZ";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private DateBuiltins() {}

    /** Adds the builtins to {@code scope}, replacing jackson-jq's functions of the same names. */
    static void register(Scope scope, Clock clock) {
        scope.addFunction("gmtime", 0, JqFunctions.unary(in -> gmtime(in, "gmtime")));
        scope.addFunction("localtime", 0, JqFunctions.unary(in -> gmtime(in, "localtime")));
        scope.addFunction("mktime", 0, JqFunctions.unary(DateBuiltins::mktime));
        scope.addFunction("strftime", 1, JqFunctions.binary((in, format) -> strftime(in, format, "strftime")));
        scope.addFunction(
                "strflocaltime", 1, JqFunctions.binary((in, format) -> strftime(in, format, "strflocaltime")));
        scope.addFunction("strptime", 1, JqFunctions.binary(DateBuiltins::strptime));
        Function todate = JqFunctions.unary(in -> strftime(in, TextNode.valueOf(ISO_8601), "strftime"));
        scope.addFunction("todate", 0, todate);
        scope.addFunction("todateiso8601", 0, todate);
        Function fromdate = JqFunctions.unary(in -> mktime(strptime(in, TextNode.valueOf(ISO_8601))));
        scope.addFunction("fromdate", 0, fromdate);
        scope.addFunction("fromdateiso8601", 0, fromdate);
        scope.addFunction("now", 0, JqFunctions.unary(in -> now(clock)));
    }

    /** jq's gmtime: seconds → broken down time; the seconds keep the input's fraction. */
    static JsonNode gmtime(JsonNode in, String name) throws JsonQueryException {
        if (!in.isNumber()) {
            throw new JsonQueryException(name + "() requires numeric inputs");
        }
        double seconds = in.doubleValue();
        Optional<BrokenDownTime> tm = Double.isFinite(seconds) && Math.abs(seconds) < 0x1p63
                ? BrokenDownTime.gmtime((long) seconds) // C's (time_t) cast truncates toward zero
                : Optional.empty();
        if (tm.isEmpty()) {
            throw new JsonQueryException("errror converting number of seconds since epoch to datetime");
        }
        BrokenDownTime t = tm.get();
        ArrayNode out = NODES.arrayNode(8);
        out.add(t.year()).add(t.mon()).add(t.mday()).add(t.hour()).add(t.min());
        out.add(JqValues.number(t.sec() + (seconds - Math.floor(seconds))));
        out.add(t.wday()).add(t.yday());
        return out;
    }

    static JsonNode mktime(JsonNode in) throws JsonQueryException {
        if (!in.isArray()) {
            throw new JsonQueryException("mktime requires array inputs");
        }
        if (in.size() < 6) {
            throw new JsonQueryException("mktime requires array of 6 numbers");
        }
        BrokenDownTime tm =
                toTm(in).orElseThrow(() -> new JsonQueryException("mktime requires parsed datetime inputs"));
        long seconds = tm.timegm();
        if (seconds == -1) { // glibc's timegm error value, which jq cannot tell from 1969-12-31T23:59:59Z
            throw new JsonQueryException("invalid gmtime representation");
        }
        return JqValues.number((double) seconds);
    }

    static JsonNode strftime(JsonNode in, JsonNode format, String name) throws JsonQueryException {
        JsonNode time = in;
        if (in.isNumber()) {
            time = gmtime(in, name.equals("strftime") ? "gmtime" : "localtime");
        } else if (!in.isArray()) {
            throw new JsonQueryException(name + "/1 requires parsed datetime inputs");
        }
        if (!format.isTextual()) {
            throw new JsonQueryException(name + "/1 requires a string format");
        }
        BrokenDownTime tm =
                toTm(time).orElseThrow(() -> new JsonQueryException(name + "/1 requires parsed datetime inputs"));
        String fmt = format.textValue();
        String out = CTimeFormat.strftime(tm, fmt);
        // jq gives strftime a buffer of strlen(fmt) + 100 bytes; glibc answers 0 when it is too small.
        int room = utf8Length(fmt) + 100;
        if ((out.isEmpty() && !fmt.isEmpty()) || utf8Length(out) >= room) {
            throw new JsonQueryException(name + "/1: unknown system failure");
        }
        return TextNode.valueOf(out);
    }

    static JsonNode strptime(JsonNode in, JsonNode format) throws JsonQueryException {
        if (!in.isTextual() || !format.isTextual()) {
            throw new JsonQueryException("strptime/1 requires string inputs and arguments");
        }
        String input = in.textValue();
        Optional<CTimeFormat.Parsed> parsed = CTimeFormat.strptime(input, format.textValue());
        if (parsed.isEmpty()
                || (!parsed.get().rest().isEmpty()
                        && !CTimeFormat.isSpace(parsed.get().rest().charAt(0)))) {
            throw new JsonQueryException("date \"" + input + "\" does not match format \"" + format.textValue() + "\"");
        }
        BrokenDownTime tm = parsed.get().tm();
        ArrayNode out = NODES.arrayNode(9);
        out.add(tm.year())
                .add(tm.mon())
                .add(tm.mday())
                .add(tm.hour())
                .add(tm.min())
                .add(tm.sec());
        out.add(tm.wday()).add(tm.yday());
        if (!parsed.get().rest().isEmpty()) { // jq 1.6 appends what follows a white space
            out.add(parsed.get().rest());
        }
        return out;
    }

    private static JsonNode now(Clock clock) {
        Instant instant = clock.instant();
        long micros = instant.getNano() / 1000; // gettimeofday's resolution
        return JqValues.number(instant.getEpochSecond() + micros / 1e6);
    }

    /** jq's jv2tm: the first eight elements, numbers truncated to C ints; empty if any is missing or not a number. */
    private static Optional<BrokenDownTime> toTm(JsonNode array) {
        int[] fields = new int[8];
        for (int i = 0; i < fields.length; i++) {
            JsonNode field = array.get(i);
            if (field == null || !field.isNumber()) {
                return Optional.empty();
            }
            fields[i] = (int) field.doubleValue();
        }
        return Optional.of(new BrokenDownTime(
                fields[0], fields[1], fields[2], fields[3], fields[4], fields[5], fields[6], fields[7]));
    }

    private static int utf8Length(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
}
