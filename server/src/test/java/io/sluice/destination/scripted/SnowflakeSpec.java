package io.sluice.destination.scripted;

import static java.util.Objects.requireNonNull;

import io.sluice.catalog.DestinationSpec;
import io.sluice.destination.BufferingHints;
import io.sluice.destination.s3.S3DestinationSpec;
import java.time.Duration;
import java.util.Optional;

/**
 * A validated {@code SnowflakeDestinationConfiguration}, as far as the test-only destination reads it.
 *
 * @param accountUrl {@code AccountUrl}, such as {@code https://acme.snowflakecomputing.com}
 * @param user {@code User}, when given
 * @param role {@code RoleARN}, the IAM role Firehose assumes
 * @param allData {@code S3BackupMode} {@code AllData} (else {@code FailedDataOnly})
 */
record SnowflakeSpec(
        String accountUrl,
        Optional<String> user,
        String database,
        String schema,
        String table,
        String role,
        BufferingHints hints,
        Duration retryDuration,
        boolean allData,
        S3DestinationSpec s3)
        implements DestinationSpec {
    SnowflakeSpec {
        requireNonNull(accountUrl, "accountUrl is null");
        requireNonNull(user, "user is null");
        requireNonNull(database, "database is null");
        requireNonNull(schema, "schema is null");
        requireNonNull(table, "table is null");
        requireNonNull(role, "role is null");
        requireNonNull(hints, "hints is null");
        requireNonNull(retryDuration, "retryDuration is null");
        requireNonNull(s3, "s3 is null");
    }
}
