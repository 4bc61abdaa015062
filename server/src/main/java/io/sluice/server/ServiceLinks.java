package io.sluice.server;

import java.util.regex.Pattern;

/**
 * The environment variables Kubernetes gives every pod for a Service named {@code sluice} in its
 * namespace (its "service links"): {@code SLUICE_SERVICE_HOST}, {@code SLUICE_SERVICE_PORT},
 * {@code SLUICE_SERVICE_PORT_<PORT NAME>}, {@code SLUICE_PORT}, {@code SLUICE_PORT_<n>_<PROTO>} and
 * {@code SLUICE_PORT_<n>_<PROTO>_PROTO}, {@code _PORT}, {@code _ADDR}. They are not settings.
 *
 * <p>{@code SLUICE_PORT} is also the {@code port} setting. Kubernetes always gives it a URL
 * ({@code tcp://10.0.0.1:4573}), which is never a valid port, so a value starting with {@code tcp://},
 * {@code udp://} or {@code sctp://} is the service link and any other value is the setting.
 */
final class ServiceLinks {
    private static final Pattern NAME = Pattern.compile(
            "SLUICE_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT_[0-9]+_(TCP|UDP|SCTP)(_PROTO|_PORT|_ADDR)?)");
    private static final Pattern PORT_URL = Pattern.compile("(?i)(tcp|udp|sctp)://.*");

    private ServiceLinks() {}

    /** Whether the variable {@code name} with {@code value} is one of Kubernetes' service links. */
    static boolean isServiceLink(String name, String value) {
        if (name.equals("SLUICE_PORT")) {
            return PORT_URL.matcher(value.trim()).matches();
        }
        return NAME.matcher(name).matches();
    }
}
