package io.sluice.api.auth;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/** The permissions of every access key; a key not listed is {@linkplain KeyPermissions#unrestricted unrestricted}. */
public final class Permissions {
    /** Every key may do everything in its own account. */
    public static final Permissions NONE = new Permissions(Map.of());

    private final Map<String, KeyPermissions> byAccessKeyId;

    public Permissions(Map<String, KeyPermissions> byAccessKeyId) {
        this.byAccessKeyId = Map.copyOf(requireNonNull(byAccessKeyId, "byAccessKeyId is null"));
    }

    public KeyPermissions of(String accessKeyId) {
        KeyPermissions permissions = byAccessKeyId.get(requireNonNull(accessKeyId, "accessKeyId is null"));
        return permissions != null ? permissions : KeyPermissions.unrestricted(accessKeyId);
    }

    /** The IAM user ARN the caller acts as: {@code arn:aws:iam::<account>:user/<user name>}. */
    public String principalArn(Authenticated caller) {
        return "arn:aws:iam::" + caller.accountId() + ":user/"
                + of(caller.accessKeyId()).userName();
    }
}
