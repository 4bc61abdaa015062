package io.sluice.catalog;

import java.util.List;

/** Where the catalog persists streams. Writes are durable when the call returns. */
public interface CatalogStore {
    List<DeliveryStream> loadAll();

    void save(DeliveryStream stream);

    void delete(StreamRef ref);
}
