package io.sluice.api.auth;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What one access key may do. The key acts as the IAM user {@code userName} of its account (its ARN
 * {@code arn:aws:iam::<account>:user/<userName>} names it in denials and the audit log). With no
 * statements at all the key may call everything on every stream of its account, as before permissions
 * existed; with any statement, only what an {@code allow} statement covers, and never what a {@code deny}
 * statement covers: an explicit deny wins.
 */
public record KeyPermissions(String userName, List<Statement> allow, List<Statement> deny) {
    /** IAM's user name characters, at most 64. */
    private static final Pattern USER_NAME = Pattern.compile("[\\w+=,.@-]{1,64}");

    public KeyPermissions {
        requireNonNull(userName, "userName is null");
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
        if (!USER_NAME.matcher(userName).matches()) {
            throw new IllegalArgumentException(
                    "a user name is 1 to 64 letters, digits and +=,.@_- : '" + userName + "'");
        }
    }

    /** A key without statements, known as the user named like its access key id. */
    public static KeyPermissions unrestricted(String accessKeyId) {
        return new KeyPermissions(accessKeyId, List.of(), List.of());
    }

    public boolean restricted() {
        return !allow.isEmpty() || !deny.isEmpty();
    }

    /** Whether the key may call {@code action} ({@code firehose:PutRecord}) on the stream {@code resource}. */
    public boolean allows(String action, String resource) {
        if (deny.stream().anyMatch(s -> s.covers(action, resource))) {
            return false;
        }
        return !restricted() || allow.stream().anyMatch(s -> s.covers(action, resource));
    }

    /**
     * Whether the key may call {@code action} on some stream: an action that names no stream
     * (ListDeliveryStreams) or whose stream is not known yet.
     */
    public boolean allowsSomewhere(String action) {
        if (deny.stream().anyMatch(s -> s.coversEveryResource(action))) {
            return false;
        }
        return !restricted() || allow.stream().anyMatch(s -> s.namesAction(action));
    }
}
