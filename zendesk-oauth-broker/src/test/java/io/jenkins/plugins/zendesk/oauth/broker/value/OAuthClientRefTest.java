package io.jenkins.plugins.zendesk.oauth.broker.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class OAuthClientRefTest {

    @Test
    void digitsAreANumericId() {
        assertThat(OAuthClientRef.parse("50328")).isEqualTo(new OAuthClientRef.ById(50328));
        assertThat(OAuthClientRef.parse("  50328 ")).isEqualTo(new OAuthClientRef.ById(50328));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jenkins_ci", "jenkins-ci", "Jenkins.CI", "ci2", "50328a"})
    void anythingElseIsAUniqueIdentifier(String identifier) {
        assertThat(OAuthClientRef.parse(identifier)).isEqualTo(new OAuthClientRef.ByIdentifier(identifier));
    }

    @Test
    void identifierIsTrimmed() {
        assertThat(OAuthClientRef.parse(" jenkins_ci ")).isEqualTo(new OAuthClientRef.ByIdentifier("jenkins_ci"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   "})
    void emptyIsRefusedNamingTheFieldAndWhereToFindTheClient(String text) {
        assertThatThrownBy(() -> OAuthClientRef.parse(text))
                .isInstanceOfSatisfying(ZendeskInputException.class, e -> assertThat(e.field()).isEqualTo("client"))
                .hasMessageContaining("empty")
                .hasMessageContaining("OAuth clients");
    }

    @Test
    void zeroIsNotAClientId() {
        assertThatThrownBy(() -> OAuthClientRef.parse("0"))
                .isInstanceOfSatisfying(ZendeskInputException.class, e -> assertThat(e.field()).isEqualTo("client"))
                .hasMessageContaining("positive");
    }

    @Test
    void hugeNumberIsRefusedAsTooLarge() {
        assertThatThrownBy(() -> OAuthClientRef.parse("99999999999999999999999"))
                .isInstanceOfSatisfying(ZendeskInputException.class, e -> assertThat(e.field()).isEqualTo("client"))
                .hasMessageContaining("too large");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jenkins ci", "jenkins/ci", "ci@example.com", "ci?x=1", "ci;drop"})
    void identifierWithForbiddenCharactersIsRefused(String text) {
        assertThatThrownBy(() -> OAuthClientRef.parse(text))
                .isInstanceOfSatisfying(ZendeskInputException.class, e -> assertThat(e.field()).isEqualTo("client"))
                .hasMessageContaining("neither a numeric OAuth client id nor a unique identifier");
    }

    @Test
    void negativeIdIsRefusedWhenBuiltDirectly() {
        assertThatThrownBy(() -> new OAuthClientRef.ById(-1)).isInstanceOf(ZendeskInputException.class);
    }

    @Test
    void toStringNamesTheClient() {
        assertThat(OAuthClientRef.parse("50328")).hasToString("client id 50328");
        assertThat(OAuthClientRef.parse("jenkins_ci")).hasToString("client 'jenkins_ci'");
    }
}
