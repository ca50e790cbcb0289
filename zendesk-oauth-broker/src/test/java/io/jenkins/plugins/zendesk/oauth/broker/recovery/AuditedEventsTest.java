package io.jenkins.plugins.zendesk.oauth.broker.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.zendesk.oauth.broker.audit.AuditContext;
import io.jenkins.plugins.zendesk.oauth.broker.audit.AuditLog;
import io.jenkins.plugins.zendesk.oauth.broker.audit.AuditQuery;
import io.jenkins.plugins.zendesk.oauth.broker.audit.AuditRecord;
import io.jenkins.plugins.zendesk.oauth.broker.audit.AuditSearch;
import io.jenkins.plugins.zendesk.oauth.broker.audit.AuditTrail;
import io.jenkins.plugins.zendesk.oauth.broker.audit.AuditWriter;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.Fault;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.IssuedToken;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.ZendeskEmulator;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ForwardingLeaseLedger;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import io.jenkins.plugins.zendesk.oauth.broker.lease.LeaseEvent;
import io.jenkins.plugins.zendesk.oauth.broker.lease.LeaseEvent.EndedBy;
import io.jenkins.plugins.zendesk.oauth.broker.lease.LeaseListener;
import io.jenkins.plugins.zendesk.oauth.broker.lease.TokenBroker;
import io.jenkins.plugins.zendesk.oauth.broker.lease.TokenLease;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.FileLeaseLedger;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LeaseLedger;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import io.jenkins.plugins.zendesk.oauth.broker.value.ScopeSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every path that creates or ends a token emits its event, with the ledger entry id and authority,
 * and the audit trail writes it, never with a secret.
 */
class AuditedEventsTest {
    @RegisterExtension
    final ZendeskEmulatorExtension zendesk = ZendeskEmulatorExtension.starting(ZendeskEmulator::start);
    @TempDir
    Path dir;
    private Harness h;
    private final List<LeaseEvent> events = new CopyOnWriteArrayList<>();
    private AuditWriter writer;
    private TokenBroker broker;
    private Sweeper sweeper;

    @BeforeEach
    void start() {
        h = new Harness(dir, zendesk.emulator());
        writer = new AuditWriter(new AuditLog(dir.resolve("audit"), h.clock, () -> 90), "audit-test");
        broker = broker(h.openLedger());
        sweeper = h.sweeper(broker);
    }

    private TokenBroker broker(LeaseLedger ledger) {
        return new TokenBroker(Harness.transport(Harness.fastPolicy().withMaxAttempts(1), h.clock), ledger,
                LeaseListener.all(events::add, new AuditTrail(writer, AuditContext.none())));
    }

    /** The extension checks that no token is left live; this checks that the audit files name no secret. */
    @AfterEach
    void noSecretInTheAuditTrail() throws Exception {
        writer.flush(Duration.ofSeconds(30));
        Files.createDirectories(dir.resolve("audit"));
        try (Stream<Path> files = Files.list(dir.resolve("audit"))) {
            for (Path file : files.toList()) {
                h.assertNoSecretsIn(Files.readString(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        writer.close();
    }

    private List<AuditRecord> written() throws InterruptedException {
        writer.flush(Duration.ofSeconds(30));
        List<AuditRecord> all = new ArrayList<>();
        new AuditSearch(writer.log()).forEach(AuditQuery.all(), all::add);
        return all;
    }

    @Test
    void mintAndRevokeAtBlockEndCarryEntryAuthorityAndFacts() throws Exception {
        TokenLease lease = broker.lease(h.request("job#1"));
        lease.revoke();

        assertThat(events).hasSize(2);
        assertThat(events.get(0)).isInstanceOfSatisfying(LeaseEvent.Minted.class, m -> {
            assertThat(m.entryId()).isEqualTo(lease.entryId());
            assertThat(m.authority()).isEqualTo(Harness.AUTHORITY);
        });
        assertThat(events.get(1)).isInstanceOfSatisfying(LeaseEvent.Revoked.class, r -> {
            assertThat(r.endedBy()).isEqualTo(EndedBy.BLOCK_END);
            assertThat(r.entryId()).isEqualTo(lease.entryId());
            assertThat(r.authority()).isEqualTo(Harness.AUTHORITY);
            assertThat(r.facts().scopes()).containsExactlyInAnyOrderElementsOf(Harness.SCOPES);
            assertThat(r.facts().clientId()).isEqualTo(Harness.CLIENT_ID);
        });
        List<AuditRecord> records = written();
        assertThat(records).extracting(AuditRecord::event).containsExactly("minted", "revoked");
        AuditRecord revoked = records.get(1);
        assertThat(revoked.tokenId()).isEqualTo(lease.token().id());
        assertThat(revoked.entryId()).isEqualTo(lease.entryId());
        assertThat(revoked.credentialId()).isEqualTo(Harness.AUTHORITY);
        assertThat(revoked.endedBy()).isEqualTo("block_end");
        assertThat(revoked.outcome()).isEqualTo("ok");
        assertThat(revoked.heldMs()).isPresent();
        assertThat(revoked.site()).isEqualTo(h.site.toString());
    }

    @Test
    void theSweeperRevokingAnAbandonedTokenIsTheSweepers() throws Exception {
        TokenLease abandoned = broker.lease(h.request("job#gone"));
        sweeper.sweep();

        assertThat(events).last().isInstanceOfSatisfying(LeaseEvent.Revoked.class, r -> {
            assertThat(r.endedBy()).isEqualTo(EndedBy.SWEEPER);
            assertThat(r.tokenId()).isEqualTo(abandoned.token().id());
        });
        assertThat(written()).extracting(AuditRecord::endedBy).containsExactly("", "sweeper");
    }

    @Test
    void revokeNowIsTheAdministrators() throws Exception {
        h.activeOwners.add("job#running");
        TokenLease lease = broker.lease(h.request("job#running"));
        sweeper.revokeNow(lease.entryId());

        assertThat(events).last().isInstanceOfSatisfying(LeaseEvent.Revoked.class, r -> assertThat(r.endedBy()).isEqualTo(EndedBy.ADMIN));
        assertThat(lease.revoke().alreadyGone()).isTrue();
        assertThat(written()).extracting(r -> r.event() + "/" + r.endedBy() + "/" + r.outcome())
                .containsExactly("minted//ok", "revoked/admin/ok", "revoked/block_end/already_gone");
    }

    @Test
    void aFailedRevocationIsRecordedWithItsErrorAndTheRetryToo() throws Exception {
        h.zendesk.failNext("DELETE", "/api/v2/oauth/tokens/", 1, Fault.status(503));
        TokenLease lease = broker.lease(h.request("job#1"));
        lease.revoke();
        h.clock.advance(Duration.ofMinutes(5));
        sweeper.sweep();

        List<AuditRecord> records = written();
        assertThat(records).extracting(AuditRecord::event).containsExactly("minted", "revoke_failed", "revoked");
        assertThat(records.get(1).error()).contains("503");
        assertThat(records.get(1).outcome()).isEqualTo("failed");
        assertThat(records.get(2).endedBy()).isEqualTo("sweeper");
    }

    @Test
    void anEntryClosedAsExpiredIsRecordedWithoutACall() throws Exception {
        LedgerEntry intent = broker.ledger().recordIntent(h.site.toString(), Harness.CLIENT_ID, "job#old", Harness.AUTHORITY,
                ScopeSet.parse(Harness.SCOPES, "scopes"));
        Instant created = h.clock.instant();
        broker.ledger().recordMinted(intent.id(), 987_654, created, Optional.of(created.plus(Duration.ofMinutes(30))));
        h.clock.advance(Duration.ofHours(1));
        h.zendesk.resetCounters();

        assertThat(sweeper.sweep().expiredTokenIds()).containsExactly(987_654L);

        assertThat(h.zendesk.requestCount("*", "")).isZero();
        assertThat(events).singleElement().isInstanceOfSatisfying(LeaseEvent.Expired.class, e -> {
            assertThat(e.entryId()).isEqualTo(intent.id());
            assertThat(e.owner()).isEqualTo("job#old");
        });
        AuditRecord expired = written().get(0);
        assertThat(expired.event()).isEqualTo("expired");
        assertThat(expired.endedBy()).isEqualTo("expiry");
        assertThat(expired.heldMs()).hasValueSatisfying(ms -> assertThat(ms).isGreaterThanOrEqualTo(Duration.ofHours(1).toMillis()));
        assertThat(expired.expiresAt()).contains(created.plus(Duration.ofMinutes(30)));
    }

    @Test
    void anOrphanFoundByReconciliationIsRecorded() throws Exception {
        LedgerEntry intent = broker.ledger().recordIntent(h.site.toString(), Harness.CLIENT_ID, "job#crashed", Harness.AUTHORITY,
                ScopeSet.parse(Harness.SCOPES, "scopes"));
        IssuedToken orphan = h.zendesk.mintExternally(Harness.CLIENT_ID, Harness.ADMIN_ID, Harness.SCOPES, h.clock.instant());
        broker.ledger().recordFailure(intent.id(), LedgerEntry.State.UNCERTAIN, "timeout", h.clock.instant());
        h.letMintsGoStale(broker);

        sweeper.sweep();

        assertThat(events).singleElement().isInstanceOfSatisfying(LeaseEvent.OrphanRevoked.class, o -> {
            assertThat(o.tokenId()).isEqualTo(orphan.id());
            assertThat(o.entryId()).isEqualTo(intent.id());
            assertThat(o.authority()).isEqualTo(Harness.AUTHORITY);
        });
        assertThat(written()).extracting(r -> r.event() + "/" + r.endedBy() + "/" + r.tokenId())
                .containsExactly("orphan_revoked/reconciler/" + orphan.id());
    }

    @Test
    void theQuietRevocationAfterALedgerFailureIsRecorded() throws Exception {
        FileLeaseLedger real = h.openLedger();
        TokenBroker failing = broker(new FailingMintRecord(real));
        assertThatThrownBy(() -> failing.lease(h.request("job#1"))).hasMessageContaining("disk full");

        assertThat(events).last().isInstanceOfSatisfying(LeaseEvent.Revoked.class, r -> {
            assertThat(r.endedBy()).isEqualTo(EndedBy.LEDGER_FAILURE);
            assertThat(r.facts().scopes()).containsExactlyInAnyOrderElementsOf(Harness.SCOPES);
        });
        assertThat(written()).extracting(r -> r.event() + "/" + r.endedBy()).containsExactly("revoked/ledger_failure");
        real.entries().forEach(e -> real.remove(e.id())); // the intent left for reconciliation: nothing to reconcile here
    }

    @Test
    void aListenerThatThrowsStopsNeitherTheOthersNorTheLease() throws Exception {
        List<LeaseEvent> second = new CopyOnWriteArrayList<>();
        TokenBroker b = new TokenBroker(Harness.transport(Harness.fastPolicy(), h.clock), broker.ledger(),
                LeaseListener.all(e -> {
                    throw new IllegalStateException("broken listener");
                }, second::add));
        b.lease(h.request("job#1")).revoke();
        assertThat(second).hasSize(2);
    }

    /** A ledger whose disk fills just as the token id is to be recorded. */
    private static final class FailingMintRecord extends ForwardingLeaseLedger {
        FailingMintRecord(LeaseLedger delegate) {
            super(delegate);
        }

        @Override
        public LedgerEntry recordMinted(String entryId, long tokenId, Instant createdAt, Optional<Instant> expiresAt) {
            throw new UncheckedIOException(new IOException("disk full"));
        }

    }
}
