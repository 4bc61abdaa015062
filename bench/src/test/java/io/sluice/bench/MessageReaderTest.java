package io.sluice.bench;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MessageReaderTest {
    @Test
    void readsKeepAliveResponsesOneAfterAnother() throws IOException {
        MessageReader reader = reader(
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nx-amzn-RequestId: 1\r\n\r\n{}"
                        + "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 5\r\n\r\nslow!",
                false);

        HttpResponse first = reader.readResponse();
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.bodyText()).isEqualTo("{}");
        assertThat(first.close()).isFalse();
        HttpResponse second = reader.readResponse();
        assertThat(second.status()).isEqualTo(503);
        assertThat(second.bodyText()).isEqualTo("slow!");
    }

    @Test
    void messagesArrivingOneByteAtATimeAreReassembled() throws IOException {
        String body = "x".repeat(70_000);
        MessageReader reader = reader(
                "HTTP/1.1 200 OK\r\nContent-Length: 70000\r\n\r\n" + body + "HTTP/1.1 204 No Content\r\n"
                        + "Content-Length: 0\r\n\r\n",
                true);

        assertThat(reader.readResponse().bodyText()).isEqualTo(body);
        assertThat(reader.readResponse().status()).isEqualTo(204);
    }

    @Test
    void decodesAChunkedBody() throws IOException {
        MessageReader reader = reader(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\n"
                        + "Trailer: x\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n!",
                true);

        assertThat(reader.readResponse().bodyText()).isEqualTo("hello, world");
        assertThat(reader.readResponse().bodyText()).isEqualTo("!");
    }

    @Test
    void aResponseWithoutLengthEndsWithTheConnection() throws IOException {
        HttpResponse response = reader(
                        "HTTP/1.0 500 INTERNAL SERVER ERROR\r\nX-Amzn-ErrorType: Boom\r\n\r\noops", false)
                .readResponse();

        assertThat(response.status()).isEqualTo(500);
        assertThat(response.bodyText()).isEqualTo("oops");
        assertThat(response.close()).isTrue();
        assertThat(response.errorType()).hasValue("Boom");
    }

    @Test
    void connectionCloseAndHttp10AreHonoured() throws IOException {
        assertThat(reader("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", false)
                        .readResponse()
                        .close())
                .isTrue();
        assertThat(reader("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n", false)
                        .readResponse()
                        .close())
                .isFalse();
    }

    @Test
    void aPeerClosingBeforeOrInsideAResponseIsAnError() {
        assertThatThrownBy(() -> reader("", false).readResponse()).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> reader("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", false)
                        .readResponse())
                .isInstanceOf(EOFException.class);
    }

    @Test
    void requestsAreReadWithTheirBodiesDroppedUntilACleanEnd() throws IOException {
        MessageReader reader = reader(
                "POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcPOST / HTTP/1.1\r\nConnection: close\r\n"
                        + "Content-Length: 1\r\n\r\nz",
                true);

        Optional<HttpHead> first = reader.readRequest();
        Optional<HttpHead> second = reader.readRequest();

        assertThat(first).hasValueSatisfying(h -> assertThat(h.close()).isFalse());
        assertThat(second).hasValueSatisfying(h -> assertThat(h.close()).isTrue());
        assertThat(reader.readRequest()).isEmpty();
    }

    private static MessageReader reader(String wire, boolean oneByteAtATime) {
        InputStream bytes = new ByteArrayInputStream(wire.getBytes(ISO_8859_1));
        InputStream in = oneByteAtATime
                ? new InputStream() {
                    @Override
                    public int read() throws IOException {
                        return bytes.read();
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        return bytes.read(b, off, Math.min(len, 1));
                    }
                }
                : bytes;
        return new MessageReader(in, 16);
    }
}
