package io.sluice.catalog;

/**
 * Told of every stream change after it is persisted, on the thread that made it, under the catalog's
 * write lock: implementations must be quick and must not call back into the catalog's write methods.
 */
public interface CatalogListener {
    CatalogListener NONE = new CatalogListener() {};

    /** A stream was created or changed (status, destination, encryption, tags). */
    default void changed(DeliveryStream stream) {}

    /** A stream finished deleting and is gone. */
    default void removed(DeliveryStream stream) {}
}
