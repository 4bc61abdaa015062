package io.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.destination.s3.S3ProxyServer;
import io.sluice.testing.RunningSluice;
import io.sluice.testing.Streams;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DestinationDescription;
import software.amazon.awssdk.services.firehose.model.Tag;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The console over plain HTTP (the JDK client, no browser): sign-in, the session cookie's flags, the form
 * token, validation by the API's own code shown next to the fields, escaping, delete with confirmation, and
 * the setting that turns it off.
 */
class ConsoleHttpIT {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private static RunningSluice sluice;
    private static FirehoseClient firehose;
    private final HttpClient http = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @BeforeAll
    static void start() {
        sluice = RunningSluice.start();
        firehose = sluice.client();
    }

    @AfterAll
    static void stop() {
        if (firehose != null) {
            firehose.close();
        }
        if (sluice != null) {
            sluice.close();
        }
    }

    @Test
    void aBrowserWithoutASessionIsSentToSignIn() throws Exception {
        for (String path : new String[] {"/console", "/console/streams", "/console/streams/anything"}) {
            HttpResponse<String> page = get(path, "");
            assertThat(page.statusCode()).as(path).isEqualTo(303);
            assertThat(page.headers().firstValue("Location")).as(path).hasValue("/console/sign-in");
        }
        HttpResponse<String> create = post("/console/streams/new", "", Map.of("DeliveryStreamName", "x"));
        assertThat(create.statusCode()).isEqualTo(303);
        assertThat(create.headers().firstValue("Location")).hasValue("/console/sign-in");
    }

    @Test
    void signInRefusesAWrongSecretAndSetsAStrictHttpOnlyCookie() throws Exception {
        HttpResponse<String> wrong = post(
                "/console/sign-in",
                "",
                Map.of("AccessKeyId", "test", "SecretAccessKey", "nope", "Region", "us-east-1"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("The access key or its secret is not valid.");
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
        HttpResponse<String> unknown = post(
                "/console/sign-in",
                "",
                Map.of("AccessKeyId", "nobody", "SecretAccessKey", "test", "Region", "us-east-1"));
        assertThat(unknown.statusCode()).isEqualTo(401);

        HttpResponse<String> right = post(
                "/console/sign-in",
                "",
                Map.of("AccessKeyId", "test", "SecretAccessKey", "test", "Region", "us-east-1"));
        assertThat(right.statusCode()).isEqualTo(303);
        String cookie = right.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie)
                .startsWith("sluice-console=")
                .contains("; HttpOnly")
                .contains("; SameSite=Strict")
                .contains("; Path=/console")
                .doesNotContain("Secure");
        assertThat(right.headers().firstValue("Location")).hasValue("/console/streams");
        assertThat(get("/console/streams", cookieOf(right)).statusCode()).isEqualTo(200);
        assertThat(get("/console/streams", "sluice-console=forged").statusCode())
                .isEqualTo(303);
    }

    @Test
    void repeatedWrongSecretsForOneAccessKeyAreRefusedForAWhile() throws Exception {
        Map<String, String> guess = Map.of("AccessKeyId", "guessed", "SecretAccessKey", "wrong", "Region", "us-east-1");
        for (int i = 0; i < 5; i++) {
            assertThat(post("/console/sign-in", "", guess).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> refused = post("/console/sign-in", "", guess);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).contains("Too many failed sign-ins with this access key");
        assertThat(signIn()).startsWith("sluice-console=");
    }

    @Test
    void everyFormNeedsTheSessionsToken() throws Exception {
        String cookie = signIn();
        HttpResponse<String> without = post("/console/streams/new", cookie, Map.of("DeliveryStreamName", "no-token"));
        assertThat(without.statusCode()).isEqualTo(403);
        HttpResponse<String> forged =
                post("/console/streams/new", cookie, Map.of("DeliveryStreamName", "no-token", "csrf", "forged"));
        assertThat(forged.statusCode()).isEqualTo(403);
        HttpResponse<String> malformed = http.send(
                HttpRequest.newBuilder(sluice.endpoint().resolve("/console/streams/new"))
                        .header("Cookie", cookie)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("csrf=%zz"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(malformed.statusCode()).isEqualTo(400);
        HttpResponse<String> signOut = post("/console/sign-out", cookie, Map.of());
        assertThat(signOut.statusCode()).isEqualTo(403);
        assertThat(firehose.listDeliveryStreams().deliveryStreamNames()).doesNotContain("no-token");
    }

    @Test
    void theCreateFormIsValidatedByTheApiAndShowsAwsMessagesByTheirFields() throws Exception {
        String cookie = signIn();
        String token = csrf(get("/console/streams/new", cookie).body());
        Map<String, String> form = new LinkedHashMap<>();
        form.put("csrf", token);
        form.put("DeliveryStreamName", "bad name!");
        form.put("BucketARN", "arn:aws:s3:::console-http");
        form.put("RoleARN", Streams.ROLE);
        form.put("SizeInMBs", "500");
        HttpResponse<String> refused = post("/console/streams/new", cookie, form);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body())
                .contains("<span class=\"field-error\" id=\"DeliveryStreamName-error\">Value &#39;bad name!&#39; at"
                        + " &#39;deliveryStreamName&#39; failed to satisfy constraint")
                .contains("<span class=\"field-error\" id=\"SizeInMBs-error\">Value &#39;500&#39; at"
                        + " &#39;extendedS3DestinationConfiguration.bufferingHints.sizeInMBs&#39; failed to satisfy"
                        + " constraint: Member must have value less than or equal to 128")
                .contains("value=\"bad name!\"");

        form.put("DeliveryStreamName", "console-created");
        form.put("SizeInMBs", "1");
        form.put("IntervalInSeconds", "60");
        form.put("Tags", "team=data\nowner=ops");
        HttpResponse<String> created = post("/console/streams/new", cookie, form);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(303);
        assertThat(created.headers().firstValue("Location")).hasValue("/console/streams/console-created");
        var description = firehose.describeDeliveryStream(b -> b.deliveryStreamName("console-created"))
                .deliveryStreamDescription();
        assertThat(description
                        .destinations()
                        .getFirst()
                        .extendedS3DestinationDescription()
                        .bufferingHints()
                        .sizeInMBs())
                .isEqualTo(1);
        assertThat(firehose.listTagsForDeliveryStream(b -> b.deliveryStreamName("console-created"))
                        .tags())
                .extracting(Tag::key)
                .containsExactly("owner", "team");

        HttpResponse<String> duplicate = post("/console/streams/new", cookie, form);
        assertThat(duplicate.statusCode()).isEqualTo(400);
        assertThat(duplicate.body()).contains("ResourceInUseException: ");
    }

    @Test
    void anHttpEndpointStreamIsCreatedThroughItsFormAndItsAccessKeyIsNeverShownAgain() throws Exception {
        String cookie = signIn();
        String page =
                get("/console/streams/new?Destination=HttpEndpoint", cookie).body();
        assertThat(page).contains("name=\"Url\"").contains("name=\"AccessKey\"").doesNotContain("name=\"BucketARN\"");
        Map<String, String> form = destinationForm(page, "HttpEndpoint", "console-http", "console-http-backup");
        form.put("Url", "http://plain.example.com/");
        form.put("EndpointName", "receiver");
        form.put("AccessKey", "very-secret-key");
        form.put("ContentEncoding", "GZIP");
        form.put("RetryDurationInSeconds", "9000");
        form.put("S3BackupMode", "FailedDataOnly");
        HttpResponse<String> refused = post("/console/streams/new", cookie, form);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body())
                .contains(
                        "<span class=\"field-error\" id=\"Url-error\">Value at &#39;httpEndpointDestinationConfiguration.endpointConfiguration.url&#39; failed to satisfy"
                                + " constraint")
                .contains("<span class=\"field-error\" id=\"RetryDurationInSeconds-error\">Value &#39;9000&#39; at"
                        + " &#39;httpEndpointDestinationConfiguration.retryOptions.durationInSeconds&#39;")
                .contains("value=\"receiver\"")
                .doesNotContain("very-secret-key");

        form.put("Url", "https://127.0.0.1:1/ingest");
        form.put("RetryDurationInSeconds", "0");
        HttpResponse<String> created = post("/console/streams/new", cookie, form);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(303);
        var http = destinationOf("console-http").httpEndpointDestinationDescription();
        assertThat(http.endpointConfiguration().url()).isEqualTo("https://127.0.0.1:1/ingest");
        assertThat(http.endpointConfiguration().name()).isEqualTo("receiver");
        assertThat(http.requestConfiguration().contentEncodingAsString()).isEqualTo("GZIP");
        assertThat(http.retryOptions().durationInSeconds()).isZero();
        assertThat(http.s3DestinationDescription().bucketARN()).isEqualTo("arn:aws:s3:::console-http-backup");

        Streams.awaitActive(firehose, "console-http");
        String edit = get("/console/streams/console-http/edit", cookie).body();
        assertThat(edit)
                .contains("value=\"https://127.0.0.1:1/ingest\"")
                .contains("<option selected>GZIP</option>")
                .contains("name=\"AccessKey\" value=\"\"")
                .doesNotContain("very-secret-key");
    }

    @Test
    void aSplunkStreamKeepsItsTokenWhenTheEditLeavesItBlank() throws Exception {
        String cookie = signIn();
        String page = get("/console/streams/new?Destination=Splunk", cookie).body();
        Map<String, String> form = destinationForm(page, "Splunk", "console-splunk", "console-splunk-backup");
        form.put("HECEndpoint", "https://127.0.0.1:1");
        form.put("HECEndpointType", "Event");
        form.put("HECToken", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
        form.put("HECAcknowledgmentTimeoutInSeconds", "5");
        HttpResponse<String> refused = post("/console/streams/new", cookie, form);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body())
                .contains("<span class=\"field-error\" id=\"HECAcknowledgmentTimeoutInSeconds-error\">Value &#39;5&#39;"
                        + " at &#39;splunkDestinationConfiguration.hECAcknowledgmentTimeoutInSeconds&#39;")
                .doesNotContain("0f1e2d3c-4b5a");
        form.put("HECAcknowledgmentTimeoutInSeconds", "180");
        HttpResponse<String> created = post("/console/streams/new", cookie, form);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(303);
        Streams.awaitActive(firehose, "console-splunk");

        String edit = get("/console/streams/console-splunk/edit", cookie).body();
        assertThat(edit).contains("value=\"180\"").doesNotContain("0f1e2d3c-4b5a");
        Map<String, String> change = new LinkedHashMap<>();
        change.put("csrf", csrf(edit));
        change.put("VersionId", "1");
        change.put("HECEndpoint", "https://127.0.0.1:1");
        change.put("HECEndpointType", "Raw");
        change.put("HECAcknowledgmentTimeoutInSeconds", "300");
        change.put("HECToken", "");
        HttpResponse<String> saved = post("/console/streams/console-splunk/edit", cookie, change);
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
        var splunk = destinationOf("console-splunk").splunkDestinationDescription();
        assertThat(splunk.hecAcknowledgmentTimeoutInSeconds()).isEqualTo(300);
        assertThat(splunk.hecEndpointTypeAsString()).isEqualTo("Raw");
        assertThat(splunk.hecToken()).isEqualTo("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
    }

    @Test
    void theOpenSearchFormNamesTheIndexAndAKinesisSourceItsStream() throws Exception {
        String cookie = signIn();
        String page = get("/console/streams/new?Destination=Amazonopensearchservice", cookie)
                .body();
        assertThat(page).contains("name=\"DomainARN\"").contains("<option>OneDay</option>");
        Map<String, String> form =
                destinationForm(page, "Amazonopensearchservice", "console-search", "console-search-backup");
        form.put("RoleARN", Streams.ROLE);
        form.put("ClusterEndpoint", "https://127.0.0.1:1");
        form.put("IndexRotationPeriod", "OneDay");
        HttpResponse<String> refused = post("/console/streams/new", cookie, form);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body())
                .contains("<span class=\"field-error\" id=\"IndexName-error\">Value null at"
                        + " &#39;amazonopensearchserviceDestinationConfiguration.indexName&#39;");

        form.put("DeliveryStreamType", "KinesisStreamAsSource");
        form.put("KinesisStreamARN", "not-an-arn");
        form.put("IndexName", "orders");
        HttpResponse<String> badSource = post("/console/streams/new", cookie, form);
        assertThat(badSource.statusCode()).isEqualTo(400);
        assertThat(badSource.body())
                .contains("<span class=\"field-error\" id=\"KinesisStreamARN-error\">Value &#39;not-an-arn&#39; at"
                        + " &#39;kinesisStreamSourceConfiguration.kinesisStreamARN&#39;");

        form.put("DeliveryStreamType", "MSKAsSource");
        form.put("MSKClusterARN", "not-a-cluster");
        form.put("TopicName", "orders");
        HttpResponse<String> badMsk = post("/console/streams/new", cookie, form);
        assertThat(badMsk.statusCode()).isEqualTo(400);
        assertThat(badMsk.body())
                .contains("<span class=\"field-error\" id=\"MSKClusterARN-error\">Value &#39;not-a-cluster&#39; at"
                        + " &#39;mSKSourceConfiguration.mSKClusterARN&#39;")
                .doesNotContain("KinesisStreamARN-error");

        form.put("DeliveryStreamType", "");
        HttpResponse<String> created = post("/console/streams/new", cookie, form);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(303);
        var search = destinationOf("console-search").amazonopensearchserviceDestinationDescription();
        assertThat(search.indexName()).isEqualTo("orders");
        assertThat(search.indexRotationPeriodAsString()).isEqualTo("OneDay");
        assertThat(search.clusterEndpoint()).isEqualTo("https://127.0.0.1:1");
    }

    @Test
    void theServerlessAndElasticsearchFormsCreateAndTheEditFormChangesTheIndex() throws Exception {
        String cookie = signIn();
        String page = get("/console/streams/new?Destination=AmazonOpenSearchServerless", cookie)
                .body();
        assertThat(page).contains("name=\"CollectionEndpoint\"").doesNotContain("name=\"DomainARN\"");
        Map<String, String> serverless =
                destinationForm(page, "AmazonOpenSearchServerless", "console-serverless", "console-serverless-backup");
        serverless.put("RoleARN", Streams.ROLE);
        serverless.put("CollectionEndpoint", "https://127.0.0.1:1");
        serverless.put("IndexName", "logs");
        HttpResponse<String> created = post("/console/streams/new", cookie, serverless);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(303);
        Streams.awaitActive(firehose, "console-serverless");

        String edit = get("/console/streams/console-serverless/edit", cookie).body();
        assertThat(edit).contains("value=\"logs\"").doesNotContain("name=\"S3BackupMode\"");
        Map<String, String> change = new LinkedHashMap<>();
        change.put("csrf", csrf(edit));
        change.put("VersionId", "1");
        change.put("RoleARN", Streams.ROLE);
        change.put("CollectionEndpoint", "https://127.0.0.1:1");
        change.put("IndexName", "events");
        change.put("IntervalInSeconds", "60");
        change.put("SizeInMBs", "500");
        HttpResponse<String> refused = post("/console/streams/console-serverless/edit", cookie, change);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body())
                .contains("<span class=\"field-error\" id=\"SizeInMBs-error\">Value &#39;500&#39; at"
                        + " &#39;amazonOpenSearchServerlessDestinationUpdate.bufferingHints.sizeInMBs&#39;");
        change.put("SizeInMBs", "2");
        HttpResponse<String> saved = post("/console/streams/console-serverless/edit", cookie, change);
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
        assertThat(destinationOf("console-serverless")
                        .amazonOpenSearchServerlessDestinationDescription()
                        .indexName())
                .isEqualTo("events");

        page = get("/console/streams/new?Destination=Elasticsearch", cookie).body();
        Map<String, String> elasticsearch =
                destinationForm(page, "Elasticsearch", "console-elasticsearch", "console-elasticsearch-backup");
        elasticsearch.put("RoleARN", Streams.ROLE);
        elasticsearch.put("ClusterEndpoint", "https://127.0.0.1:1");
        elasticsearch.put("IndexName", "orders");
        elasticsearch.put("TypeName", "_doc");
        HttpResponse<String> createdEs = post("/console/streams/new", cookie, elasticsearch);
        assertThat(createdEs.statusCode()).as(createdEs.body()).isEqualTo(303);
        assertThat(destinationOf("console-elasticsearch")
                        .elasticsearchDestinationDescription()
                        .typeName())
                .isEqualTo("_doc");
    }

    @Test
    void tagsAreAddedAndRemovedAndEncryptionStartedAndStoppedOnTheStreamsPage() throws Exception {
        Streams.createS3(firehose, "console-tagged", "console-tagged", s -> {});
        Streams.awaitActive(firehose, "console-tagged");
        String cookie = signIn();
        String token = csrf(get("/console/streams/console-tagged", cookie).body());
        HttpResponse<String> added = post(
                "/console/streams/console-tagged/tags",
                cookie,
                Map.of("csrf", token, "action", "add", "Key", "team", "Value", "data"));
        assertThat(added.statusCode()).as(added.body()).isEqualTo(303);
        assertThat(firehose.listTagsForDeliveryStream(b -> b.deliveryStreamName("console-tagged"))
                        .tags())
                .containsExactly(Tag.builder().key("team").value("data").build());
        assertThat(get("/console/streams/console-tagged", cookie).body())
                .contains("<td>team</td><td>data</td>")
                .contains("aria-label=\"Remove tag team\"");

        HttpResponse<String> refused = post(
                "/console/streams/console-tagged/tags",
                cookie,
                Map.of("csrf", token, "action", "add", "Key", "aws:reserved", "Value", "x"));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("<p class=\"error\" role=\"alert\">");
        assertThat(post("/console/streams/console-tagged/tags", cookie, Map.of("action", "remove", "Key", "team"))
                        .statusCode())
                .isEqualTo(403);

        HttpResponse<String> removed = post(
                "/console/streams/console-tagged/tags",
                cookie,
                Map.of("csrf", token, "action", "remove", "Key", "team"));
        assertThat(removed.statusCode()).isEqualTo(303);
        assertThat(firehose.listTagsForDeliveryStream(b -> b.deliveryStreamName("console-tagged"))
                        .tags())
                .isEmpty();

        assertThat(get("/console/streams/console-tagged", cookie).body()).contains("Enable encryption");
        HttpResponse<String> started =
                post("/console/streams/console-tagged/encryption", cookie, Map.of("csrf", token, "action", "start"));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(303);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> encryptionStatus("console-tagged").equals("ENABLED"));
        assertThat(get("/console/streams/console-tagged", cookie).body()).contains("Disable encryption");
        HttpResponse<String> stopped =
                post("/console/streams/console-tagged/encryption", cookie, Map.of("csrf", token, "action", "stop"));
        assertThat(stopped.statusCode()).as(stopped.body()).isEqualTo(303);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> encryptionStatus("console-tagged").equals("DISABLED"));
        assertThat(post(
                                "/console/streams/console-tagged/encryption",
                                cookie,
                                Map.of("csrf", token, "action", "sideways"))
                        .statusCode())
                .isEqualTo(400);
    }

    /** A create form for {@code destination} from its page, with the name and a backup bucket filled in. */
    private static Map<String, String> destinationForm(String page, String destination, String name, String bucket) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("csrf", csrf(page));
        form.put("Destination", destination);
        form.put("DeliveryStreamName", name);
        form.put("BackupBucketARN", "arn:aws:s3:::" + bucket);
        form.put("BackupRoleARN", Streams.ROLE);
        return form;
    }

    private static DestinationDescription destinationOf(String stream) {
        return firehose.describeDeliveryStream(b -> b.deliveryStreamName(stream))
                .deliveryStreamDescription()
                .destinations()
                .getFirst();
    }

    private static String encryptionStatus(String stream) {
        return firehose.describeDeliveryStream(b -> b.deliveryStreamName(stream))
                .deliveryStreamDescription()
                .deliveryStreamEncryptionConfiguration()
                .statusAsString();
    }

    @Test
    void everythingShownIsEscaped() throws Exception {
        String attack = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>";
        String escaped = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;";
        String cookie = signIn();
        String token = csrf(get("/console/streams/new", cookie).body());
        HttpResponse<String> tagged = post(
                "/console/streams/new",
                cookie,
                Map.of(
                        "csrf",
                        token,
                        "DeliveryStreamName",
                        "escaped-tag",
                        "BucketARN",
                        "arn:aws:s3:::console-escape",
                        "RoleARN",
                        Streams.ROLE,
                        "Tags",
                        "attack=" + attack));
        assertThat(tagged.statusCode()).isEqualTo(400);
        assertThat(tagged.body())
                .doesNotContain("<script>alert")
                .doesNotContain("<img src=x")
                .contains("at &#39;tags.1.member.value&#39; failed to satisfy constraint")
                .contains(escaped);

        Streams.createS3(firehose, "escaped-prefix", "console-escape", s -> s.prefix(attack + "/"));
        String page = get("/console/streams/escaped-prefix", cookie).body();
        assertThat(page)
                .doesNotContain("<script>alert")
                .doesNotContain("<img src=x")
                .contains(escaped);
        HttpResponse<String> filtered =
                get("/console/streams?q=" + URLEncoder.encode(attack, StandardCharsets.UTF_8), cookie);
        assertThat(filtered.body()).doesNotContain("<script>alert").contains(escaped);
        assertThat(filtered.headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(csp -> assertThat(csp).contains("script-src 'self'"));
    }

    @Test
    void theStreamPageShowsItsConfigurationAndGraphsTheRecordsPut() throws Exception {
        Streams.createS3(firehose, "graphed", "console-graphed", s -> s.prefix("g/"));
        for (int i = 0; i < 5; i++) {
            Streams.put(firehose, "graphed", "record " + i);
        }
        String cookie = signIn();
        String page = get("/console/streams/graphed", cookie).body();
        assertThat(page)
                .contains("<dt>BucketARN</dt><dd>arn:aws:s3:::console-graphed</dd>")
                .contains("&quot;DeliveryStreamName&quot; : &quot;graphed&quot;")
                .contains("<figcaption>Incoming records</figcaption>")
                .contains("<title>", " UTC: 5</title>");
        String list = get("/console/streams?sort=incoming", cookie).body();
        assertThat(list).contains("<a href=\"/console/streams/graphed\">graphed</a>");
    }

    @Test
    void deliveryErrorsAreListedWithTheirCodes() throws Exception {
        Streams.createS3(
                firehose,
                "failing",
                "console-failing",
                s -> s.prefix("empty//segment/")
                        .bufferingHints(b -> b.sizeInMBs(1).intervalInSeconds(0)));
        Streams.put(firehose, "failing", "never stored");
        String cookie = signIn();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> get("/console/streams/failing", cookie).body().contains("<td>S3.InvalidKey</td>"));
        assertThat(get("/console/streams/failing", cookie).body()).contains("attempt failed, retrying");
        assertThat(get("/console/streams?q=fail", cookie).body())
                .contains("<td>ExtendedS3</td>")
                .contains("S3.InvalidKey at ");
    }

    @Test
    void anyDestinationIsCreatedFromJsonAndItsErrorOutputObjectsAreListed() throws Exception {
        String cookie = signIn();
        String token = csrf(get("/console/streams/new", cookie).body());
        String request = """
                {"DeliveryStreamName": "http-failing",
                 "HttpEndpointDestinationConfiguration": {
                   "EndpointConfiguration": {"Url": "https://127.0.0.1:1/"},
                   "BufferingHints": {"SizeInMBs": 1, "IntervalInSeconds": 0},
                   "RetryOptions": {"DurationInSeconds": 0},
                   "S3Configuration": {"RoleARN": "%s", "BucketARN": "arn:aws:s3:::console-errors"}}}""".formatted(Streams.ROLE);
        HttpResponse<String> created = post("/console/streams/new", cookie, Map.of("csrf", token, "Json", request));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(303);
        assertThat(Files.readAllLines(sluice.dataDir().resolve("audit").resolve("audit.log")))
                .as("the console's calls are audited like the API's")
                .anySatisfy(line -> assertThat(line)
                        .contains("\"action\":\"firehose:CreateDeliveryStream\"")
                        .contains("\"stream\":\"http-failing\"")
                        .contains("\"accessKeyId\":\"test\""));
        Streams.awaitActive(firehose, "http-failing");
        Streams.put(firehose, "http-failing", "refused");
        await().atMost(Duration.ofSeconds(60))
                .until(() ->
                        get("/console/streams/http-failing", cookie).body().contains("<h3>Error output objects</h3>"));
        assertThat(get("/console/streams/http-failing", cookie).body())
                .contains("1 records given up on, written to the error output")
                .containsPattern("<li><code>s3://console-errors/http-endpoint-failed/[^<]+/http-failing-1-");
        assertThat(get("/console/streams?q=http", cookie).body()).contains("<td>HttpEndpoint</td>");
    }

    @Test
    void objectsInAnExternalS3StoreAreListedAndAStoreThatIsDownIsAnErrorLine() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start();
                S3Client bucket = s3.client();
                RunningSluice external = RunningSluice.start(s3::deliveringHere);
                FirehoseClient client = external.client()) {
            URI server = external.endpoint();
            bucket.createBucket(b -> b.bucket("console-external"));
            Streams.createS3(
                    client,
                    "external",
                    "console-external",
                    s -> s.bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0)));
            String cookie = signIn(server);
            String token = csrf(get(server, "/console/streams/new", cookie).body());
            String failing = """
                    {"DeliveryStreamName": "external-failing",
                     "HttpEndpointDestinationConfiguration": {
                       "EndpointConfiguration": {"Url": "https://127.0.0.1:1/"},
                       "BufferingHints": {"SizeInMBs": 1, "IntervalInSeconds": 0},
                       "RetryOptions": {"DurationInSeconds": 0},
                       "S3Configuration": {"RoleARN": "%s", "BucketARN": "arn:aws:s3:::console-external"}}}""".formatted(Streams.ROLE);
            assertThat(post(server, "/console/streams/new", cookie, Map.of("csrf", token, "Json", failing))
                            .statusCode())
                    .isEqualTo(303);
            Streams.awaitActive(client, "external");
            Streams.awaitActive(client, "external-failing");
            Streams.put(client, "external", "held in an external store");
            Streams.put(client, "external-failing", "refused");

            await().atMost(Duration.ofSeconds(60))
                    .until(() -> get(server, "/console/streams/external", cookie)
                            .body()
                            .contains("First object: "));
            assertThat(get(server, "/console/streams/external", cookie).body())
                    .containsPattern(
                            "First object: <code>s3://console-external/[^<]+/external-1-[^<]+</code> \\(25 bytes\\)")
                    .contains("held in an external store");
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> get(server, "/console/streams/external-failing", cookie)
                            .body()
                            .contains("<h3>Error output objects</h3>"));
            assertThat(get(server, "/console/streams/external-failing", cookie).body())
                    .containsPattern("<li><code>s3://console-external/http-endpoint-failed/[^<]+/external-failing-1-");

            s3.stop();
            HttpResponse<String> down = get(server, "/console/streams/external", cookie);
            assertThat(down.statusCode()).isEqualTo(200);
            assertThat(down.body()).contains("The bucket could not be read").doesNotContain("First object: ");
        }
    }

    @Test
    void deleteAsksForTheNameFirst() throws Exception {
        Streams.createS3(firehose, "to-delete", "console-delete", s -> {});
        String cookie = signIn();
        String token = csrf(get("/console/streams/to-delete/delete", cookie).body());
        HttpResponse<String> unconfirmed =
                post("/console/streams/to-delete/delete", cookie, Map.of("csrf", token, "confirm", "other"));
        assertThat(unconfirmed.statusCode()).isEqualTo(400);
        assertThat(firehose.listDeliveryStreams().deliveryStreamNames()).contains("to-delete");
        HttpResponse<String> confirmed =
                post("/console/streams/to-delete/delete", cookie, Map.of("csrf", token, "confirm", "to-delete"));
        assertThat(confirmed.statusCode()).isEqualTo(303);
        await().atMost(Duration.ofSeconds(20))
                .until(() ->
                        !firehose.listDeliveryStreams().deliveryStreamNames().contains("to-delete"));
    }

    @Test
    void theConsoleSettingTurnsItOff() throws Exception {
        try (RunningSluice off = RunningSluice.start(config -> config.withConsole(false))) {
            for (String path : new String[] {"/console", "/console/sign-in", "/console/static/console.js"}) {
                HttpResponse<String> answer = http.send(
                        HttpRequest.newBuilder(off.endpoint().resolve(path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as(path).isEqualTo(404);
            }
        }
        assertThat(get("/console/sign-in", "").statusCode()).isEqualTo(200);
    }

    private String signIn() throws IOException, InterruptedException {
        return signIn(sluice.endpoint());
    }

    private String signIn(URI server) throws IOException, InterruptedException {
        return cookieOf(post(
                server,
                "/console/sign-in",
                "",
                Map.of("AccessKeyId", "test", "SecretAccessKey", "test", "Region", "us-east-1")));
    }

    private static String cookieOf(HttpResponse<String> response) {
        return response.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
    }

    private static String csrf(String page) {
        Matcher token = CSRF.matcher(page);
        assertThat(token.find()).as(page).isTrue();
        return token.group(1);
    }

    private HttpResponse<String> get(String path, String cookie) throws IOException, InterruptedException {
        return get(sluice.endpoint(), path, cookie);
    }

    private HttpResponse<String> get(URI server, String path, String cookie) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.resolve(path));
        if (!cookie.isEmpty()) {
            request.header("Cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String cookie, Map<String, String> form)
            throws IOException, InterruptedException {
        return post(sluice.endpoint(), path, cookie, form);
    }

    private HttpResponse<String> post(URI server, String path, String cookie, Map<String, String> form)
            throws IOException, InterruptedException {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(server.resolve(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (!cookie.isEmpty()) {
            request.header("Cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
