package io.jenkins.plugins.zendesk.oauth.broker.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.zendesk.oauth.broker.emulator.Fault;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.ZendeskEmulator;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import io.jenkins.plugins.zendesk.oauth.broker.lease.RevocationOutcome;
import io.jenkins.plugins.zendesk.oauth.broker.lease.TokenBroker;
import io.jenkins.plugins.zendesk.oauth.broker.lease.TokenLease;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class SweeperTest {
    private static final String REVOKE = "/api/v2/oauth/tokens/";

    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = ZendeskEmulatorExtension.starting(ZendeskEmulator::start);
    @TempDir
    Path dir;
    private Harness h;
    private TokenBroker broker;
    private Sweeper sweeper;

    @BeforeEach
    void start() {
        h = new Harness(dir, zendesk.emulator());
        // One attempt per call: every injected failure is one failed revocation.
        broker = h.broker(Harness.fastPolicy().withMaxAttempts(1));
        sweeper = h.sweeper(broker);
    }

    @AfterEach
    void stop() {
        h.assertNoSecretsInLedgerFile();
    }

    @Test
    void failingRevocationIsRetriedWithGrowingBackoffUntilItSucceeds() {
        h.zendesk.failNext("DELETE", REVOKE, 3, Fault.status(503));
        TokenLease lease = broker.lease(h.request("job#1"));
        RevocationOutcome outcome = lease.revoke();
        assertThat(outcome.revoked()).isFalse();
        assertThat(outcome.error()).get().asString().contains("503");
        LedgerEntry pending = broker.ledger().find(lease.entryId()).orElseThrow();
        assertThat(pending.state()).isEqualTo(LedgerEntry.State.REVOKE_PENDING);

        Duration previousDelay = Duration.ZERO;
        for (int failure = 2; failure <= 3; failure++) {
            h.clock.advance(Duration.between(h.clock.instant(), pending.nextAttempt()).plusSeconds(1));
            SweepReport report = sweeper.sweep();
            assertThat(report.stillPending()).isEqualTo(1);
            assertThat(report.errors()).singleElement().asString().contains(lease.entryId()).contains("503");
            pending = broker.ledger().find(lease.entryId()).orElseThrow();
            assertThat(pending.failures()).isEqualTo(failure);
            Duration delay = Duration.between(h.clock.instant(), pending.nextAttempt());
            assertThat(delay).isGreaterThan(previousDelay).isLessThanOrEqualTo(Duration.ofHours(1));
            previousDelay = delay;
            assertThat(sweeper.sweep().stillPending()).as("retry not due yet: no call").isEqualTo(1);
        }
        assertThat(h.zendesk.requestCount("DELETE", REVOKE)).isEqualTo(3);

        h.clock.advance(previousDelay.plusSeconds(1));
        SweepReport done = sweeper.sweep();

        assertThat(done.revokedTokenIds()).containsExactly(lease.token().id());
        assertThat(done.isComplete()).isTrue();
        assertThat(h.zendesk.liveTokenCount()).isZero();
        assertThat(broker.ledger().entries()).isEmpty();
    }

    @Test
    void backoffDoublesAndIsCapped() {
        assertThat(sweeper.backoff(0)).isEqualTo(Duration.ofMinutes(1));
        assertThat(sweeper.backoff(1)).isEqualTo(Duration.ofMinutes(2));
        assertThat(sweeper.backoff(5)).isEqualTo(Duration.ofMinutes(32));
        assertThat(sweeper.backoff(6)).isEqualTo(Duration.ofHours(1));
        assertThat(sweeper.backoff(10_000)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void liveTokenOfAnInactiveOwnerIsRevoked() {
        TokenLease abandoned = broker.lease(h.request("job#gone"));

        SweepReport report = sweeper.sweep();

        assertThat(report.revokedTokenIds()).containsExactly(abandoned.token().id());
        assertThat(h.zendesk.liveTokenCount()).isZero();
        assertThat(broker.ledger().entries()).isEmpty();
        // The lease closing late is harmless: Zendesk answers 404, counted as already gone.
        assertThat(abandoned.revoke().alreadyGone()).isTrue();
    }

    @Test
    void liveTokenOfAnActiveOwnerIsUntouched() {
        h.activeOwners.add("job#running");
        try (TokenLease lease = broker.lease(h.request("job#running"))) {
            h.zendesk.resetCounters();

            SweepReport report = sweeper.sweep();

            assertThat(report.inUse()).isEqualTo(1);
            assertThat(report.revoked() + report.alreadyGone() + report.reconciled()).isZero();
            assertThat(h.zendesk.requestCount("*", "")).isZero();
            assertThat(h.zendesk.liveTokenIds()).containsExactly(lease.token().id());
            assertThat(broker.ledger().find(lease.entryId()).orElseThrow().state()).isEqualTo(LedgerEntry.State.LIVE);
        }
        assertThat(h.zendesk.liveTokenCount()).isZero();
        assertThat(broker.ledger().entries()).isEmpty();
    }

    @Test
    void missingCredentialLeavesTheEntryWithAClearError() {
        h.credentials.put("deleted-cred", h.auth);
        TokenLease abandoned = broker.lease(h.request("job#gone", "deleted-cred"));
        h.credentials.remove("deleted-cred");

        SweepReport report = sweeper.sweep();

        assertThat(report.stillPending()).isEqualTo(1);
        assertThat(report.errors()).singleElement().asString()
                .contains("admin credential 'deleted-cred' is missing").contains(String.valueOf(abandoned.token().id()));
        LedgerEntry entry = broker.ledger().find(abandoned.entryId()).orElseThrow();
        assertThat(entry.state()).isEqualTo(LedgerEntry.State.REVOKE_PENDING);
        assertThat(entry.lastError()).get().asString().contains("'deleted-cred' is missing");
        assertThat(h.zendesk.liveTokenIds()).containsExactly(abandoned.token().id());
        h.assertNoSecretsIn(report.toString());

        // The admin restores the credential: the next due sweep revokes.
        h.credentials.put("deleted-cred", h.auth);
        h.clock.advance(Duration.ofMinutes(2));
        assertThat(sweeper.sweep().revokedTokenIds()).containsExactly(abandoned.token().id());
        assertThat(h.zendesk.liveTokenCount()).isZero();
        assertThat(broker.ledger().entries()).isEmpty();
    }

    @Test
    void secondSweepDoesNothing() {
        broker.lease(h.request("job#a"));
        broker.lease(h.request("job#b"));
        SweepReport first = sweeper.sweep();
        assertThat(first.revoked()).isEqualTo(2);
        h.zendesk.resetCounters();

        SweepReport second = sweeper.sweep();

        assertThat(second).isEqualTo(new SweepReport(0, 0, 0, 0, 0, 0, java.util.List.of(), java.util.List.of(), java.util.List.of(),
                java.util.List.of()));
        assertThat(h.zendesk.requestCount("*", "")).isZero();
        assertThat(h.zendesk.liveTokenCount()).isZero();
    }

    @Test
    void sweepOwnerRevokesOnlyThatOwnersTokensEvenIfReportedActive() {
        h.activeOwners.add("job#done");
        h.activeOwners.add("job#other");
        TokenLease done = broker.lease(h.request("job#done"));
        try (TokenLease other = broker.lease(h.request("job#other"))) {
            SweepReport report = sweeper.sweepOwner("job#done");

            assertThat(report.revokedTokenIds()).containsExactly(done.token().id());
            assertThat(h.zendesk.liveTokenIds()).containsExactly(other.token().id());
            assertThat(broker.ledger().entries()).extracting(LedgerEntry::owner).containsExactly("job#other");
        }
        assertThat(h.zendesk.liveTokenCount()).isZero();
    }

    @Test
    void revokeNowRevokesEvenAnActiveOwnersTokenAndIgnoresBackoff() {
        h.activeOwners.add("job#running");
        TokenLease lease = broker.lease(h.request("job#running"));

        SweepReport report = sweeper.revokeNow(lease.entryId());

        assertThat(report.revokedTokenIds()).containsExactly(lease.token().id());
        assertThat(h.zendesk.liveTokenCount()).isZero();
        assertThat(sweeper.revokeNow(lease.entryId()).errors()).singleElement().asString().contains("no ledger entry");

        // The lease's revocation and the sweep's first retry fail; then the entry backs off.
        h.zendesk.failNext("DELETE", REVOKE, 2, Fault.status(503));
        TokenLease failing = broker.lease(h.request("job#running"));
        assertThat(failing.revoke().revoked()).isFalse();
        // The retry is due 1 ms after the failure (the policy's initial backoff): make sure that much time has passed.
        h.clock.advance(Duration.ofMillis(2));
        assertThat(sweeper.sweep().errors()).hasSize(1);
        SweepReport backingOff = sweeper.sweep();
        assertThat(backingOff.stillPending()).isEqualTo(1);
        assertThat(backingOff.errors()).isEmpty();
        assertThat(sweeper.revokeNow(failing.entryId()).revokedTokenIds()).containsExactly(failing.token().id());
        assertThat(h.zendesk.liveTokenCount()).isZero();
        assertThat(broker.ledger().entries()).isEmpty();
    }

    @Test
    void aForeignSiteInAnEditedLedgerIsNotTrustedWithCredentialsByDefault() {
        broker.lease(h.request("job#gone"));
        Sweeper strict = new Sweeper(broker, entry -> java.util.Optional.of(h.auth), owner -> false, h.clock);

        SweepReport report = strict.sweep();

        assertThat(report.stillPending()).isEqualTo(1);
        assertThat(report.errors()).singleElement().asString().contains("site is not accepted");
        assertThat(h.zendesk.requestCount("DELETE", REVOKE)).isZero();
        h.clock.advance(Duration.ofMinutes(5));
        assertThat(sweeper.sweep().revoked()).isEqualTo(1);
        assertThat(h.zendesk.liveTokenCount()).isZero();
    }

    @Test
    void reportIsReadable() {
        SweepReport report = new SweepReport(2, 1, 1, 1, 0, 3, java.util.List.of(9000L, 9001L), java.util.List.of(9002L),
                java.util.List.of("entry x (owner job#1, REVOKE_PENDING, token 9003): HTTP 503"), java.util.List.of());
        assertThat(report).hasToString("Zendesk token sweep: 2 revoked, 1 already gone, 1 reconciled, 1 still pending, 0 postponed,"
                + " 3 in use; revoked tokens [9000, 9001]; already gone [9002]; errors: entry x (owner job#1, REVOKE_PENDING,"
                + " token 9003): HTTP 503");
        assertThat(report.isComplete()).isFalse();
    }
}
