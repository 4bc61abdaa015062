package io.sluice.api;

import java.io.IOException;

/** A test suite's reset: deletes every delivery stream and its data. */
@FunctionalInterface
public interface Reset {
    /** Deletes everything; returns how many delivery streams there were. */
    int deleteEverything() throws IOException;
}
