package io.sluice.log.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Set;

/**
 * Opens the channels the writer appends segments through. The default is {@link FileChannel#open};
 * tests substitute channels that fail like a full disk.
 */
@FunctionalInterface
public interface FileChannelOpener {
    FileChannelOpener DEFAULT = FileChannel::open;

    FileChannel open(Path path, Set<? extends OpenOption> options) throws IOException;
}
