package io.sluice.api.auth;

import static io.sluice.common.ErrorCode.INCOMPLETE_SIGNATURE;
import static java.util.Objects.requireNonNull;

import io.sluice.common.FirehoseException;
import java.util.List;

/** The {@code Credential} parameter: {@code <access key id>/<yyyyMMdd>/<region>/<service>/aws4_request}. */
record CredentialScope(String accessKeyId, String date, String region, String service, String terminator) {
    CredentialScope {
        requireNonNull(accessKeyId, "accessKeyId is null");
        requireNonNull(date, "date is null");
        requireNonNull(region, "region is null");
        requireNonNull(service, "service is null");
        requireNonNull(terminator, "terminator is null");
    }

    /** Splits the parameter; its parts are checked by the verifier. */
    static CredentialScope parse(String credential) {
        List<String> parts = AuthorizationHeader.split(credential, '/');
        if (parts.size() != 5) {
            throw FirehoseException.of(
                    INCOMPLETE_SIGNATURE,
                    "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term,"
                            + " got '%s'",
                    credential);
        }
        return new CredentialScope(parts.get(0), parts.get(1), parts.get(2), parts.get(3), parts.get(4));
    }

    /** The scope as it appears in the string to sign. */
    String withoutAccessKeyId() {
        return String.join("/", date, region, service, terminator);
    }
}
