package io.sluice.destination.s3;

import static java.util.Objects.requireNonNull;

import io.sluice.common.AtomicFiles;
import io.sluice.common.DataSize;
import io.sluice.common.DirectlyWrittenFile;
import io.sluice.common.SteadilyForcedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The embedded store used when no S3 endpoint is configured: object {@code <key>} of bucket
 * {@code <bucket>} is the file {@code <root>/<bucket>/<key>}, each {@code /} of the key a folder; the
 * root is {@code <data-dir>/buckets}. Buckets are folders made on first use.
 *
 * <p>Each object appears atomically: its body is written to {@code <root>/.incoming/<uuid>.tmp}
 * (same file system, outside every bucket), forced to disk, renamed over the target and the folder
 * forced, so a reader sees the old object or the whole new one, never a part, even after a crash.
 * Temporary files a crash left behind are deleted when the store is made; one Sluice process owns a
 * data directory.
 *
 * <p>A file has no place for {@code Content-Type} or {@code Content-Encoding}: they are not kept (the
 * extension in the key still tells the format). Keys a file system cannot hold faithfully are refused
 * as permanent failures ({@code S3.InvalidKey}): a leading {@code /}, an empty segment ({@code a//b}
 * would alias {@code a/b}), a {@code .} or {@code ..} segment, a NUL, a segment over 255 UTF-8 bytes,
 * or a key that collides with an existing folder or file; keys over 1024 UTF-8 bytes are
 * {@code S3.KeyTooLongError} as in S3. Bucket names are letters, digits, {@code _ . -}, starting with
 * a letter, digit or {@code _}, at most 255 characters (what a {@code BucketARN} may hold).
 */
public final class LocalObjectStore implements ObjectStore {
    static final String INCOMING = ".incoming";

    private static final Pattern BUCKET = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}");
    private static final int MAX_KEY_BYTES = 1024;
    /** See {@link SteadilyForcedFile}: a few MiB, so the final fsync is short and the log's never waits long. */
    private static final DataSize FORCE_STAGED_EVERY = DataSize.ofMebibytes(4);
    /** See {@link DirectlyWrittenFile}: large enough for the disk to take each write at speed. */
    private static final DataSize DIRECT_CHUNK = DataSize.ofKibibytes(256);
    /** Direct buffers kept for the next staged files: as many as objects are commonly written at once. */
    private static final int DIRECT_BUFFERS_KEPT = 8;

    private static final int MAX_SEGMENT_BYTES = 255;
    private static final Comparator<String> UTF8_ORDER =
            (a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private final Path root;
    private final Path incoming;
    private final Supplier<UUID> tempNames;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Per staging folder, buffers for direct writes if its file system takes them. */
    private final Map<Path, Optional<DirectlyWrittenFile.Buffers>> directBuffers = new ConcurrentHashMap<>();

    /** A store over {@code root}, made if missing; {@code tempNames} names temporary files, each distinct. */
    public LocalObjectStore(Path root, Supplier<UUID> tempNames) throws IOException {
        this.root = requireNonNull(root, "root is null").toAbsolutePath();
        this.tempNames = requireNonNull(tempNames, "tempNames is null");
        this.incoming = this.root.resolve(INCOMING);
        Files.createDirectories(incoming);
        AtomicFiles.forceDirectory(this.root);
        if (this.root.getParent() != null) {
            AtomicFiles.forceDirectory(this.root.getParent());
        }
        deleteLeftovers();
    }

    /**
     * A staged file becomes the object (a link to it), so it goes to the disk as it is written: with
     * direct I/O where the file system takes it, else forced every few MiB.
     */
    @Override
    public OutputStream createStaged(Path file) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        Optional<DirectlyWrittenFile.Buffers> buffers = directBuffers.get(folder);
        if (buffers == null) {
            buffers = DirectlyWrittenFile.Buffers.in(folder, DIRECT_CHUNK, DIRECT_BUFFERS_KEPT);
            directBuffers.put(folder, buffers);
        }
        return buffers.isPresent()
                ? DirectlyWrittenFile.create(file, buffers.get())
                : SteadilyForcedFile.create(file, FORCE_STAGED_EVERY);
    }

    /** The store under {@code <dataDirectory>/buckets}. */
    public static LocalObjectStore inDataDirectory(Path dataDirectory, Supplier<UUID> tempNames) throws IOException {
        return new LocalObjectStore(dataDirectory.resolve("buckets"), tempNames);
    }

    private void deleteLeftovers() throws IOException {
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(incoming, "*.tmp")) {
            for (Path leftover : leftovers) {
                Files.deleteIfExists(leftover);
            }
        }
    }

    public Path root() {
        return root;
    }

    /** Where object {@code key} of {@code bucket} is, or why it cannot be stored here. */
    public Path pathOf(String bucket, String key) {
        Optional<PutOutcome.PermanentFailure> refusal = refusal(bucket, key);
        if (refusal.isPresent()) {
            throw new IllegalArgumentException(refusal.get().message());
        }
        return root.resolve(bucket).resolve(key);
    }

    @Override
    public PutOutcome put(PutObject request) {
        if (closed.get()) {
            throw new IllegalStateException("store is closed");
        }
        Optional<PutOutcome.PermanentFailure> refusal = refusal(request.bucket(), request.key());
        if (refusal.isPresent()) {
            return refusal.get();
        }
        Path bucketDir = root.resolve(request.bucket());
        Path target = bucketDir.resolve(request.key());
        Path temp = incoming.resolve(tempNames.get() + ".tmp");
        try {
            long written = writeDurably(request.content(), temp);
            long expected = request.content().size().bytes();
            if (written != expected) {
                return new PutOutcome.RetryableFailure(
                        "S3.IncompleteBody",
                        "The body of " + request.key() + " had " + written + " bytes, not the " + expected
                                + " announced.");
            }
            makeFolders(bucketDir, target.getParent());
            if (Files.isDirectory(target)) {
                throw new DirectoryNotEmptyException(target.toString());
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            AtomicFiles.forceDirectory(target.getParent());
            return new PutOutcome.Stored(request.bucket(), request.key(), DataSize.ofBytes(written));
        } catch (FileAlreadyExistsException | NotDirectoryException | DirectoryNotEmptyException e) {
            return new PutOutcome.PermanentFailure(
                    "S3.InvalidKey",
                    "Key " + request.key() + " collides with an existing folder or file: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            return new PutOutcome.RetryableFailure(
                    "S3.InternalError", "Cannot write " + request.key() + " to " + bucketDir + ": " + e);
        } finally {
            deleteQuietly(temp);
        }
    }

    /**
     * Puts the content at {@code temp}, forced to disk. A staged file on the same file system is linked,
     * not copied (it is never written again, so both names see the same bytes); otherwise it is copied.
     */
    private static long writeDurably(ObjectContent content, Path temp) throws IOException {
        if (content instanceof ObjectContent.OfFile file) {
            try {
                Files.createLink(temp, file.file());
                try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.READ)) {
                    channel.force(true);
                    return channel.size();
                }
            } catch (UnsupportedOperationException | IOException e) {
                deleteQuietly(temp);
            }
        }
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                InputStream in = content.open()) {
            OutputStream out = Channels.newOutputStream(channel);
            long written = in.transferTo(out);
            channel.force(true);
            return written;
        }
    }

    /** Makes the folders from {@code bucketDir} down to {@code folder}, forcing each new one's parent. */
    private void makeFolders(Path bucketDir, Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            return;
        }
        Path parent = folder.equals(bucketDir) ? root : folder.getParent();
        if (!folder.equals(bucketDir)) {
            makeFolders(bucketDir, parent);
        }
        try {
            Files.createDirectory(folder);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(folder)) {
                throw e;
            }
        }
        AtomicFiles.forceDirectory(parent);
    }

    private static Optional<PutOutcome.PermanentFailure> refusal(String bucket, String key) {
        if (!BUCKET.matcher(bucket).matches()) {
            return Optional.of(new PutOutcome.PermanentFailure(
                    "S3.InvalidBucketName", "The local store cannot hold a bucket named '" + bucket + "'."));
        }
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            return Optional.of(new PutOutcome.PermanentFailure(
                    "S3.KeyTooLongError", "Key is longer than " + MAX_KEY_BYTES + " bytes: " + key));
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty()
                    || segment.equals(".")
                    || segment.equals("..")
                    || segment.indexOf('\0') >= 0
                    || segment.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
                return Optional.of(new PutOutcome.PermanentFailure(
                        "S3.InvalidKey", "The local store cannot hold key '" + key + "' as a file."));
            }
        }
        return Optional.empty();
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            // A leftover temporary file is harmless and deleted when the store is next made.
        }
    }

    /** Whether {@code bucket} exists (a bucket exists once something was stored in it or it was made). */
    public boolean hasBucket(String bucket) {
        return BUCKET.matcher(bucket).matches() && Files.isDirectory(root.resolve(bucket));
    }

    /** Every bucket, by name. */
    public List<String> buckets() throws IOException {
        try (Stream<Path> children = Files.list(root)) {
            return children.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(name -> BUCKET.matcher(name).matches())
                    .sorted(UTF8_ORDER)
                    .toList();
        }
    }

    /**
     * Makes {@code bucket}; false when it already existed.
     *
     * @throws IllegalArgumentException when the local store cannot hold a bucket of that name
     */
    public boolean createBucket(String bucket) throws IOException {
        if (!BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("The local store cannot hold a bucket named '" + bucket + "'.");
        }
        try {
            Files.createDirectory(root.resolve(bucket));
        } catch (FileAlreadyExistsException e) {
            return false;
        }
        AtomicFiles.forceDirectory(root);
        return true;
    }

    /** The file holding object {@code key} of {@code bucket}; empty when there is no such object. */
    public Optional<Path> find(String bucket, String key) {
        if (refusal(bucket, key).isPresent()) {
            return Optional.empty();
        }
        Path file = root.resolve(bucket).resolve(key);
        return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) ? Optional.of(file) : Optional.empty();
    }

    /**
     * The keys of {@code bucket} in S3's order (by their UTF-8 bytes), read from its folder tree on
     * each call; empty when the bucket does not exist.
     */
    public List<String> keys(String bucket) throws IOException {
        if (!hasBucket(bucket)) {
            return List.of();
        }
        Path bucketDir = root.resolve(bucket);
        try (Stream<Path> files = Files.walk(bucketDir)) {
            return files.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS))
                    .map(f -> keyOf(bucketDir, f))
                    .sorted(UTF8_ORDER)
                    .toList();
        }
    }

    @Override
    public List<String> keys(String bucket, Optional<String> roleArn, int limit) throws IOException {
        List<String> keys = keys(bucket);
        return keys.subList(0, Math.min(limit, keys.size()));
    }

    @Override
    public Optional<ObjectHead> head(String bucket, String key, Optional<String> roleArn, int bytes)
            throws IOException {
        Optional<Path> file = find(bucket, key);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(file.get())) {
            return Optional.of(new ObjectHead(in.readNBytes(bytes), Files.size(file.get())));
        }
    }

    private static String keyOf(Path bucketDir, Path file) {
        List<String> segments = new ArrayList<>();
        bucketDir.relativize(file).forEach(segment -> segments.add(segment.toString()));
        return String.join("/", segments);
    }

    /**
     * Deletes object {@code key} of {@code bucket} and the folders it leaves empty (the bucket stays);
     * false when there was no such object.
     */
    public boolean delete(String bucket, String key) throws IOException {
        Optional<Path> file = find(bucket, key);
        if (file.isEmpty() || !Files.deleteIfExists(file.get())) {
            return false;
        }
        Path bucketDir = root.resolve(bucket);
        Path folder = file.get().getParent();
        while (!folder.equals(bucketDir) && deleteIfEmpty(folder)) {
            folder = folder.getParent();
        }
        AtomicFiles.forceDirectory(folder);
        return true;
    }

    private static boolean deleteIfEmpty(Path folder) throws IOException {
        try {
            return Files.deleteIfExists(folder);
        } catch (DirectoryNotEmptyException e) {
            return false;
        }
    }

    /** Deletes every bucket and object (nothing may be storing meanwhile). */
    public void deleteEverything() throws IOException {
        for (String bucket : buckets()) {
            try (Stream<Path> paths = Files.walk(root.resolve(bucket))) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
        AtomicFiles.forceDirectory(root);
    }

    @Override
    public void close() {
        closed.set(true);
    }
}
