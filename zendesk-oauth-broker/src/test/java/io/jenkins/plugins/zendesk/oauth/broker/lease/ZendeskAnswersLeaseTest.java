package io.jenkins.plugins.zendesk.oauth.broker.lease;

import static io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk.CLIENT_ID;
import static io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk.POLICY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.zendesk.oauth.broker.emulator.Fault;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.EmulatedZendesk;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.RecordingSleeper;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.FileLeaseLedger;
import io.jenkins.plugins.zendesk.oauth.broker.value.OAuthClientRef;
import io.jenkins.plugins.zendesk.oauth.broker.value.ScopeSet;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskInputException;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.ZendeskApiException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Leases against Zendesk as it answers in 2026: an answer without full_token, and scopes newer than the catalogue. */
class ZendeskAnswersLeaseTest {
    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = ZendeskEmulatorExtension.starting(EmulatedZendesk::startEmulator);
    private EmulatedZendesk env;

    @TempDir
    Path dir;
    private final List<LeaseEvent> events = new CopyOnWriteArrayList<>();
    private FileLeaseLedger ledger;
    private TokenBroker broker;

    @BeforeEach
    void newBroker() {
        env = new EmulatedZendesk(zendesk.emulator());
        ledger = new FileLeaseLedger(dir.resolve("ledger.json"), Clock.systemUTC());
        broker = new TokenBroker(EmulatedZendesk.transport(POLICY, new RecordingSleeper()), ledger, events::add);
    }

    private LeaseRequest request(ScopeSet scopes, Optional<ScopeSet> allowed) {
        return new LeaseRequest(env.site, env.auth, new OAuthClientRef.ById(CLIENT_ID), scopes, allowed, "job#7", "zendesk-admin");
    }

    @Test
    void aMintAnswerWithoutFullTokenLeavesNeitherTokenNorLedgerEntry() {
        env.zendesk.failNext("POST", "/api/v2/oauth/tokens", 1, Fault.processThenEdit("/token/full_token", null));

        assertThatThrownBy(() -> broker.lease(request(ScopeSet.parse("tickets:read", "scopes"), Optional.empty())))
                .isInstanceOf(ZendeskApiException.class)
                .hasMessageContaining("Zendesk's answer to Create Token had no full_token");
        assertThat(ledger.entries()).isEmpty();
        assertThat(events).isEmpty();
    }

    @Test
    void aScopeNewerThanTheCatalogueIsMintedWhenTheAllowedScopesNameIt() {
        ScopeSet allowed = ScopeSet.parseAllowed("tickets:read ticket_forms:read", "allowedScopes");
        ScopeSet requested = ScopeSet.parse(List.of("ticket_forms:read"), "scopes", allowed);

        try (TokenLease lease = broker.lease(request(requested, Optional.of(allowed)))) {
            assertThat(lease.token().scopes().asStrings()).containsExactly("ticket_forms:read");
            assertThat(env.zendesk.token(lease.token().id()).orElseThrow().scopes()).containsExactly("ticket_forms:read");
        }
    }

    @Test
    void aScopeNewerThanTheCatalogueIsRefusedBeforeAnyCallWhenNotNamed() {
        ScopeSet allowed = ScopeSet.parseAllowed("read", "allowedScopes");
        int before = env.zendesk.requestCount("*", "");

        assertThatThrownBy(() -> ScopeSet.parse(List.of("ticket_forms:read"), "scopes", allowed))
                .isInstanceOf(ZendeskInputException.class)
                .hasMessageContaining("naming it explicitly in the credential's allowed scopes");
        assertThat(env.zendesk.requestCount("*", "")).isEqualTo(before);
    }
}
