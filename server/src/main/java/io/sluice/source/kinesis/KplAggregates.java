package io.sluice.source.kinesis;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * De-aggregation of records the Kinesis Producer Library aggregated (delivery spec §6.3): a Kinesis record
 * is an aggregate iff it is the magic {@code F3 89 9A C2}, a protobuf {@code AggregatedRecord}, and the
 * 16-byte MD5 of that protobuf. Each of its records becomes one user record, its index being its
 * subsequence number, with the partition key its {@code partition_key_index} names.
 *
 * <pre>
 * message AggregatedRecord { repeated string partition_key_table = 1;
 *                            repeated string explicit_hash_key_table = 2;
 *                            repeated Record records = 3; }
 * message Record { required uint64 partition_key_index = 1; optional uint64 explicit_hash_key_index = 2;
 *                  required bytes data = 3; repeated Tag tags = 4; }
 * </pre>
 *
 * As the Kinesis Client Library does, a record without the magic, with a wrong MD5 or whose protobuf does
 * not parse (or names a partition key the table lacks) is not an aggregate: it is passed through as one
 * record, unchanged.
 */
public final class KplAggregates {
    private static final byte[] MAGIC = {(byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2};
    private static final int DIGEST_LENGTH = 16;

    private static final int PARTITION_KEY_TABLE = 1;
    private static final int RECORDS = 3;
    private static final int PARTITION_KEY_INDEX = 1;
    private static final int DATA = 3;

    /** One user record: the data of the {@code index}-th record of an aggregate and its partition key. */
    public record UserRecord(String partitionKey, ByteBuffer data) {
        public UserRecord {
            requireNonNull(partitionKey, "partitionKey is null");
            requireNonNull(data, "data is null");
        }
    }

    private KplAggregates() {}

    /**
     * The user records of the Kinesis record {@code data} (bytes from position to limit, not changed),
     * whose partition key is {@code partitionKey}: those of the aggregate, in order, or the record itself.
     */
    public static List<UserRecord> deaggregate(ByteBuffer data, String partitionKey) {
        List<UserRecord> aggregated = aggregated(data);
        return aggregated != null ? aggregated : List.of(new UserRecord(partitionKey, data.duplicate()));
    }

    /** The records of an aggregate, or null if {@code data} is not one. */
    private static List<UserRecord> aggregated(ByteBuffer data) {
        int length = data.remaining() - MAGIC.length - DIGEST_LENGTH;
        if (length < 0 || !data.slice(data.position(), MAGIC.length).equals(ByteBuffer.wrap(MAGIC))) {
            return null;
        }
        ByteBuffer message = data.slice(data.position() + MAGIC.length, length);
        ByteBuffer digest = data.slice(data.position() + MAGIC.length + length, DIGEST_LENGTH);
        if (!ByteBuffer.wrap(md5(message)).equals(digest)) {
            return null;
        }
        try {
            return parse(CodedInputStream.newInstance(message));
        } catch (IOException | IndexOutOfBoundsException e) {
            return null;
        }
    }

    private static List<UserRecord> parse(CodedInputStream in) throws IOException {
        List<String> partitionKeys = new ArrayList<>();
        List<ByteString> records = new ArrayList<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case PARTITION_KEY_TABLE ->
                    partitionKeys.add(expect(in, tag, WireFormat.WIRETYPE_LENGTH_DELIMITED)
                            .readStringRequireUtf8());
                case RECORDS ->
                    records.add(expect(in, tag, WireFormat.WIRETYPE_LENGTH_DELIMITED)
                            .readBytes());
                default -> in.skipField(tag);
            }
        }
        List<UserRecord> users = new ArrayList<>(records.size());
        for (ByteString record : records) {
            users.add(userRecord(CodedInputStream.newInstance(record.asReadOnlyByteBuffer()), partitionKeys));
        }
        return users;
    }

    /** {@code in}, when the field {@code tag} starts has the wire type its message declares. */
    private static CodedInputStream expect(CodedInputStream in, int tag, int wireType) throws IOException {
        if (WireFormat.getTagWireType(tag) != wireType) {
            throw new IOException("field " + WireFormat.getTagFieldNumber(tag) + " has wire type "
                    + WireFormat.getTagWireType(tag) + ", not " + wireType);
        }
        return in;
    }

    private static UserRecord userRecord(CodedInputStream in, List<String> partitionKeys) throws IOException {
        long keyIndex = -1;
        ByteString data = null;
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case PARTITION_KEY_INDEX ->
                    keyIndex = expect(in, tag, WireFormat.WIRETYPE_VARINT).readUInt64();
                case DATA ->
                    data = expect(in, tag, WireFormat.WIRETYPE_LENGTH_DELIMITED).readBytes();
                default -> in.skipField(tag);
            }
        }
        if (data == null || keyIndex < 0 || keyIndex >= partitionKeys.size()) {
            throw new IOException("an aggregated record lacks its data or names no partition key in the table");
        }
        return new UserRecord(partitionKeys.get((int) keyIndex), data.asReadOnlyByteBuffer());
    }

    private static byte[] md5(ByteBuffer bytes) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(bytes.duplicate());
            return md5.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has MD5", e);
        }
    }
}
