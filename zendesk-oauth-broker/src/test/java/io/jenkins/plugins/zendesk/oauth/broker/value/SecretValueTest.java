package io.jenkins.plugins.zendesk.oauth.broker.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Serializable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretValueTest {

    @Test
    void revealsOnlyOnRequest() {
        SecretValue secret = SecretValue.of("s3cr3t-value");

        assertThat(secret.reveal()).isEqualTo("s3cr3t-value");
        assertThat(secret).hasToString("****");
        assertThat("prefix " + secret).isEqualTo("prefix ****");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\n\t"})
    void refusesBlankWithoutEchoingIt(String blank) {
        assertThatThrownBy(() -> SecretValue.of(blank)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesNull() {
        assertThatThrownBy(() -> SecretValue.of(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void equalityIsByValue() {
        assertThat(SecretValue.of("a-secret")).isEqualTo(SecretValue.of("a-secret")).hasSameHashCodeAs(SecretValue.of("a-secret"));
        assertThat(SecretValue.of("a-secret")).isNotEqualTo(SecretValue.of("b-secret"));
    }

    @Test
    void isNotSerializable() {
        assertThat(SecretValue.of("x")).isNotInstanceOf(Serializable.class);
    }
}
