package io.sluice.catalog;

import static java.util.Objects.requireNonNull;

/** An account and region: the namespace of delivery stream names. */
public record Scope(String account, String region) {
    public Scope {
        requireNonNull(account, "account is null");
        requireNonNull(region, "region is null");
    }

    public StreamRef stream(String name) {
        return new StreamRef(account, region, name);
    }

    public boolean contains(StreamRef ref) {
        return ref.account().equals(account) && ref.region().equals(region);
    }
}
