package io.sluice.processor.jq;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.NullNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * jq 1.6's date builtins (delivery spec §7.2c) and the string and math builtins we correct or add, each against what {@code jq-1.6} (Debian's) prints for
 * the same program: {@code jq -nc PROGRAM}, or {@code error: MESSAGE} for a failure.
 */
class JqBuiltinsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-04T13:07:00.250Z"), ZoneOffset.UTC);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', textBlock = """
            `"2015-03-05T23:51:47Z"|strptime("%Y-%m-%dT%H:%M:%SZ")` => [2015,2,5,23,51,47,4,63]
            `"2015-03-05T23:51:47Z"|strptime("%Y-%m-%dT%H:%M:%SZ")|mktime` => 1425599507
            `1425599507|strftime("%Y")` => "2015"
            `1425599507000|strftime("%Y-%m-%d")` => "47145-06-14"
            `1425599507|gmtime` => [2015,2,5,23,51,47,4,63]
            `1425599507.9|gmtime` => [2015,2,5,23,51,47.90000009536743,4,63]
            `-1|gmtime` => [1969,11,31,23,59,59,3,364]
            `-1.5|gmtime` => [1969,11,31,23,59,59.5,3,364]
            `6e16|gmtime` => [1901326280,4,29,10,40,0,6,149]
            `9e16|gmtime` => error: errror converting number of seconds since epoch to datetime
            `"abc"|gmtime` => error: gmtime() requires numeric inputs
            `1425599507|localtime` => [2015,2,5,23,51,47,4,63]
            `[2015,2,5,23,51,47]|mktime` => error: mktime requires parsed datetime inputs
            `[2015,2,5]|mktime` => error: mktime requires array of 6 numbers
            `{}|mktime` => error: mktime requires array inputs
            `[2015,2,5,23,51,47,0,0]|mktime` => 1425599507
            `[2015,14,5,23,51,47.9,0,0]|mktime` => 1457221907
            `[1970,0,1,0,0,-1,0,0]|mktime` => error: invalid gmtime representation
            `1425599507.9|strftime("%S %Z|%z|%s|%c|%x|%X|%C|%k|%l|%I|%p|%G|%V|%U|%W|%h|%r|%Q|%")` => "47 UTC|+0000|1425599507|Thu Mar  5 23:51:47 2015|03/05/15|23:51:47|20|23|11|11|PM|2015|10|09|09|Mar|11:51:47 PM|%Q|%"
            `1425599507|strftime("%e|%u|%w|%y|%T|%D|%F|%R|%A|%B|%%|%j|%n|%t")` => " 5|4|4|15|23:51:47|03/05/15|2015-03-05|23:51|Thursday|March|%|064|\\n|\\t"
            `1425599507|strftime("%-d|%_m|%10Y|%^a|%5a|%Ey|%Od|%-j|%3d")` => "5| 3|0000002015|THU|  Thu|15|05|64|005"
            `1609459200|strftime("%G-%V %U %W %g")` => "2020-53 00 00 20"
            `-30610224000|strftime("%Y|%F|%C|%y|%G")` => "1000|1000-01-01|10|00|1000"
            `-62135596800|strftime("%Y")` => "1"
            `[2015,2,5,23,51,47,1,1]|strftime("%a %j")` => "Mon 002"
            `[2015,14,5,23,51,47,9,400]|strftime("%a %b %j")` => "? ? 401"
            `"x"|strftime("%Y")` => error: strftime/1 requires parsed datetime inputs
            `[1]|strftime("%Y")` => error: strftime/1 requires parsed datetime inputs
            `1425599507|strflocaltime("%H %Z")` => "23 UTC"
            `1425599507|todate` => "2015-03-05T23:51:47Z"
            `1425599507|todateiso8601` => "2015-03-05T23:51:47Z"
            `1.5|todate` => "1970-01-01T00:00:01Z"
            `"2015-03-05T23:51:47Z"|fromdate` => 1425599507
            `"2015-03-05T23:51:47Z "|fromdateiso8601` => 1425599507
            `"2015-03-05T23:51:47.5Z"|fromdate` => error: date "2015-03-05T23:51:47.5Z" does not match format "%Y-%m-%dT%H:%M:%SZ"
            `"10:20"|strptime("%H:%M")` => [1900,0,0,10,20,0,8,367]
            `"2015-03-05 x"|strptime("%Y-%m-%d")` => [2015,2,5,0,0,0,4,63," x"]
            `"Thu, 05 Mar 2015 23:51:47 GMT"|strptime("%a, %d %b %Y %H:%M:%S %Z")` => [2015,2,5,23,51,47,4,63]
            `"12/31/99"|strptime("%D")` => [1999,11,31,0,0,0,5,364]
            `"2015-3-5"|strptime("%F")` => [2015,2,5,0,0,0,4,63]
            `" 2015-03-05"|strptime("%Y-%m-%d")` => [2015,2,5,0,0,0,4,63]
            `"2015-03-05+0100"|strptime("%Y-%m-%d%z")` => [2015,2,5,0,0,0,4,63]
            `"1425599507"|strptime("%s")` => [2015,2,5,23,51,47,4,63]
            `"99999-01-01"|strptime("%Y-%m-%d")` => error: date "99999-01-01" does not match format "%Y-%m-%d"
            `"2015 064"|strptime("%Y %j")` => [2015,2,5,0,0,0,4,63]
            `"Thursday March 5 2015"|strptime("%A %B %e %Y")` => [2015,2,5,0,0,0,4,63]
            `"15 3 2015 pm 11"|strptime("%d %m %Y %p %I")` => [2015,2,15,23,0,0,0,73]
            `"x2015"|strptime("x%Y")` => [2015,0,0,0,0,0,3,-1]
            `"2015-03-05 23:51:47 +05:30"|strptime("%F %T %z")` => [2015,2,5,23,51,47,4,63]
            `"Thu Mar  5 23:51:47 2015"|strptime("%c")` => [2015,2,5,23,51,47,4,63]
            `"20 15"|strptime("%C %y")` => [2015,0,0,0,0,0,3,-1]
            `1|strptime("%Y")` => error: strptime/1 requires string inputs and arguments
            `now` => 1796389620.25
            `"emoji 😀 É" | ascii_downcase, ascii_upcase` => "emoji 😀 É","EMOJI 😀 É"
            `1 | ascii_downcase` => error: explode input must be a string
            `"aéa" | indices("a"), index("a"), rindex("a"), index("z")` => [0,3],0,3,null
            `"aaa" | indices("aa")` => [0]
            `[1,2,1] | indices(1), index(1), rindex(1)` => [0,2],0,2
            `null | indices("a")` => null
            `-2.5 | fabs, trunc, rint, nearbyint` => 2.5,-2,-2,-2
            `3.5 | nearbyint` => 4
            `12 | significand, logb` => 1.5,3
            `0 | logb, significand` => -1.7976931348623157e+308,0
            `"x" | fabs` => error: string ("x") number required
            `"abcdefghijklmnop" | fabs` => error: string ("abcdefghij...) number required
            `"\\(1e17) \\(0.1 + 0.2) \\([1.0])" | ., @base64` => "1e+17 0.30000000000000004 [1]","MWUrMTcgMC4zMDAwMDAwMDAwMDAwMDAwNCBbMV0="
            `[0.1, 1.0, 1e300, 1e17, 1e15, 0.00001, 123456789012345678, 1e1000] | tostring` => "[0.1,1,1e+300,1e+17,1000000000000000,1e-05,123456789012345680,1.7976931348623157e+308]"
            """)
    void behavesAsJq16(String program, String expected) throws JsonQueryException {
        assertThat(run(program)).isEqualTo(expected);
    }

    private static String run(String program) throws JsonQueryException {
        Scope scope = Scope.newChildScope(MetadataQuery.rootScope(CLOCK));
        List<String> out = new ArrayList<>();
        try {
            JsonQuery.compile(Interpolations.rewrite(program), Versions.JQ_1_6)
                    .apply(scope, NullNode.getInstance(), value -> out.add(JqValues.dump(value)));
        } catch (JsonQueryException e) {
            return "error: " + e.getMessage();
        }
        return String.join(",", out);
    }
}
