package io.sluice.api.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class CanonicalRequestTest {
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "''|/",
                "/|/",
                "/a%20b/c~d|/a%2520b/c~d",
                "/a/./b/../c//d/|/a/c/d/",
                "/..|/",
                "/\u00e9|/%C3%A9",
                "/a:b@c!|/a%3Ab%40c%21",
            })
    void removesDotSegmentsThenEncodesThePathAgain(String rawPath, String canonical) {
        assertThat(CanonicalRequest.path(rawPath)).isEqualTo(canonical);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "''|''",
                "b=2&a=z&a=x%20y|a=x%20y&a=z&b=2",
                "a|a=",
                "x=%2f&y=a+b&z=%zz|x=%2F&y=a%2Bb&z=%25zz",
                "&&a=1&|a=1",
                "k=%7E&j=%C3%A9|j=%C3%A9&k=~",
                "a=b=c|a=b%3Dc",
            })
    void decodesReencodesAndSortsTheQuery(String rawQuery, String canonical) {
        assertThat(CanonicalRequest.query(rawQuery)).isEqualTo(canonical);
    }

    @Test
    void trimsValuesCollapsesWhitespaceAndJoinsRepeats() {
        assertThat(CanonicalRequest.headerValue(List.of("  a   b \t c  "))).isEqualTo("a b c");
        assertThat(CanonicalRequest.headerValue(List.of("first", " second  value ")))
                .isEqualTo("first,second value");
        assertThat(CanonicalRequest.headerValue(List.of(""))).isEmpty();
    }

    /** One value: kept as it is only where neither the collapsing nor the trimming would change it. */
    @ParameterizedTest
    @MethodSource("singleValues")
    void keepsAValueThatIsAlreadyCanonical(String value, String canonical) {
        assertThat(CanonicalRequest.headerValue(List.of(value))).isEqualTo(canonical);
    }

    static Stream<Arguments> singleValues() {
        return Stream.of(
                Arguments.of("a b c", "a b c"),
                Arguments.of("a  b", "a b"),
                Arguments.of("a\tb", "a b"),
                Arguments.of("a \nb", "a b"),
                Arguments.of(" a", "a"),
                Arguments.of("a ", "a"),
                Arguments.of("a\u000Bb\fc\rd", "a b c d"),
                Arguments.of("a\u00A0b", "a\u00A0b"),
                Arguments.of("a\u2003", "a"),
                Arguments.of("\u2003a\u2003b", "a\u2003b"),
                Arguments.of("a\u001Fb", "a\u001Fb"));
    }

    @Test
    void writesOnlySignedHeadersInTheOrderListed() {
        ReceivedRequest request = ReceivedRequest.withBody(
                "POST",
                "/",
                "",
                Map.of(
                        "Host", List.of("127.0.0.1:4573"),
                        "X-Amz-Date", List.of("20260314T150926Z"),
                        "User-Agent", List.of("not signed")),
                "{}".getBytes(UTF_8));

        assertThat(CanonicalRequest.of(
                        SignedService.FIREHOSE, request, List.of("host", "x-amz-date"), request.payloadSha256()))
                .isEqualTo("""
                        POST
                        /

                        host:127.0.0.1:4573
                        x-amz-date:20260314T150926Z

                        host;x-amz-date
                        44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a""");
    }

    @Test
    void derivesTheSigningKeyOfAwsDocumentationExample() {
        byte[] key = SigningKeys.derive("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam");

        assertThat(HexFormat.of().formatHex(key))
                .isEqualTo("f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
    }

    @Test
    void signingKeyCacheStaysWithinItsCapacity() {
        SigningKeys keys = new SigningKeys("firehose", 2);
        Credential credential = new Credential("AKIDEXAMPLE", "secret", "123456789012");

        byte[] first = keys.signingKey(credential, "20260314", "eu-west-1");
        assertThat(keys.signingKey(credential, "20260314", "eu-west-1")).isSameAs(first);
        keys.signingKey(credential, "20260314", "us-east-1");
        keys.signingKey(credential, "20260315", "eu-west-1");

        assertThat(keys.size()).isLessThanOrEqualTo(2);
        assertThat(keys.signingKey(credential, "20260314", "eu-west-1"))
                .isEqualTo(SigningKeys.derive("secret", "20260314", "eu-west-1", "firehose"));
    }
}
