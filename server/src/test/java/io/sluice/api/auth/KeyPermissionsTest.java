package io.sluice.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyPermissionsTest {
    private static final Set<String> KNOWN = Set.of(
            "PutRecord", "PutRecordBatch", "DeleteDeliveryStream", "ListDeliveryStreams", "DescribeDeliveryStream");
    private static final String ORDERS_EU = "arn:aws:firehose:eu-west-1:111122223333:deliverystream/orders-eu";

    private static Statement statement(String text) {
        return Statement.parse(text, KNOWN);
    }

    @Test
    void withoutStatementsAKeyMayDoEverything() {
        KeyPermissions open = KeyPermissions.unrestricted("AKID");
        assertThat(open.restricted()).isFalse();
        assertThat(open.allows("firehose:DeleteDeliveryStream", ORDERS_EU)).isTrue();
        assertThat(open.allowsSomewhere("firehose:ListDeliveryStreams")).isTrue();
    }

    @Test
    void wildcardsMatchInActionsAndResourcesAndActionsIgnoreCase() {
        KeyPermissions producer = new KeyPermissions(
                "p",
                List.of(statement("firehose:put* on arn:aws:firehose:*:111122223333:deliverystream/orders-??")),
                List.of());
        assertThat(producer.allows("firehose:PutRecord", ORDERS_EU)).isTrue();
        assertThat(producer.allows("firehose:PutRecordBatch", ORDERS_EU)).isTrue();
        assertThat(producer.allows("firehose:PutRecord", ORDERS_EU + "x")).isFalse();
        assertThat(producer.allows("firehose:PutRecord", ORDERS_EU.replace("orders", "ORDERS")))
                .isFalse();
        assertThat(producer.allows("firehose:DeleteDeliveryStream", ORDERS_EU)).isFalse();
        assertThat(producer.allows("firehose:PutRecord", ORDERS_EU.replace("111122223333", "444455556666")))
                .isFalse();
        assertThat(producer.allowsSomewhere("firehose:ListDeliveryStreams")).isFalse();
    }

    @Test
    void anExplicitDenyWins() {
        KeyPermissions admin = new KeyPermissions(
                "a", List.of(statement("*")), List.of(statement("firehose:Delete* on " + ORDERS_EU)));
        assertThat(admin.allows("firehose:PutRecord", ORDERS_EU)).isTrue();
        assertThat(admin.allows("firehose:DeleteDeliveryStream", ORDERS_EU)).isFalse();
        assertThat(admin.allows("firehose:DeleteDeliveryStream", ORDERS_EU + "-2"))
                .isTrue();

        KeyPermissions denyOnly =
                new KeyPermissions("d", List.of(), List.of(statement("firehose:ListDeliveryStreams")));
        assertThat(denyOnly.restricted()).isTrue();
        assertThat(denyOnly.allowsSomewhere("firehose:ListDeliveryStreams")).isFalse();
        assertThat(denyOnly.allows("firehose:PutRecord", ORDERS_EU)).isFalse();
    }

    @Test
    void refusesTyposAndMalformedStatements() {
        assertThatThrownBy(() -> statement("firehose:PutRecords on *"))
                .hasMessageContaining("'firehose:PutRecords' is not a Firehose action");
        assertThatThrownBy(() -> statement("s3:PutObject")).hasMessageContaining("is not an action");
        assertThatThrownBy(() -> statement("firehose:PutRecord on arn:aws:s3:::bucket"))
                .hasMessageContaining("is not a resource");
        assertThatThrownBy(() -> statement("firehose:PutRecord on * on *")).hasMessageContaining("a statement is");
        assertThatThrownBy(() -> new KeyPermissions("bad name", List.of(), List.of()))
                .hasMessageContaining("user name");
    }

    @Test
    void aStatementListsSeveralActionsAndResources() {
        Statement both = statement(
                "firehose:PutRecord, firehose:PutRecordBatch on " + ORDERS_EU + "," + ORDERS_EU.replace("eu", "us"));
        assertThat(both.actions()).hasSize(2);
        assertThat(both.covers("firehose:PutRecordBatch", ORDERS_EU.replace("eu", "us")))
                .isTrue();
        assertThat(both.coversEveryResource("firehose:PutRecord")).isFalse();
    }
}
