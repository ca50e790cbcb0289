package io.jenkins.plugins.zendesk.oauth.broker.recovery;

import io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.StandardTransport;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ForwardingLeaseLedger;
import io.jenkins.plugins.zendesk.oauth.broker.lease.LeaseListener;
import io.jenkins.plugins.zendesk.oauth.broker.lease.LeaseRequest;
import io.jenkins.plugins.zendesk.oauth.broker.lease.TokenBroker;
import io.jenkins.plugins.zendesk.oauth.broker.lease.TokenLease;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.FileLeaseLedger;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LeaseLedger;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import io.jenkins.plugins.zendesk.oauth.broker.value.OAuthClientRef;
import io.jenkins.plugins.zendesk.oauth.broker.value.ScopeSet;
import io.jenkins.plugins.zendesk.oauth.broker.value.SecretValue;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskSite;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.RetryPolicy;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A Jenkins controller in miniature, run in its own JVM by {@link LeaseCrashTest} and killed at a
 * chosen step. Prints progress lines (ids only, never a token) for the parent to synchronise on.
 *
 * <p>Arguments: {@code <site URL> <ledger file> <mode> <owner>}; modes: {@code MINT} (just lease),
 * {@code HALT_IN_RECORD_MINTED}, {@code IN_BLOCK}, {@code REVOKE} (revokes after a line on stdin), and
 * {@code HALT_AT_<step>} (halts in the ledger's writer at that {@link FileLeaseLedger.Step}).
 */
public final class LeaseChild {
    private LeaseChild() {
    }

    public static void main(String[] args) throws Exception {
        ZendeskSite site = ZendeskSite.parse(args[0], ZendeskSite.HostPolicy.ANY_HOST);
        Path ledgerFile = Path.of(args[1]);
        String mode = args[2];
        String owner = args[3];
        // Long timeouts: the parent kills this process long before they would matter.
        RetryPolicy policy = new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(40),
                Duration.ofSeconds(30));
        LeaseLedger ledger;
        if (mode.startsWith("HALT_AT_")) {
            // Inside the ledger's own write path. The parent leaves a journal of one record
            // (LeaseCrashTest.startLedger): compacting after two puts the intent in the journal and
            // the token id in a compaction.
            FileLeaseLedger.Step target = FileLeaseLedger.Step.valueOf(mode.substring("HALT_AT_".length()));
            ledger = new FileLeaseLedger(ledgerFile, Clock.systemUTC(), 2, step -> {
                if (step == target) {
                    say("HALTING " + step);
                    Runtime.getRuntime().halt(137);
                }
            });
        } else {
            ledger = new FileLeaseLedger(ledgerFile, Clock.systemUTC());
        }
        if (mode.equals("HALT_IN_RECORD_MINTED")) {
            ledger = new HaltingLedger(ledger);
        }
        TokenBroker broker = new TokenBroker(StandardTransport.of(policy), ledger, LeaseListener.none());
        LeaseRequest request = new LeaseRequest(site, new AdminAuth.ApiToken(Harness.EMAIL, SecretValue.of(Harness.API_TOKEN)),
                new OAuthClientRef.ById(Harness.CLIENT_ID), ScopeSet.parse(Harness.SCOPES, "scopes"), Optional.empty(),
                owner, Harness.AUTHORITY);
        say("LEASING");
        TokenLease lease = broker.lease(request);
        say("MINTED " + lease.token().id());
        if (mode.equals("IN_BLOCK")) {
            Thread.sleep(60_000); // the block runs until the parent kills us
        } else if (mode.equals("REVOKE")) {
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            say("REVOKING");
            say("REVOKED " + lease.revoke());
        }
        say("DONE");
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /** Dies the hardest possible way at the worst moment: Zendesk created the token, the ledger does not know it. */
    private static final class HaltingLedger extends ForwardingLeaseLedger {
        HaltingLedger(LeaseLedger delegate) {
            super(delegate);
        }

        @Override
        public LedgerEntry recordMinted(String entryId, long tokenId, Instant createdAt, Optional<Instant> expiresAt) {
            say("HALTING " + tokenId);
            Runtime.getRuntime().halt(137);
            throw new AssertionError("unreachable");
        }

    }
}
