package io.sluice.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CredentialTest {
    private static final Credential CREDENTIAL =
            new Credential("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "123456789012");

    @Test
    void toStringNeverShowsTheSecret() {
        assertThat(CREDENTIAL.toString())
                .isEqualTo("Credential[accessKeyId=AKIDEXAMPLE, secretAccessKey=****, accountId=123456789012]")
                .doesNotContain("wJalr");
    }

    @Test
    void rejectsAccessKeyIdOutsideIamPattern() {
        assertThatThrownBy(() -> new Credential("AKID/EXAMPLE", "s", "123456789012"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("accessKeyId must be 1 to 128 letters, digits or underscores: 'AKID/EXAMPLE'");
        assertThatThrownBy(() -> new Credential("", "s", "123456789012")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Credential("A".repeat(129), "s", "123456789012"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsEmptySecretWithoutQuotingIt() {
        assertThatThrownBy(() -> new Credential("AKIDEXAMPLE", "", "123456789012"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("secretAccessKey of AKIDEXAMPLE is empty");
    }

    @Test
    void rejectsAccountIdThatIsNotTwelveDigits() {
        assertThatThrownBy(() -> new Credential("AKIDEXAMPLE", "s", "12345678901"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("accountId of AKIDEXAMPLE must be 12 digits: '12345678901'");
        assertThatThrownBy(() -> new Credential("AKIDEXAMPLE", "s", "12345678901a"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void storeFindsByAccessKeyId() {
        Credential other = new Credential("AKIAOTHER", "other", "210987654321");
        CredentialStore store = CredentialStore.of(List.of(CREDENTIAL, other));

        assertThat(store.find("AKIDEXAMPLE")).contains(CREDENTIAL);
        assertThat(store.find("AKIAOTHER")).contains(other);
        assertThat(store.find("akidexample")).isEmpty();
    }

    @Test
    void storeRejectsDuplicateAccessKeyIds() {
        Credential sameKey = new Credential("AKIDEXAMPLE", "another secret", "210987654321");

        assertThatThrownBy(() -> CredentialStore.of(List.of(CREDENTIAL, sameKey)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("duplicate access key id AKIDEXAMPLE");
    }
}
