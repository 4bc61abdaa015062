package io.sluice.destination.opensearch;

import static java.util.Objects.requireNonNull;

/**
 * The {@code FIREHOSE_DEFAULT} document ids of one stream (delivery spec §9.1, §9.3): made of where the
 * record is in the stream's log, which outlives retries and restarts, so that a document sent again
 * overwrites itself instead of being indexed twice:
 * {@code <first 16 characters of the stream's uid>.<log position>.<subsequence number>}, e.g.
 * {@code 3f2a9c1e7b6d4e58.1042.0}. The uid part keeps the ids of streams writing to one index apart;
 * a stream deleted and created again under its name starts new ids.
 */
record DocumentIds(String streamPart) {
    private static final int STREAM_PART_LENGTH = 16;

    DocumentIds {
        requireNonNull(streamPart, "streamPart is null");
    }

    /** The ids of the stream whose uid is {@code uid}. */
    static DocumentIds of(String uid) {
        String compact = uid.replace("-", "");
        return new DocumentIds(compact.substring(0, Math.min(STREAM_PART_LENGTH, compact.length())));
    }

    /** The id of record {@code subsequence} made of the record at {@code position}. */
    String id(long position, int subsequence) {
        return streamPart + "." + position + "." + subsequence;
    }
}
