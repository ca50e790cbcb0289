package io.jenkins.plugins.zendesk.oauth.broker.recovery;

import io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth;
import io.jenkins.plugins.zendesk.oauth.broker.lease.LeaseEvent;
import io.jenkins.plugins.zendesk.oauth.broker.lease.RevocationOutcome;
import io.jenkins.plugins.zendesk.oauth.broker.lease.TokenBroker;
import io.jenkins.plugins.zendesk.oauth.broker.lease.TokenFacts;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LeaseLedger;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import io.jenkins.plugins.zendesk.oauth.broker.value.FailureText;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskException;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskSite;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Revokes every token the ledger says may be live and nobody will revoke any more:
 * <ul>
 *   <li>{@code REVOKE_PENDING} entries whose retry is due: revoked by id with admin
 *       authentication (204 or 404 removes the entry; a failure backs off exponentially per entry,
 *       up to {@link Options#maxRetry()});</li>
 *   <li>{@code UNCERTAIN} entries and stale {@code MINTING} entries: handed to the {@link Reconciler};</li>
 *   <li>{@code LIVE} entries whose owner is no longer {@linkplain OwnerStatus#isActive active}:
 *       marked {@code REVOKE_PENDING} (durably, first) and revoked;</li>
 *   <li>entries whose token Zendesk has expired on its own (its reported {@code expires_at} plus
 *       {@link Options#expiryMargin()} has passed): closed without a Zendesk call, unless a running
 *       owner still holds the token.</li>
 * </ul>
 * Idempotent, and safe to run while leases mint and revoke: it never revokes a {@code LIVE} token of
 * an active owner nor a mint in flight; a token revoked twice (by its lease and by a sweep) costs one
 * harmless 404. Calls on one instance never work on the same entry at once. Thread-safe.
 */
public final class Sweeper {
    private final TokenBroker broker;
    private final LeaseLedger ledger;
    private final Reconciler reconciler;
    private final CredentialResolver credentials;
    private final OwnerStatus owners;
    private final Clock clock;
    private final Options options;
    /** Entries some call of this sweeper is working on: a concurrent call leaves them alone. */
    private final Set<String> busy = ConcurrentHashMap.newKeySet();

    public Sweeper(TokenBroker broker, Reconciler reconciler, CredentialResolver credentials, OwnerStatus owners, Clock clock,
                   Options options) {
        this.broker = Objects.requireNonNull(broker, "broker");
        this.ledger = broker.ledger();
        this.reconciler = Objects.requireNonNull(reconciler, "reconciler");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.owners = Objects.requireNonNull(owners, "owners");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.options = Objects.requireNonNull(options, "options");
    }

    /** A sweeper with a default {@link Reconciler} and {@link Options#defaults()} (Zendesk hosts only). */
    public Sweeper(TokenBroker broker, CredentialResolver credentials, OwnerStatus owners, Clock clock) {
        this(broker, new Reconciler(broker.transport(), broker.ledger(), clock, Reconciler.DEFAULT_SKEW), credentials, owners, clock,
                Options.defaults());
    }

    /** The periodic sweep over the whole ledger. */
    public SweepReport sweep() {
        return run(ledger.entries(), Mode.PERIODIC);
    }

    /**
     * Settles the entries of one owner that has finished (a Jenkins run completed or was deleted):
     * its {@code LIVE} tokens are revoked whatever {@link OwnerStatus} says, and its pending ones
     * are retried now, ignoring their backoff.
     */
    public SweepReport sweepOwner(String owner) {
        return run(ledger.entries().stream().filter(e -> e.owner().equals(owner)).toList(), Mode.FORCED);
    }

    /**
     * The admin's "Revoke now": revokes the entry's token even if its owner is active, or reconciles
     * it if it has no token id. A mint still in flight is left alone (reported as in use).
     */
    public SweepReport revokeNow(String entryId) {
        Optional<LedgerEntry> entry = ledger.find(entryId);
        if (entry.isEmpty()) {
            SweepReport.Tally tally = new SweepReport.Tally();
            tally.error("no ledger entry " + entryId + ": it was revoked or reconciled already");
            return tally.report();
        }
        return run(List.of(entry.get()), Mode.ADMIN);
    }

    /**
     * {@code PERIODIC} respects owners and backoff; {@code FORCED} does not (the host says the owner is done);
     * {@code ADMIN} is {@code FORCED} by an administrator's hand, as the audit trail says.
     */
    private enum Mode {
        PERIODIC, FORCED, ADMIN;

        LeaseEvent.EndedBy endedBy() {
            return this == ADMIN ? LeaseEvent.EndedBy.ADMIN : LeaseEvent.EndedBy.SWEEPER;
        }
    }

    private SweepReport run(List<LedgerEntry> entries, Mode mode) {
        SweepReport.Tally tally = new SweepReport.Tally();
        for (LedgerEntry entry : entries) {
            if (!busy.add(entry.id())) {
                tally.inUse();
                continue;
            }
            try {
                // Re-read: a lease may have settled or changed the entry since the snapshot.
                ledger.find(entry.id()).ifPresent(current -> settle(current, mode, tally));
            } catch (RuntimeException unexpected) {
                // One bad entry must not stop the sweep of the others.
                tally.failed(describe(entry) + ": " + FailureText.of(unexpected));
            } finally {
                busy.remove(entry.id());
            }
        }
        return tally.report();
    }

    private void settle(LedgerEntry entry, Mode mode, SweepReport.Tally tally) {
        Instant now = clock.instant();
        boolean due = mode != Mode.PERIODIC || !entry.nextAttempt().isAfter(now);
        boolean ownerMayUseIt = entry.state() == LedgerEntry.State.LIVE && mode == Mode.PERIODIC && owners.isActive(entry.owner());
        if (entry.expiredBy(now, options.expiryMargin()) && !ownerMayUseIt) {
            // Zendesk expired it on its own: nothing is left to revoke, so no call is made.
            ledger.remove(entry.id());
            tally.expired(entry.tokenId().orElseThrow());
            siteOf(entry).ifPresent(site -> broker.events().on(new LeaseEvent.Expired(site, entry.tokenId().orElseThrow(), entry.owner(),
                    entry.id(), entry.authority(), TokenFacts.of(entry))));
            return;
        }
        switch (entry.state()) {
            case LIVE -> {
                if (ownerMayUseIt) {
                    tally.inUse();
                    return;
                }
                // Durable first: should this sweep fail or the process die, the next sweep still revokes.
                Optional<LedgerEntry> pending = transition(entry);
                if (pending.isPresent()) {
                    settlePending(pending.get(), mode, tally);
                }
            }
            case REVOKE_PENDING -> {
                if (!due) {
                    tally.pending();
                } else {
                    settlePending(entry, mode, tally);
                }
            }
            case UNCERTAIN -> {
                if (!due) {
                    tally.pending();
                } else {
                    reconcile(entry, tally);
                }
            }
            case MINTING -> {
                if (!reconciler.isStale(entry, now)) {
                    tally.inUse(); // a mint in flight: its lease records the outcome
                } else {
                    reconcile(entry, tally);
                }
            }
        }
    }

    /** LIVE to REVOKE_PENDING; empty if the lease removed the entry meanwhile. */
    private Optional<LedgerEntry> transition(LedgerEntry entry) {
        if (ledger.find(entry.id()).isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ledger.updateState(entry.id(), LedgerEntry.State.REVOKE_PENDING));
        } catch (IllegalArgumentException removedMeanwhile) {
            return Optional.empty();
        }
    }

    private void settlePending(LedgerEntry entry, Mode mode, SweepReport.Tally tally) {
        if (entry.tokenId().isEmpty()) {
            reconcile(entry, tally); // only an edited ledger has this; finding the token is all we can do
            return;
        }
        long tokenId = entry.tokenId().get();
        Optional<Target> target = target(entry, LedgerEntry.State.REVOKE_PENDING, tally);
        if (target.isEmpty()) {
            return;
        }
        RevocationOutcome outcome = broker.revoke(target.get().site(), target.get().auth(), tokenId, entry.id(), entry.owner(),
                backoff(entry.failures()), mode.endedBy());
        if (outcome.revoked()) {
            if (outcome.alreadyGone()) {
                tally.alreadyGone(tokenId);
            } else {
                tally.revoked(tokenId);
            }
        } else {
            tally.failed(describe(entry) + ": " + outcome.error().orElse("revocation failed"));
        }
    }

    private void reconcile(LedgerEntry entry, SweepReport.Tally tally) {
        Optional<Target> target = target(entry, LedgerEntry.State.UNCERTAIN, tally);
        if (target.isEmpty()) {
            return;
        }
        Reconciler.Outcome outcome;
        Instant start = clock.instant();
        try {
            outcome = reconciler.reconcile(entry, target.get().site(), target.get().auth());
        } catch (ZendeskException failure) {
            fail(entry, LedgerEntry.State.UNCERTAIN, "could not reconcile: " + failure.getMessage(), tally);
            return;
        }
        if (outcome instanceof Reconciler.Outcome.Reconciled done) {
            tally.reconciled();
            done.revoked().forEach(tally::revoked);
            done.alreadyGone().forEach(tally::alreadyGone);
            Reconciler.report(broker.events(), entry, target.get().site(), done, Duration.between(start, clock.instant()));
        } else if (outcome instanceof Reconciler.Outcome.Postponed) {
            tally.postponed();
        }
        // Settled: someone else finished the job; nothing to count.
    }

    /** The entry's site for the audit trail; a site an edited ledger made unreadable has no event (nothing was called). */
    private static Optional<ZendeskSite> siteOf(LedgerEntry entry) {
        try {
            return Optional.of(ZendeskSite.parse(entry.site(), ZendeskSite.HostPolicy.ANY_HOST));
        } catch (ZendeskException unreadable) {
            return Optional.empty();
        }
    }

    /** The site and admin credential to act with, or empty after recording why there are none. */
    private Optional<Target> target(LedgerEntry entry, LedgerEntry.State stateOnFailure, SweepReport.Tally tally) {
        ZendeskSite site;
        try {
            site = ZendeskSite.parse(entry.site(), options.hostPolicy());
        } catch (ZendeskException invalid) {
            fail(entry, stateOnFailure, "the recorded site is not accepted: " + invalid.getMessage(), tally);
            return Optional.empty();
        }
        Optional<AdminAuth> auth = credentials.resolve(entry);
        if (auth.isEmpty()) {
            fail(entry, stateOnFailure, "the admin credential '" + entry.authority() + "' is missing, so the token"
                    + entry.tokenId().map(id -> " " + id).orElse("") + " cannot be revoked. Restore the credential, or revoke the"
                    + " token in Zendesk (Admin Center > Apps and integrations > APIs > OAuth Clients) and then remove this entry", tally);
            return Optional.empty();
        }
        return Optional.of(new Target(site, auth.get()));
    }

    private void fail(LedgerEntry entry, LedgerEntry.State state, String error, SweepReport.Tally tally) {
        try {
            ledger.recordFailure(entry.id(), state, error, clock.instant().plus(backoff(entry.failures())));
        } catch (IllegalArgumentException removedMeanwhile) {
            return;
        } catch (RuntimeException ledgerFailure) {
            tally.error(describe(entry) + ": could not record the failure: " + ledgerFailure.getMessage());
        }
        tally.failed(describe(entry) + ": " + error);
    }

    /** Exponential per-entry backoff: first retry after {@link Options#firstRetry()}, doubling, capped. */
    Duration backoff(int failures) {
        Duration delay = options.firstRetry();
        for (int i = 0; i < failures && delay.compareTo(options.maxRetry()) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(options.maxRetry()) > 0 ? options.maxRetry() : delay;
    }

    private static String describe(LedgerEntry entry) {
        return "entry " + entry.id() + " (owner " + entry.owner() + ", " + entry.state()
                + entry.tokenId().map(id -> ", token " + id).orElse("") + ")";
    }

    private record Target(ZendeskSite site, AdminAuth auth) {
    }

    /**
     * Tunables of the sweeper.
     *
     * @param firstRetry delay before retrying an entry after its first failure; doubles with each failure
     * @param maxRetry   cap on that delay
     * @param hostPolicy   which site origins recorded in the ledger are trusted with admin credentials
     * @param expiryMargin how long after its Zendesk-reported expiry a token counts as certainly expired (clock differences)
     */
    public record Options(Duration firstRetry, Duration maxRetry, ZendeskSite.HostPolicy hostPolicy, Duration expiryMargin) {
        public Options {
            if (firstRetry == null || firstRetry.isNegative() || maxRetry == null || maxRetry.compareTo(firstRetry) < 0) {
                throw new IllegalArgumentException("need 0 <= firstRetry <= maxRetry");
            }
            Objects.requireNonNull(hostPolicy, "hostPolicy");
            if (expiryMargin == null || expiryMargin.isNegative()) {
                throw new IllegalArgumentException("expiryMargin must be present and not negative");
            }
        }

        /** One minute, doubling up to one hour; {@code https://<subdomain>.zendesk.com} sites only; expiry margin as the reconciler's skew. */
        public static Options defaults() {
            return new Options(Duration.ofMinutes(1), Duration.ofHours(1), ZendeskSite.HostPolicy.ZENDESK_ONLY, Reconciler.DEFAULT_SKEW);
        }

        public Options withHostPolicy(ZendeskSite.HostPolicy policy) {
            return new Options(firstRetry, maxRetry, policy, expiryMargin);
        }
    }
}
