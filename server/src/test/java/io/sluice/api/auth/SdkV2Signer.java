package io.sluice.api.auth;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** Test oracle: signs like the AWS SDK for Java v2 and hands back what Sluice would receive. */
final class SdkV2Signer {
    static final String ENDPOINT = "http://127.0.0.1:4573";

    private SdkV2Signer() {}

    /** A PutRecordBatch-like request to {@link #ENDPOINT} with extra headers appended. */
    static SdkHttpRequest.Builder firehoseRequest(Map<String, List<String>> extraHeaders) {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(URI.create(ENDPOINT + "/"))
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "Firehose_20150804.PutRecordBatch");
        extraHeaders.forEach((name, values) -> values.forEach(value -> request.appendHeader(name, value)));
        return request;
    }

    static ReceivedRequest sign(
            SdkHttpRequest request,
            byte[] body,
            AwsCredentialsIdentity identity,
            String service,
            String region,
            Instant signingTime) {
        SignedRequest signed = AwsV4HttpSigner.create()
                .sign(r -> r.identity(identity)
                        .request(request)
                        .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signingTime, ZoneOffset.UTC)));
        SdkHttpRequest sent = signed.request();
        return ReceivedRequest.withBody(
                sent.method().name(),
                sent.encodedPath(),
                sent.encodedQueryParameters().orElse(""),
                sent.headers(),
                body);
    }
}
