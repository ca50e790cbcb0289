package io.jenkins.plugins.zendesk.oauth.broker.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.zendesk.oauth.broker.emulator.Fault;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.IssuedToken;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.ZendeskEmulator;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import io.jenkins.plugins.zendesk.oauth.broker.lease.TokenBroker;
import io.jenkins.plugins.zendesk.oauth.broker.lease.TokenLease;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import io.jenkins.plugins.zendesk.oauth.broker.value.ScopeSet;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.MintOutcomeUnknownException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ReconcilerTest {
    private static final String TOKENS = "/api/v2/oauth/tokens";

    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = ZendeskEmulatorExtension.starting(ZendeskEmulator::start);
    @TempDir
    Path dir;
    private Harness h;
    private TokenBroker broker;

    @BeforeEach
    void start() {
        h = new Harness(dir, zendesk.emulator());
        broker = h.broker();
    }

    @AfterEach
    void stop() {
        h.assertNoSecretsInLedgerFile();
    }

    /** Mints through the broker while the answer is lost: a real token exists that nobody can name. */
    private LedgerEntry uncertainMint(String owner) {
        h.zendesk.failNext("POST", TOKENS, 1, Fault.processThenReset());
        h.zendesk.failNext("POST", TOKENS, 1, Fault.status(409)); // the broker's second attempt certainly creates nothing
        assertThatThrownBy(() -> broker.lease(h.request(owner))).isInstanceOf(MintOutcomeUnknownException.class)
                .satisfies(e -> h.assertNoSecretsIn(e.getMessage()));
        return broker.ledger().entries().stream().filter(e -> e.owner().equals(owner)).findFirst().orElseThrow();
    }

    @Test
    void uncertainMintIsFoundRevokedAndForgotten() {
        LedgerEntry entry = uncertainMint("job#1");
        assertThat(entry.state()).isEqualTo(LedgerEntry.State.UNCERTAIN);
        assertThat(entry.tokenId()).isEmpty();
        Set<Long> orphan = h.zendesk.liveTokenIds();
        assertThat(orphan).hasSize(1);

        SweepReport report = h.sweeper(broker).sweep();

        assertThat(report.reconciled()).isEqualTo(1);
        assertThat(report.revokedTokenIds()).containsExactlyElementsOf(orphan);
        assertThat(report.isComplete()).isTrue();
        assertThat(h.zendesk.liveTokenCount()).isZero();
        assertThat(broker.ledger().entries()).isEmpty();
        assertThat(h.openLedger().entries()).isEmpty();
    }

    @Test
    void tokensOfOtherClientsAdminsScopesOrTimesAreNotRevoked() {
        Instant now = Instant.now();
        IssuedToken otherClient = h.zendesk.mintExternally(Harness.OTHER_CLIENT_ID, Harness.ADMIN_ID, Harness.SCOPES, now);
        IssuedToken otherAdmin = h.zendesk.mintExternally(Harness.CLIENT_ID, Harness.OTHER_ADMIN_ID, Harness.SCOPES, now);
        IssuedToken otherScopes = h.zendesk.mintExternally(Harness.CLIENT_ID, Harness.ADMIN_ID, List.of("tickets:read"), now);
        IssuedToken moreScopes = h.zendesk.mintExternally(Harness.CLIENT_ID, Harness.ADMIN_ID,
                List.of("tickets:read", "users:read", "tickets:write"), now);
        IssuedToken longBefore = h.zendesk.mintExternally(Harness.CLIENT_ID, Harness.ADMIN_ID, Harness.SCOPES, now.minusSeconds(3600));
        IssuedToken longAfter = h.zendesk.mintExternally(Harness.CLIENT_ID, Harness.ADMIN_ID, Harness.SCOPES, now.plusSeconds(3600));
        LedgerEntry entry = uncertainMint("job#1");
        Set<Long> strangers = Set.of(otherClient.id(), otherAdmin.id(), otherScopes.id(), moreScopes.id(), longBefore.id(),
                longAfter.id());
        long orphan = h.zendesk.liveTokenIds().stream().filter(id -> !strangers.contains(id)).findFirst().orElseThrow();

        Reconciler.Outcome outcome = new Reconciler(broker.transport(), broker.ledger(), h.clock, Reconciler.DEFAULT_SKEW)
                .reconcile(entry, h.site, h.auth);

        assertThat(outcome).isEqualTo(new Reconciler.Outcome.Reconciled(List.of(orphan), List.of()));
        assertThat(h.zendesk.liveTokenIds()).containsExactlyInAnyOrderElementsOf(strangers);
        strangers.forEach(h.zendesk::revokeExternally);
        assertThat(h.zendesk.liveTokenCount()).isZero();
    }

    @Test
    void tokenRecordedByAnotherEntryIsNeverTakenForTheOrphan() {
        try (TokenLease lease = broker.lease(h.request("job#live"))) {
            LedgerEntry entry = uncertainMint("job#lost");
            long orphan = h.zendesk.liveTokenIds().stream().filter(id -> id != lease.token().id()).findFirst().orElseThrow();

            SweepReport report = h.sweeper(broker, owner -> true).sweep();

            assertThat(report.revokedTokenIds()).containsExactly(orphan);
            assertThat(h.zendesk.liveTokenIds()).containsExactly(lease.token().id());
            assertThat(broker.ledger().find(entry.id())).isEmpty();
            assertThat(report.inUse()).isEqualTo(1);
        }
        assertThat(h.zendesk.liveTokenCount()).isZero();
        assertThat(broker.ledger().entries()).isEmpty();
    }

    @Test
    void aFreshConcurrentMintPostponesReconciliationUntilItIsStale() {
        LedgerEntry lost = uncertainMint("job#lost");
        // Another lease has written its intent and is waiting for Zendesk: its token would look the same.
        LedgerEntry inFlight = broker.ledger().recordIntent(lost.site(), lost.clientId(), "job#busy", Harness.AUTHORITY,
                ScopeSet.parse(lost.scopes(), "scopes"));
        Sweeper sweeper = h.sweeper(broker);

        SweepReport first = sweeper.sweep();

        assertThat(first.postponed()).isEqualTo(1);
        assertThat(first.inUse()).isEqualTo(1);
        assertThat(first.revoked()).isZero();
        assertThat(h.zendesk.liveTokenCount()).isEqualTo(1);
        assertThat(broker.ledger().entries()).extracting(LedgerEntry::id).containsExactlyInAnyOrder(lost.id(), inFlight.id());

        // The concurrent mint never reports back (its process died): once stale it no longer protects anything.
        h.letMintsGoStale(broker);
        SweepReport second = sweeper.sweep();

        assertThat(second.reconciled()).isEqualTo(2);
        assertThat(second.revoked()).isEqualTo(1);
        assertThat(h.zendesk.liveTokenCount()).isZero();
        assertThat(broker.ledger().entries()).isEmpty();
    }

    @Test
    void aConcurrentMintWithOtherScopesDoesNotPostpone() {
        LedgerEntry lost = uncertainMint("job#lost");
        broker.ledger().recordIntent(lost.site(), lost.clientId(), "job#busy", Harness.AUTHORITY,
                ScopeSet.parse("tickets:write", "scopes"));

        SweepReport report = h.sweeper(broker).sweep();

        assertThat(report.reconciled()).isEqualTo(1);
        assertThat(report.postponed()).isZero();
        assertThat(h.zendesk.liveTokenCount()).isZero();
    }

    @Test
    void uncertainMintThatCreatedNothingIsKeptWhileItsWindowIsOpenThenDropped() {
        // 503 without processing: the broker cannot know that nothing was created.
        h.zendesk.failNext("POST", TOKENS, 1, Fault.status(503));
        h.zendesk.failNext("POST", TOKENS, 1, Fault.status(409)); // the broker's second attempt certainly creates nothing
        assertThatThrownBy(() -> broker.lease(h.request("job#1"))).isInstanceOf(MintOutcomeUnknownException.class);
        assertThat(h.zendesk.liveTokenCount()).isZero();
        Sweeper sweeper = h.sweeper(broker);

        SweepReport early = sweeper.sweep();
        assertThat(early.postponed()).isEqualTo(1);
        assertThat(broker.ledger().entries()).hasSize(1);

        h.letMintsGoStale(broker);
        SweepReport late = sweeper.sweep();
        assertThat(late.reconciled()).isEqualTo(1);
        assertThat(late.revoked()).isZero();
        assertThat(broker.ledger().entries()).isEmpty();
        assertThat(h.zendesk.liveTokenCount()).isZero();
    }

    @Test
    void staleMintingEntryIsReconciledButAFreshOneIsLeftAlone() {
        // A process died between writing its intent and recording the token (see LeaseCrashTest for the real thing).
        LedgerEntry intent = broker.ledger().recordIntent(h.site.toString(), Harness.CLIENT_ID, "job#dead", Harness.AUTHORITY,
                ScopeSet.parse(Harness.SCOPES, "scopes"));
        IssuedToken token = h.zendesk.mintExternally(Harness.CLIENT_ID, Harness.ADMIN_ID, Harness.SCOPES, Instant.now());
        Sweeper sweeper = h.sweeper(broker);

        SweepReport fresh = sweeper.sweep();
        assertThat(fresh.inUse()).isEqualTo(1);
        assertThat(h.zendesk.liveTokenIds()).containsExactly(token.id());

        h.letMintsGoStale(broker);
        SweepReport stale = sweeper.sweep();
        assertThat(stale.reconciled()).isEqualTo(1);
        assertThat(stale.revokedTokenIds()).containsExactly(token.id());
        assertThat(broker.ledger().find(intent.id())).isEmpty();
        assertThat(h.zendesk.liveTokenCount()).isZero();
    }

    @Test
    void failedListingKeepsTheEntryAsUncertainWithBackoff() {
        LedgerEntry lost = uncertainMint("job#1");
        h.zendesk.failNext("GET", TOKENS, 3, Fault.status(500));
        Sweeper sweeper = h.sweeper(broker);

        SweepReport report = sweeper.sweep();

        assertThat(report.stillPending()).isEqualTo(1);
        assertThat(report.errors()).singleElement().asString().contains("could not reconcile").contains("500");
        LedgerEntry after = broker.ledger().find(lost.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(LedgerEntry.State.UNCERTAIN);
        assertThat(after.nextAttempt()).isAfter(h.clock.instant().plus(Duration.ofSeconds(50)));
        assertThat(sweeper.sweep().stillPending()).as("not due yet").isEqualTo(1);

        h.clock.advance(Duration.ofMinutes(5));
        assertThat(sweeper.sweep().reconciled()).isEqualTo(1);
        assertThat(h.zendesk.liveTokenCount()).isZero();
        assertThat(broker.ledger().entries()).isEmpty();
    }
}
