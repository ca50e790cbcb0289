package io.jenkins.plugins.zendesk.oauth.broker.zendesk;

import static io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk.CLIENT_ID;
import static io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk.POLICY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.zendesk.oauth.broker.emulator.Fault;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.RecordingSleeper;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import io.jenkins.plugins.zendesk.oauth.broker.value.ScopeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code full_token} is in no published schema: an answer without it is an error, and the token it names is revoked. */
class CreateTokenAnswerTest {
    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = ZendeskEmulatorExtension.starting(EmulatedZendesk::startEmulator);
    private EmulatedZendesk env;
    private ZendeskAdminApi api;

    @BeforeEach
    void wire() {
        env = new EmulatedZendesk(zendesk.emulator());
        api = env.api(EmulatedZendesk.transport(POLICY, new RecordingSleeper()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"missing", "", "  "})
    void anAnswerWithoutFullTokenFailsAndTheReturnedIdIsRevokedAtOnce(String fullToken) {
        int issuedBefore = env.zendesk.issuedTokens().size();
        env.zendesk.failNext("POST", "/api/v2/oauth/tokens", 1,
                Fault.processThenEdit("/token/full_token", fullToken.equals("missing") ? null : fullToken));

        assertThatThrownBy(() -> api.mint(CLIENT_ID, ScopeSet.parse("read", "scopes")))
                .isInstanceOfSatisfying(ZendeskApiException.class,
                        e -> assertThat(e.reason()).isEqualTo(ZendeskApiException.Reason.UNEXPECTED_RESPONSE))
                .hasMessageContaining("Zendesk's answer to Create Token had no full_token")
                .hasMessageContaining("that token was revoked at once");
        assertThat(env.zendesk.issuedTokens()).hasSize(issuedBefore + 1).allSatisfy(t -> assertThat(t.revoked()).isTrue());
        assertThat(env.zendesk.requestCount("DELETE", "/api/v2/oauth/tokens/")).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"missing", ""})
    void whenThatRevocationFailsTooTheOutcomeIsUnknownAndLeftToReconciliation(String fullToken) {
        env.zendesk.failNext("POST", "/api/v2/oauth/tokens", 1,
                Fault.processThenEdit("/token/full_token", fullToken.equals("missing") ? null : fullToken));
        env.zendesk.failNext("DELETE", "/api/v2/oauth/tokens/", POLICY.maxAttempts(), Fault.status(503));

        assertThatThrownBy(() -> api.mint(CLIENT_ID, ScopeSet.parse("read", "scopes")))
                .isInstanceOf(MintOutcomeUnknownException.class)
                .hasMessageContaining("Zendesk's answer to Create Token had no full_token")
                .hasMessageContaining("will be reconciled and revoked");
        assertThat(env.zendesk.liveTokenCount()).isEqualTo(1);
        assertThat(env.reconcile(api, CLIENT_ID)).isEqualTo(1);
    }
}
