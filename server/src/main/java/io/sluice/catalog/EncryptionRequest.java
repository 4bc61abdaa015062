package io.sluice.catalog;

import static java.util.Objects.requireNonNull;

import io.sluice.common.ErrorCode;
import io.sluice.common.FirehoseException;
import java.util.Optional;

/** {@code DeliveryStreamEncryptionConfigurationInput}: a key type, and the key's ARN for a customer key. */
public record EncryptionRequest(KeyType keyType, Optional<String> keyArn) {
    public EncryptionRequest {
        requireNonNull(keyType, "keyType is null");
        requireNonNull(keyArn, "keyArn is null");
        if (keyType == KeyType.CUSTOMER_MANAGED_CMK && keyArn.isEmpty()) {
            throw new FirehoseException(
                    ErrorCode.INVALID_ARGUMENT, "KeyARN is required when KeyType is CUSTOMER_MANAGED_CMK.");
        }
        if (keyType == KeyType.AWS_OWNED_CMK && keyArn.isPresent()) {
            throw new FirehoseException(
                    ErrorCode.INVALID_ARGUMENT, "KeyARN must not be specified when KeyType is AWS_OWNED_CMK.");
        }
    }

    public static final EncryptionRequest AWS_OWNED = new EncryptionRequest(KeyType.AWS_OWNED_CMK, Optional.empty());
}
