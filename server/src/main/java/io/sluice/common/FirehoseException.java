package io.sluice.common;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A failure that reaches the client as an AWS error: {@code __type} from the code, {@code message}
 * as given. {@code detailCode} fills the {@code code} member that InvalidKMSResourceException and
 * InvalidSourceException carry.
 */
public final class FirehoseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String detailCode;

    public FirehoseException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public FirehoseException(ErrorCode code, String message, String detailCode) {
        super(requireNonNull(message, "message is null"), null, false, false);
        this.code = requireNonNull(code, "code is null");
        this.detailCode = detailCode;
    }

    public static FirehoseException of(ErrorCode code, String format, Object... args) {
        return new FirehoseException(code, String.format(java.util.Locale.ROOT, format, args));
    }

    public ErrorCode code() {
        return code;
    }

    public Optional<String> detailCode() {
        return Optional.ofNullable(detailCode);
    }
}
