package io.sluice.catalog;

/**
 * Told by a shared {@link CatalogStore} that another node changed the catalog. Called on the store's own
 * thread; implementations read the store again and must not block it for long.
 */
public interface CatalogWatcher {
    /** The stream may have changed (created, changed or deleted). */
    void changed(StreamRef ref);

    /** Any stream may have changed (the store may have missed notices, reconnecting): read them all again. */
    void resync();
}
