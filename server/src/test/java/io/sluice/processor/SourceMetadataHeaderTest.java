package io.sluice.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SourceMetadataHeaderTest {
    private static final ByteBuffer DATA = ByteBuffer.wrap("payload".getBytes(StandardCharsets.UTF_8));

    @Test
    void keepsKinesisMetadataBeforeTheData() {
        SourceMetadata kinesis = new SourceMetadata.Kinesis("shardId-000000000001", "ключ", "49545115243490985018", 7);

        ByteBuffer stored = SourceMetadataHeader.prepend(kinesis, DATA);
        int flags = SourceMetadataHeader.flags(kinesis);

        assertThat(flags).isEqualTo(SourceMetadataHeader.FLAG);
        assertThat(SourceMetadataHeader.metadata(flags, stored)).isEqualTo(kinesis);
        assertThat(SourceMetadataHeader.data(flags, stored)).isEqualTo(DATA);
        assertThat(stored.position()).isZero();
    }

    @Test
    void keepsKafkaMetadataBeforeTheData() {
        SourceMetadata kafka = new SourceMetadata.Kafka(11, 1L << 40);

        ByteBuffer stored = SourceMetadataHeader.prepend(kafka, DATA);

        assertThat(SourceMetadataHeader.metadata(SourceMetadataHeader.FLAG, stored))
                .isEqualTo(kafka);
        assertThat(SourceMetadataHeader.data(SourceMetadataHeader.FLAG, stored)).isEqualTo(DATA);
    }

    @Test
    void aPutRecordHasNoHeader() {
        ByteBuffer stored = SourceMetadataHeader.prepend(SourceMetadata.PUT, DATA);

        assertThat(SourceMetadataHeader.flags(SourceMetadata.PUT)).isZero();
        assertThat(stored).isEqualTo(DATA);
        assertThat(SourceMetadataHeader.metadata(0x01, stored)).isEqualTo(SourceMetadata.PUT);
        assertThat(SourceMetadataHeader.data(0x01, stored)).isEqualTo(DATA);
    }

    @Test
    void refusesATruncatedOrUnknownHeader() {
        ByteBuffer stored = SourceMetadataHeader.prepend(new SourceMetadata.Kafka(1, 2), DATA);
        ByteBuffer truncated = stored.slice(0, 6);

        assertThatThrownBy(() -> SourceMetadataHeader.metadata(SourceMetadataHeader.FLAG, truncated))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () -> SourceMetadataHeader.metadata(SourceMetadataHeader.FLAG, ByteBuffer.wrap(new byte[] {9})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown source metadata kind 9");
    }
}
