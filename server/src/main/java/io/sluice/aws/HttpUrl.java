package io.sluice.aws;

import java.net.URI;

/** Checks endpoint URLs given in configuration. */
public final class HttpUrl {
    private HttpUrl() {}

    /** {@code uri}, if it is an {@code http} or {@code https} URL with a host; {@code what} names it otherwise. */
    public static URI require(URI uri, String what) {
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException(what + " must be an http or https URL: " + uri);
        }
        return uri;
    }
}
