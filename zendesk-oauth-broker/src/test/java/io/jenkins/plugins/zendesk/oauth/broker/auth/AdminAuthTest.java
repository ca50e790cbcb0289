package io.jenkins.plugins.zendesk.oauth.broker.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.zendesk.oauth.broker.value.SecretValue;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskInputException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class AdminAuthTest {
    private static final String API_TOKEN = "Z3nd3skApiT0kenValue0123456789abcdefABCD";
    private static final String BEARER = "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9";

    private static String decodeBasic(String header) {
        assertThat(header).startsWith("Basic ");
        return new String(Base64.getDecoder().decode(header.substring("Basic ".length())), StandardCharsets.UTF_8);
    }

    @Test
    void apiTokenUsesBasicWithEmailSlashToken() {
        AdminAuth.ApiToken auth = new AdminAuth.ApiToken("robot@example.com", SecretValue.of(API_TOKEN));

        assertThat(decodeBasic(auth.authorizationHeader())).isEqualTo("robot@example.com/token:" + API_TOKEN);
        assertThat(auth.email()).isEqualTo("robot@example.com");
        assertThat(auth.secret().reveal()).isEqualTo(API_TOKEN);
    }

    @Test
    void bearerUsesTheTokenAsIs() {
        AdminAuth.Fixed auth = new AdminAuth.Bearer(SecretValue.of(BEARER));

        assertThat(auth.authorizationHeader()).isEqualTo("Bearer " + BEARER);
    }

    @Test
    void emailIsTrimmed() {
        assertThat(new AdminAuth.ApiToken("  robot@example.com ", SecretValue.of(API_TOKEN)).email()).isEqualTo("robot@example.com");
    }

    @Test
    void toStringAndDescribeNeverShowTheSecret() {
        AdminAuth[] auths = {
            new AdminAuth.ApiToken("robot@example.com", SecretValue.of(API_TOKEN)),
            new AdminAuth.Bearer(SecretValue.of(BEARER)),
        };
        for (AdminAuth auth : auths) {
            assertThat(auth.toString()).doesNotContain(API_TOKEN, BEARER).contains("****");
            assertThat(auth.describe()).doesNotContain(API_TOKEN, BEARER);
            assertThat(auth.secret().toString()).isEqualTo("****");
            assertThat(String.valueOf(auth.secret())).isEqualTo("****");
        }
    }

    @Test
    void describeSaysWhichKindOfAuthentication() {
        assertThat(new AdminAuth.ApiToken("robot@example.com", SecretValue.of(API_TOKEN)).describe()).contains("API token", "robot@example.com");
        assertThat(new AdminAuth.Bearer(SecretValue.of(BEARER)).describe()).contains("OAuth access token");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"robot", "robot@", "@example.com", "robot@example", "ro bot@example.com", "robot@example.com/token",
        "robot:x@example.com", "a@b@example.com"})
    void refusesEmailsThatWouldCorruptTheHeaderNamingTheField(String email) {
        assertThatThrownBy(() -> new AdminAuth.ApiToken(email, SecretValue.of(API_TOKEN)))
                .isInstanceOfSatisfying(ZendeskInputException.class, e -> assertThat(e.field()).isEqualTo("email"))
                .hasMessageStartingWith("email: ")
                .hasMessageNotContaining(API_TOKEN);
    }

    @Test
    void secretsAreRequired() {
        assertThatThrownBy(() -> new AdminAuth.ApiToken("robot@example.com", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new AdminAuth.Bearer(null)).isInstanceOf(NullPointerException.class);
    }
}
