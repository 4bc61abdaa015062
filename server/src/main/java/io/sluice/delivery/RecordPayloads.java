package io.sluice.delivery;

import io.sluice.catalog.DeliveryStream;
import io.sluice.log.LogRecord;
import java.nio.ByteBuffer;

/** Turns a record as stored in the log into the bytes that were put (decrypting stored-encrypted ones). */
@FunctionalInterface
public interface RecordPayloads {
    RecordPayloads STORED = (stream, record) -> record.payload();

    ByteBuffer plaintext(DeliveryStream stream, LogRecord record);
}
