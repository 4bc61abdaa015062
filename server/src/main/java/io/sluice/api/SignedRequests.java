package io.sluice.api;

import io.sluice.api.auth.ReceivedRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.server.Request;

/** A Jetty request as the SigV4 verifier reads it. */
public final class SignedRequests {
    private SignedRequests() {}

    /** The method, raw path and query, every header, and the hash of {@code body}, the body received. */
    public static ReceivedRequest received(Request request, byte[] body) {
        return received(request, ReceivedRequest.sha256Hex(body));
    }

    /** The method, raw path and query, every header, and {@code payloadSha256}, the hash of the body received. */
    public static ReceivedRequest received(Request request, String payloadSha256) {
        Map<String, List<String>> headers = new HashMap<>();
        for (HttpField field : request.getHeaders()) {
            headers.computeIfAbsent(field.getLowerCaseName(), n -> new ArrayList<>(1))
                    .add(field.getValue());
        }
        String query = request.getHttpURI().getQuery();
        return new ReceivedRequest(
                request.getMethod(),
                request.getHttpURI().getPath(),
                query == null ? "" : query,
                headers,
                payloadSha256);
    }
}
