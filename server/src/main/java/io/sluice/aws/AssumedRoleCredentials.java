package io.sluice.aws;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.utils.IoUtils;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The temporary credentials of one role, assumed through STS with {@code source} credentials as
 * session {@value #SESSION_NAME}. The SDK's {@link StsAssumeRoleCredentialsProvider} keeps the session
 * and renews it before it expires. A failure to get one is thrown as {@link AssumeRoleFailedException},
 * so that a caller tells it from its service's own failures: STS's error codes ({@code AccessDenied},
 * ...) would otherwise read as the service's. Closing closes the STS client and the source.
 */
public final class AssumedRoleCredentials implements AwsCredentialsProvider, SdkAutoCloseable {
    private static final String SESSION_NAME = "sluice-delivery";

    private final String roleArn;
    private final AwsCredentialsProvider source;
    private final StsClient sts;
    private final StsAssumeRoleCredentialsProvider session;

    private AssumedRoleCredentials(
            String roleArn, AwsCredentialsProvider source, StsClient sts, StsAssumeRoleCredentialsProvider session) {
        this.roleArn = roleArn;
        this.source = source;
        this.sts = sts;
        this.session = session;
    }

    /** {@code roleArn} assumed with {@code source} through the STS of {@code region}, or {@code stsEndpoint}. */
    public static AssumedRoleCredentials create(
            String roleArn,
            AwsCredentialsProvider source,
            Region region,
            Optional<URI> stsEndpoint,
            SdkHttpClient http) {
        requireNonNull(roleArn, "roleArn is null");
        StsClientBuilder builder =
                StsClient.builder().httpClient(http).region(region).credentialsProvider(source);
        stsEndpoint.ifPresent(builder::endpointOverride);
        StsClient sts = builder.build();
        StsAssumeRoleCredentialsProvider session = StsAssumeRoleCredentialsProvider.builder()
                .stsClient(sts)
                .refreshRequest(r -> r.roleArn(roleArn).roleSessionName(SESSION_NAME))
                .build();
        return new AssumedRoleCredentials(roleArn, source, sts, session);
    }

    @Override
    public AwsCredentials resolveCredentials() {
        try {
            return session.resolveCredentials();
        } catch (RuntimeException e) {
            throw new AssumeRoleFailedException(roleArn, e);
        }
    }

    @Override
    public void close() {
        session.close();
        sts.close();
        IoUtils.closeIfCloseable(source, null);
    }

    /** No credentials for a role: STS refused, was unreachable, or the source had none. */
    public static final class AssumeRoleFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AssumeRoleFailedException(String roleArn, RuntimeException cause) {
            super("AssumeRole of " + roleArn + " failed: " + describe(cause), cause);
        }

        private static String describe(RuntimeException cause) {
            if (cause instanceof AwsServiceException service && service.awsErrorDetails() != null) {
                return service.awsErrorDetails().errorCode() + ": "
                        + service.awsErrorDetails().errorMessage() + " (HTTP " + service.statusCode() + ")";
            }
            return String.valueOf(cause.getMessage());
        }
    }
}
