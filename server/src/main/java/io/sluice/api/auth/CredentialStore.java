package io.sluice.api.auth;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The access keys Sluice accepts, looked up by access key id. Immutable and thread-safe. */
public final class CredentialStore {
    private final Map<String, Credential> byAccessKeyId;

    private CredentialStore(Map<String, Credential> byAccessKeyId) {
        this.byAccessKeyId = Map.copyOf(byAccessKeyId);
    }

    /** Rejects two credentials with the same access key id. */
    public static CredentialStore of(Collection<Credential> credentials) {
        requireNonNull(credentials, "credentials is null");
        Map<String, Credential> byAccessKeyId = new HashMap<>();
        for (Credential credential : credentials) {
            requireNonNull(credential, "credential is null");
            if (byAccessKeyId.putIfAbsent(credential.accessKeyId(), credential) != null) {
                throw new IllegalArgumentException("duplicate access key id " + credential.accessKeyId());
            }
        }
        return new CredentialStore(byAccessKeyId);
    }

    public Optional<Credential> find(String accessKeyId) {
        return Optional.ofNullable(byAccessKeyId.get(requireNonNull(accessKeyId, "accessKeyId is null")));
    }
}
