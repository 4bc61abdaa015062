package io.sluice.api.auth;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Changes to a received request, as a network or a mistaken client would make them. */
final class Tampering {
    private Tampering() {}

    static ReceivedRequest withHeader(ReceivedRequest request, String name, String... values) {
        Map<String, List<String>> headers = new HashMap<>(request.headers());
        headers.put(name.toLowerCase(Locale.ROOT), List.of(values));
        return copy(request, headers, request.payloadSha256());
    }

    static ReceivedRequest withoutHeader(ReceivedRequest request, String name) {
        Map<String, List<String>> headers = new HashMap<>(request.headers());
        headers.remove(name.toLowerCase(Locale.ROOT));
        return copy(request, headers, request.payloadSha256());
    }

    static ReceivedRequest withAuthorization(ReceivedRequest request, UnaryOperator<String> change) {
        return withHeader(
                request,
                "Authorization",
                change.apply(request.firstHeader("Authorization").orElseThrow()));
    }

    static ReceivedRequest withBody(ReceivedRequest request, byte[] body) {
        return ReceivedRequest.withBody(
                request.method(), request.rawPath(), request.rawQuery(), request.headers(), body);
    }

    private static ReceivedRequest copy(ReceivedRequest request, Map<String, List<String>> headers, String sha256) {
        return new ReceivedRequest(request.method(), request.rawPath(), request.rawQuery(), headers, sha256);
    }
}
