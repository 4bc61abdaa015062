package io.sluice.catalog;

import static java.util.Objects.requireNonNull;

/** Names one delivery stream: streams are namespaced by account and by region. */
public record StreamRef(String account, String region, String name) {
    public StreamRef {
        requireNonNull(account, "account is null");
        requireNonNull(region, "region is null");
        requireNonNull(name, "name is null");
    }

    public String arn() {
        return "arn:aws:firehose:" + region + ":" + account + ":deliverystream/" + name;
    }
}
