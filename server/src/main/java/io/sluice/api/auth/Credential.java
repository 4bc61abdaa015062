package io.sluice.api.auth;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * One access key Sluice accepts. The access key id follows IAM's pattern ({@code [\w]+}, at most
 * 128 characters) without IAM's 16-character minimum, so short local keys such as {@code
 * AKIDEXAMPLE} work. {@link #toString()} never shows the secret.
 */
public record Credential(String accessKeyId, String secretAccessKey, String accountId) {
    private static final Pattern ACCESS_KEY_ID = Pattern.compile("\\w{1,128}");
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");

    public Credential {
        requireNonNull(accessKeyId, "accessKeyId is null");
        requireNonNull(secretAccessKey, "secretAccessKey is null");
        requireNonNull(accountId, "accountId is null");
        if (!ACCESS_KEY_ID.matcher(accessKeyId).matches()) {
            throw new IllegalArgumentException(
                    "accessKeyId must be 1 to 128 letters, digits or underscores: '" + accessKeyId + "'");
        }
        if (secretAccessKey.isEmpty()) {
            throw new IllegalArgumentException("secretAccessKey of " + accessKeyId + " is empty");
        }
        if (!ACCOUNT_ID.matcher(accountId).matches()) {
            throw new IllegalArgumentException(
                    "accountId of " + accessKeyId + " must be 12 digits: '" + accountId + "'");
        }
    }

    @Override
    public String toString() {
        return "Credential[accessKeyId=" + accessKeyId + ", secretAccessKey=****, accountId=" + accountId + "]";
    }
}
