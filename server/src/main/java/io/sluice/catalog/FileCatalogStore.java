package io.sluice.catalog;

import static java.util.Objects.requireNonNull;

import io.sluice.common.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each stream in its own file, {@code <dir>/<account>/<region>/<name>.json}, replaced atomically
 * on every change, holding its {@link StreamDocuments document}. The store of one node: the catalog's
 * copy of a stream is what is stored, and changes are serialised by the caller. Stream names
 * ({@code [a-zA-Z0-9_.-]+}) are safe file names once {@code .json} is appended.
 *
 * <p>With a {@link SecretSeal} (as the server runs it), a file holding a secret in clear (format 1, as
 * earlier releases wrote it) is read, then written again sealed when the catalog loads.
 */
public final class FileCatalogStore implements CatalogStore {
    private static final Logger LOG = LoggerFactory.getLogger(FileCatalogStore.class);
    private static final String SUFFIX = ".json";

    private final Path dir;
    private final StreamDocuments documents;

    /** A store writing format 1, secrets in clear, and reading format 1 only. */
    public FileCatalogStore(Path dir, DestinationFormat destinations) {
        this(dir, destinations, Optional.empty());
    }

    /** A store sealing secrets with {@code seal}, migrating files that hold them in clear. */
    public FileCatalogStore(Path dir, DestinationFormat destinations, SecretSeal seal) {
        this(dir, destinations, Optional.of(requireNonNull(seal, "seal is null")));
    }

    private FileCatalogStore(Path dir, DestinationFormat destinations, Optional<SecretSeal> seal) {
        this.dir = requireNonNull(dir, "dir is null");
        this.documents = new StreamDocuments(destinations, seal);
    }

    @Override
    public List<DeliveryStream> loadAll() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<DeliveryStream> streams = new ArrayList<>();
        List<DeliveryStream> clear = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir, 3)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(SUFFIX))
                    .toList()) {
                StreamDocuments.Read loaded = read(file);
                streams.add(loaded.stream());
                if (loaded.secretsInClear()) {
                    clear.add(loaded.stream());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the catalog in " + dir, e);
        }
        clear.forEach(this::save);
        if (!clear.isEmpty()) {
            LOG.info(
                    "Sealed the destination secrets stored in clear by an earlier release in {} catalog files",
                    clear.size());
        }
        LOG.info("Catalog loaded {} delivery streams from {}", streams.size(), dir);
        return streams;
    }

    @Override
    public Optional<DeliveryStream> load(StreamRef ref) {
        Path file = file(ref);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(read(file).stream());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read delivery stream " + ref, e);
        }
    }

    @Override
    public Optional<DeliveryStream> change(
            StreamRef ref, Optional<DeliveryStream> cached, UnaryOperator<Optional<DeliveryStream>> change) {
        Optional<DeliveryStream> next = change.apply(cached);
        if (!next.equals(cached)) {
            next.ifPresentOrElse(this::save, () -> delete(ref));
        }
        return next;
    }

    private StreamDocuments.Read read(Path file) throws IOException {
        return documents.read(Files.readAllBytes(file), file.toString());
    }

    private void save(DeliveryStream stream) {
        try {
            AtomicFiles.replace(file(stream.ref()), documents.write(stream));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write delivery stream " + stream.ref(), e);
        }
    }

    private void delete(StreamRef ref) {
        try {
            AtomicFiles.delete(file(ref));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete delivery stream " + ref, e);
        }
    }

    private Path file(StreamRef ref) {
        return dir.resolve(ref.account()).resolve(ref.region()).resolve(ref.name() + SUFFIX);
    }
}
