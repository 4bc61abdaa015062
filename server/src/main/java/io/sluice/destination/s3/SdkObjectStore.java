package io.sluice.destination.s3;

import static java.util.Objects.requireNonNull;

import io.sluice.aws.AccessKeys;
import io.sluice.aws.AssumedRoleCredentials;
import io.sluice.common.DataSize;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;
import software.amazon.awssdk.utils.IoUtils;

/**
 * Writes objects to any S3-compatible service through the AWS SDK for Java v2 ({@link S3Client} on the
 * Apache 5 HTTP client, one connection pool for all endpoints). The endpoint and credentials of each
 * put come from {@link S3StoreConfig#resolve}; one client is kept per endpoint, credentials and assumed
 * role. An assumed role's session comes from STS ({@link AssumedRoleCredentials}, on the same HTTP
 * client) and is renewed before it expires.
 *
 * <p>Bodies below the {@link MultipartPolicy} threshold go up in one {@code PutObject}; larger ones
 * as a multipart upload whose parts are read from the content one at a time (a failed upload is
 * aborted so no parts linger). Every request carries a CRC32 checksum the service verifies, and
 * {@code Content-Type} / {@code Content-Encoding} are set as given. The SDK's standard retries
 * (3 attempts) absorb short blips; what still fails is returned, classified:
 *
 * <ul>
 *   <li>no credentials for the stream's role (STS refused the AssumeRole, was unreachable, or the
 *       endpoint's own credentials were missing) → {@code S3.AssumeRoleFailed}, retryable: the
 *       operator can fix the role's trust policy or the credentials while the data waits, as with a
 *       denied S3 access;
 *   <li>an S3 error response → {@code S3.<its code>}, e.g. {@code S3.NoSuchBucket},
 *       {@code S3.AccessDenied}, {@code S3.SignatureDoesNotMatch}, {@code S3.InternalError}, or
 *       {@code S3.Http<status>} when the response has no code; retryable, because Firehose retries
 *       S3 failures until the data's retention ends, except {@code S3.KeyTooLongError} and
 *       {@code S3.EntityTooLarge}, which the same request always meets again (permanent);
 *   <li>no connection (refused, unknown host, connect timeout) → {@code S3.Unreachable}, retryable;
 *   <li>any other client-side failure (I/O, reading the content, checksum) → {@code S3.ClientError},
 *       retryable.
 * </ul>
 */
public final class SdkObjectStore implements ObjectStore {
    private static final Set<String> PERMANENT_CODES = Set.of("KeyTooLongError", "EntityTooLarge");
    private static final ChecksumAlgorithm CHECKSUM = ChecksumAlgorithm.CRC32;

    private final S3StoreConfig config;
    private final SdkHttpClient http;
    private final ConcurrentMap<S3StoreConfig.Target, Client> clients = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    public SdkObjectStore(S3StoreConfig config) {
        this.config = requireNonNull(config, "config is null");
        this.http = Apache5HttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(10))
                .maxConnections(64)
                .build();
    }

    @Override
    public PutOutcome put(PutObject request) {
        if (closed.get()) {
            throw new IllegalStateException("store is closed");
        }
        DataSize size = request.content().size();
        try {
            S3Client client = client(request.bucket(), request.roleArn());
            if (config.multipart().usesParts(size)) {
                putInParts(client, request, config.multipart().partBytes(size));
            } else {
                putWhole(client, request);
            }
            return new PutOutcome.Stored(request.bucket(), request.key(), size);
        } catch (RuntimeException e) {
            return classify(e);
        }
    }

    @Override
    public List<String> keys(String bucket, Optional<String> roleArn, int limit) throws IOException {
        List<String> keys = new ArrayList<>();
        try {
            for (S3Object object : client(bucket, roleArn)
                    .listObjectsV2Paginator(b -> b.bucket(bucket).maxKeys(Math.min(limit, 1000)))
                    .contents()) {
                if (keys.size() == limit) {
                    break;
                }
                keys.add(object.key());
            }
            return keys;
        } catch (NoSuchBucketException e) {
            return List.of();
        } catch (RuntimeException e) {
            throw new IOException("Cannot list bucket " + bucket + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<ObjectHead> head(String bucket, String key, Optional<String> roleArn, int bytes)
            throws IOException {
        try {
            S3Client client = client(bucket, roleArn);
            long size = client.headObject(b -> b.bucket(bucket).key(key)).contentLength();
            byte[] first = size == 0 || bytes == 0
                    ? new byte[0]
                    : client.getObjectAsBytes(b -> b.bucket(bucket).key(key).range("bytes=0-" + (bytes - 1)))
                            .asByteArray();
            return Optional.of(new ObjectHead(first, size));
        } catch (NoSuchKeyException | NoSuchBucketException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw new IOException("Cannot read s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IOException("Cannot read s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    private S3Client client(String bucket, Optional<String> roleArn) {
        if (closed.get()) {
            throw new IllegalStateException("store is closed");
        }
        return clients.computeIfAbsent(config.resolve(bucket, roleArn), this::client)
                .s3();
    }

    private static void putWhole(S3Client client, PutObject request) {
        PutObjectRequest.Builder put = PutObjectRequest.builder()
                .bucket(request.bucket())
                .key(request.key())
                .contentType(request.contentType())
                .checksumAlgorithm(CHECKSUM);
        request.contentEncoding().ifPresent(put::contentEncoding);
        long size = request.content().size().bytes();
        client.putObject(
                put.build(),
                RequestBody.fromContentProvider(slice(request.content(), 0, size), size, request.contentType()));
    }

    private static void putInParts(S3Client client, PutObject request, long partBytes) {
        CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder()
                .bucket(request.bucket())
                .key(request.key())
                .contentType(request.contentType())
                .checksumAlgorithm(CHECKSUM);
        request.contentEncoding().ifPresent(create::contentEncoding);
        String uploadId = client.createMultipartUpload(create.build()).uploadId();
        try {
            long size = request.content().size().bytes();
            List<CompletedPart> parts = new ArrayList<>();
            for (long offset = 0; offset < size; offset += partBytes) {
                int number = parts.size() + 1;
                long length = Math.min(partBytes, size - offset);
                UploadPartResponse uploaded = client.uploadPart(
                        UploadPartRequest.builder()
                                .bucket(request.bucket())
                                .key(request.key())
                                .uploadId(uploadId)
                                .partNumber(number)
                                .contentLength(length)
                                .checksumAlgorithm(CHECKSUM)
                                .build(),
                        RequestBody.fromContentProvider(
                                slice(request.content(), offset, length), length, request.contentType()));
                parts.add(CompletedPart.builder()
                        .partNumber(number)
                        .eTag(uploaded.eTag())
                        .checksumCRC32(uploaded.checksumCRC32())
                        .build());
            }
            client.completeMultipartUpload(CompleteMultipartUploadRequest.builder()
                    .bucket(request.bucket())
                    .key(request.key())
                    .uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts))
                    .build());
        } catch (RuntimeException e) {
            abortQuietly(client, request, uploadId, e);
            throw e;
        }
    }

    private static void abortQuietly(S3Client client, PutObject request, String uploadId, RuntimeException cause) {
        try {
            client.abortMultipartUpload(AbortMultipartUploadRequest.builder()
                    .bucket(request.bucket())
                    .key(request.key())
                    .uploadId(uploadId)
                    .build());
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    /** Bytes {@code [offset, offset + length)} of the content, opened afresh for every attempt. */
    private static ContentStreamProvider slice(ObjectContent content, long offset, long length) {
        return () -> {
            try {
                InputStream in = content.open();
                in.skipNBytes(offset);
                return new BoundedInputStream(in, length);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /** The failure an exception from the SDK or the content stands for (see the class comment). */
    static PutOutcome.Failure classify(RuntimeException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof AssumedRoleCredentials.AssumeRoleFailedException failed) {
                return new PutOutcome.RetryableFailure("S3.AssumeRoleFailed", failed.getMessage());
            }
        }
        if (e instanceof AwsServiceException service) {
            String code = Optional.ofNullable(service.awsErrorDetails())
                    .map(AwsErrorDetails::errorCode)
                    .filter(c -> !c.isEmpty())
                    .orElse("Http" + service.statusCode());
            String message = Optional.ofNullable(service.awsErrorDetails())
                    .map(AwsErrorDetails::errorMessage)
                    .orElse(service.getMessage());
            String text = message + " (HTTP " + service.statusCode() + ")";
            return PERMANENT_CODES.contains(code)
                    ? new PutOutcome.PermanentFailure("S3." + code, text)
                    : new PutOutcome.RetryableFailure("S3." + code, text);
        }
        if (e instanceof AbortedException) {
            Thread.currentThread().interrupt();
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof UnknownHostException) {
                return new PutOutcome.RetryableFailure("S3.Unreachable", String.valueOf(e.getMessage()));
            }
        }
        return new PutOutcome.RetryableFailure("S3.ClientError", String.valueOf(e.getMessage()));
    }

    /** An SDK client and the credentials provider it was built with, which it does not close itself. */
    private record Client(S3Client s3, AwsCredentialsProvider credentials) {
        void close() {
            s3.close();
            IoUtils.closeIfCloseable(credentials, null);
        }
    }

    private Client client(S3StoreConfig.Target target) {
        S3EndpointConfig endpoint = target.endpoint();
        AwsCredentialsProvider own = AccessKeys.provider(endpoint.credentials());
        AwsCredentialsProvider credentials = target.assumedRole()
                .<AwsCredentialsProvider>map(role -> AssumedRoleCredentials.create(
                        role,
                        own,
                        Region.of(endpoint.region()),
                        config.roleAssumption().stsEndpoint(),
                        http))
                .orElse(own);
        S3ClientBuilder builder = S3Client.builder()
                .httpClient(http)
                .region(Region.of(endpoint.region()))
                .forcePathStyle(endpoint.pathStyle())
                .credentialsProvider(credentials)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_SUPPORTED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_SUPPORTED);
        endpoint.endpoint().ifPresent(builder::endpointOverride);
        return new Client(builder.build(), credentials);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            clients.values().forEach(Client::close);
            clients.clear();
            http.close();
        }
    }

    /** At most {@code remaining} bytes of a stream; closing it closes the stream. */
    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedInputStream(InputStream in, long remaining) {
            this.in = in;
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
