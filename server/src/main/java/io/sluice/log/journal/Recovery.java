package io.sluice.log.journal;

import io.sluice.common.AtomicFiles;
import io.sluice.log.StreamKey;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rebuilds the {@link LogIndex} from the segment files and the checkpoint when the log opens.
 *
 * <p>Damage policy. A torn or damaged frame in the <em>newest</em> segment is where the last write
 * stopped (a crash mid-write): the file is truncated at the start of that frame, since nothing after
 * it was acknowledged under the default policy. A damaged frame in an <em>older</em> segment is not
 * a torn write but bad storage: the good frames before it are kept, the rest of that segment is
 * skipped (its records become a gap in their streams' offsets), the file is left as it is for
 * inspection, and an ERROR is logged; later segments are recovered normally. An older segment whose
 * header is unreadable is renamed to {@code .corrupt} and skipped the same way.
 */
final class Recovery {
    private static final System.Logger LOG = System.getLogger(Recovery.class.getName());
    private static final Pattern SEGMENT_NAME =
            Pattern.compile("(\\d{20})" + Pattern.quote(FrameFormat.SEGMENT_SUFFIX));

    /** What recovery found, for the log's counters and the startup sentence. */
    record Summary(int segments, long bytes, int streams, long truncatedBytes) {}

    private Recovery() {}

    static Summary run(Path directory, Checkpoint checkpoint, LogIndex index) throws IOException {
        long started = System.nanoTime();
        index.restoreTombstones(checkpoint.tombstones());
        TreeMap<Long, Path> files = segmentFiles(directory);
        SegmentScanner scanner = new SegmentScanner();
        long bytes = 0;
        long truncated = 0;
        int segments = 0;
        for (Map.Entry<Long, Path> file : files.entrySet()) {
            boolean newest = file.getKey().equals(files.lastKey());
            long sequence = file.getKey();
            Path path = file.getValue();
            Segment segment = new Segment(sequence, path, 0);
            SegmentVisitor visitor = new SegmentVisitor(index, segment);
            SegmentScanner.Result result;
            try (FileChannel channel = FileChannel.open(
                    path,
                    newest
                            ? new StandardOpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE}
                            : new StandardOpenOption[] {StandardOpenOption.READ})) {
                result = scanner.scan(channel, sequence, visitor);
                if (!result.headerValid()) {
                    channel.close();
                    dropUnreadable(path, newest, result);
                    continue;
                }
                long size = result.fileSize();
                if (result.damage().isPresent()) {
                    String reason = result.damage().get();
                    long lost = result.fileSize() - result.validEnd();
                    if (newest) {
                        channel.truncate(result.validEnd());
                        channel.force(true);
                        size = result.validEnd();
                        truncated += lost;
                        LOG.log(
                                Level.WARNING,
                                "Truncated {0} bytes at position {1} of segment {2}, the newest: {3}; they were"
                                        + " never acknowledged.",
                                lost,
                                result.validEnd(),
                                path.getFileName(),
                                reason);
                    } else {
                        LOG.log(
                                Level.ERROR,
                                "Segment {0} is damaged at position {1} ({2}); its last {3} bytes are skipped"
                                        + " and the records in them are lost; the file is left as it is.",
                                path.getFileName(),
                                result.validEnd(),
                                reason,
                                lost);
                    }
                }
                segment.fileSize(size);
            }
            index.recoveredSegment(segment);
            bytes += result.validEnd();
            segments++;
        }
        index.restoreOffsets(checkpoint);
        index.dropObsoleteTombstones();
        double seconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
        LOG.log(
                Level.INFO,
                "Recovered {0} segments ({1} bytes) of {2} streams in {3} ms ({4} MB/s).",
                segments,
                bytes,
                index.streamCount(),
                Math.round(seconds * 1000),
                Math.round(bytes / seconds / 1e6));
        return new Summary(segments, bytes, index.streamCount(), truncated);
    }

    private static TreeMap<Long, Path> segmentFiles(Path directory) throws IOException {
        TreeMap<Long, Path> files = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                Matcher matcher = SEGMENT_NAME.matcher(entry.getFileName().toString());
                if (matcher.matches() && Files.isRegularFile(entry)) {
                    files.put(Long.parseLong(matcher.group(1)), entry);
                }
            }
        }
        return files;
    }

    private static void dropUnreadable(Path path, boolean newest, SegmentScanner.Result result) throws IOException {
        String reason = result.damage().orElse("unreadable header");
        if (newest && result.fileSize() <= FrameFormat.SEGMENT_HEADER_SIZE) {
            Files.delete(path);
            AtomicFiles.forceDirectory(path.getParent());
            LOG.log(
                    Level.WARNING,
                    "Deleted segment {0}, the newest, whose creation was cut short: {1}.",
                    path.getFileName(),
                    reason);
            return;
        }
        Path aside = path.resolveSibling(path.getFileName() + ".corrupt");
        Files.move(path, aside, StandardCopyOption.REPLACE_EXISTING);
        AtomicFiles.forceDirectory(path.getParent());
        LOG.log(
                Level.ERROR,
                "Segment {0} has no valid header ({1}); moved it to {2} and skipped its {3} bytes, whose records"
                        + " are lost.",
                path.getFileName(),
                reason,
                aside.getFileName(),
                result.fileSize());
    }

    /**
     * Checks one segment's frames against each other and the streams' state, and feeds the good
     * ones to the index. A frame that breaks an invariant is treated as damaged.
     */
    private static final class SegmentVisitor implements SegmentScanner.FrameVisitor {
        /** Marks a local id whose stream was deleted. */
        private static final StreamState DEAD = new StreamState(new StreamKey("deleted"));

        private final LogIndex index;
        private final Segment segment;
        private final List<StreamState> locals = new ArrayList<>();
        private final Map<StreamKey, Integer> defined = new HashMap<>();
        private int[] lastFrame = new int[8];

        SegmentVisitor(LogIndex index, Segment segment) {
            this.index = index;
            this.segment = segment;
        }

        @Override
        public void stream(int position, FrameFormat.StreamDefinition definition) throws BadFrameException {
            if (definition.localId() != locals.size()) {
                throw new BadFrameException("stream id " + definition.localId() + " defined out of order");
            }
            if (defined.putIfAbsent(definition.key(), definition.localId()) != null) {
                throw new BadFrameException("stream " + definition.key() + " defined twice");
            }
            StreamState stream = index.recoveredStream(definition.key());
            if (locals.size() == lastFrame.length) {
                lastFrame = java.util.Arrays.copyOf(lastFrame, lastFrame.length * 2);
            }
            lastFrame[locals.size()] = -1;
            locals.add(stream == null ? DEAD : stream);
        }

        @Override
        public void batch(int position, FrameFormat.BatchHeader header) throws BadFrameException {
            if (header.localId() >= locals.size()) {
                throw new BadFrameException("batch of undefined stream id " + header.localId());
            }
            StreamState stream = locals.get(header.localId());
            int previous = lastFrame[header.localId()];
            int expectedBack = previous < 0 ? 0 : position - previous;
            if (header.backDistance() != expectedBack) {
                throw new BadFrameException("batch back link " + header.backDistance() + " should be " + expectedBack);
            }
            lastFrame[header.localId()] = position;
            if (stream == DEAD) {
                index.recoveredArrival(segment, header.maxArrivalMillis());
                return;
            }
            if (header.firstOffset() < stream.end()) {
                throw new BadFrameException("batch offset " + header.firstOffset() + " of stream " + stream
                        + " repeats offsets before " + stream.end());
            }
            index.recoveredFrame(stream, segment, header.localId(), position, header);
        }
    }
}
