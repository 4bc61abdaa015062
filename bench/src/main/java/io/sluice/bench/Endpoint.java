package io.sluice.bench;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * A plain-HTTP Firehose endpoint on a loopback address: the generator refuses any other address, so
 * load never leaves the machine. {@code hostHeader} is what is sent and signed as {@code Host}.
 */
public record Endpoint(InetSocketAddress address, String hostHeader) {
    public Endpoint {
        requireNonNull(address, "address is null");
        requireNonNull(hostHeader, "hostHeader is null");
        if (address.isUnresolved() || !address.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException(
                    "the endpoint must be on a loopback address (127.0.0.0/8 or ::1): " + address);
        }
    }

    /** Parses {@code http://host:port}; the port defaults to 80. */
    public static Endpoint parse(String text) {
        URI uri = URI.create(text.strip());
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("the endpoint must be http://HOST:PORT: '" + text + "'");
        }
        String path = uri.getRawPath();
        if ((path != null && !path.isEmpty() && !path.equals("/")) || uri.getRawQuery() != null) {
            throw new IllegalArgumentException("the endpoint takes no path or query: '" + text + "'");
        }
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        String host = uri.getHost();
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        InetAddress address;
        try {
            address = InetAddress.getByName(bare);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve " + bare, e);
        }
        return new Endpoint(new InetSocketAddress(address, port), uri.getPort() < 0 ? host : host + ":" + port);
    }

    @Override
    public String toString() {
        return "http://" + hostHeader;
    }
}
