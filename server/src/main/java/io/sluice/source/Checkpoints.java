package io.sluice.source;

import java.io.IOException;
import java.util.Map;

/**
 * How far a stream's source reader has read, durably: names (a shard id, a partition) to positions (a
 * sequence number, an offset), as the reader defines them. A reader saves a position only once the
 * records up to it are durable in the stream's log, so a restart (or kill -9, or another node taking the
 * stream over) resumes after them: records read again are duplicates, never gaps.
 */
public interface Checkpoints {
    /** The positions last saved; empty if none were. */
    Map<String, String> load() throws IOException;

    /** Replaces the saved positions with {@code positions}: durable when it returns. */
    void save(Map<String, String> positions) throws IOException;

    /** Forgets the positions (the stream was deleted). */
    void delete() throws IOException;
}
