package io.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import io.sluice.api.auth.Authenticated;
import io.sluice.api.auth.KeyPermissions;
import io.sluice.api.auth.Permissions;
import io.sluice.api.auth.Statement;
import io.sluice.common.FirehoseException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AuthorizationTest {
    private static final Set<String> KNOWN =
            Arrays.stream(Operation.values()).map(Operation::modelName).collect(Collectors.toSet());
    private static final Authenticated PRODUCER = new Authenticated("PRODUCER", "111122223333", "us-east-1");
    private static final Authenticated OPEN = new Authenticated("OPEN", "111122223333", "us-east-1");

    private final Authorization authorization = new Authorization(
            new Permissions(Map.of(
                    "PRODUCER",
                    new KeyPermissions(
                            "orders-producer",
                            List.of(Statement.parse(
                                    "firehose:Put* on arn:aws:firehose:*:*:deliverystream/orders-*", KNOWN)),
                            List.of()))),
            new JsonFactory());

    private static RequestBody body(String json) {
        return RequestBody.of(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aBodyNamingTwoStreamsMustBeAllowedOnBoth() {
        Authorization.Decision decision = authorization.decide(
                PRODUCER,
                Operation.PUT_RECORD,
                body("{\"DeliveryStreamName\":\"orders-1\",\"Record\":{\"Data\":\"eA==\"},"
                        + "\"DeliveryStreamName\":\"billing\"}"));
        assertThat(decision.denial())
                .map(FirehoseException::getMessage)
                .contains("User: arn:aws:iam::111122223333:user/"
                        + "orders-producer is not authorized to perform: firehose:PutRecord on resource:"
                        + " arn:aws:firehose:us-east-1:111122223333:deliverystream/billing");
        assertThat(decision.stream()).contains("billing");
    }

    @Test
    void onlyTopLevelNamesCount() {
        Authorization.Decision decision = authorization.decide(
                PRODUCER,
                Operation.PUT_RECORD,
                body("{\"Record\":{\"DeliveryStreamName\":\"billing\",\"Data\":\"eA==\"},"
                        + "\"DeliveryStreamName\":\"orders-1\"}"));
        assertThat(decision.denial()).isEmpty();
        assertThat(decision.streams()).containsExactly("orders-1");
    }

    @Test
    void aBodyWithoutANameNeedsTheActionSomewhere() {
        assertThat(authorization
                        .decide(PRODUCER, Operation.PUT_RECORD, body("not json"))
                        .denial())
                .isEmpty();
        assertThat(authorization
                        .decide(PRODUCER, Operation.DELETE_DELIVERY_STREAM, body("{}"))
                        .denial())
                .map(FirehoseException::getMessage)
                .hasValueSatisfying(message -> assertThat(message)
                        .endsWith("firehose:DeleteDeliveryStream on resource:"
                                + " arn:aws:firehose:us-east-1:111122223333:deliverystream/*"));
    }

    @Test
    void putsOfUnrestrictedKeysAreNotParsed() {
        Authorization.Decision decision =
                authorization.decide(OPEN, Operation.PUT_RECORD, body("{\"DeliveryStreamName\":\"anything\"}"));
        assertThat(decision.denial()).isEmpty();
        assertThat(decision.streams()).isEmpty();
        assertThat(authorization
                        .decide(OPEN, Operation.DELETE_DELIVERY_STREAM, body("{\"DeliveryStreamName\":\"s\"}"))
                        .streams())
                .containsExactly("s");
    }
}
