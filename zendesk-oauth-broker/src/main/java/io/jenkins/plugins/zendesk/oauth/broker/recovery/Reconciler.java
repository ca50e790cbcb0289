package io.jenkins.plugins.zendesk.oauth.broker.recovery;

import io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth;
import io.jenkins.plugins.zendesk.oauth.broker.lease.LeaseEvent;
import io.jenkins.plugins.zendesk.oauth.broker.lease.LeaseListener;
import io.jenkins.plugins.zendesk.oauth.broker.lease.MintSettler;
import io.jenkins.plugins.zendesk.oauth.broker.lease.TokenFacts;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LeaseLedger;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskSite;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.Admission;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.IssuedTokenInfo;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.ZendeskAdminApi;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.ZendeskTransport;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.ZendeskUser;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Settles a ledger entry whose mint may have created a token nobody knows the id of: an
 * {@link LedgerEntry.State#UNCERTAIN UNCERTAIN} entry (timeout, dropped connection, 5xx) or a
 * <em>stale</em> {@link LedgerEntry.State#MINTING MINTING} entry (the process died mid-mint).
 *
 * <h2>Matching rule</h2>
 * Zendesk's mint answer is the only place that names a new token, so an unanswered mint can only be
 * found again by its traits. The reconciler lists the client's tokens
 * ({@code GET /api/v2/oauth/tokens.json?client_id=}) with the entry's admin credential and treats
 * as the entry's token every token that
 * <ol>
 *   <li>belongs to the entry's OAuth client,</li>
 *   <li>was created by the admin user of that credential ({@code GET /api/v2/users/me.json}),</li>
 *   <li>has exactly the entry's scope set,</li>
 *   <li>was created within the mint window {@code [intentAt - skew, intentAt + deadline + skew]},
 *       where {@code deadline} is the transport's overall budget for one call (a mint cannot be
 *       created later than that) and {@code skew} allows for clock differences between Jenkins and
 *       Zendesk (two minutes by default; Zendesk's timestamps have one-second resolution), and</li>
 *   <li>is not the recorded token of any other ledger entry, nor a control token this broker
 *       holds (client credentials: see {@link io.jenkins.plugins.zendesk.oauth.broker.zendesk.ControlTokens}).</li>
 * </ol>
 * Every match is revoked by id, then the entry is removed. Expired tokens are not listed (Zendesk lists
 * them only with {@code include_expired=true}, which is not sent): they need no revocation, and an entry
 * whose token expired meanwhile is settled like one whose mint created nothing.
 *
 * <h2>Safety against concurrent mints</h2>
 * A concurrent lease with the same traits may be between its mint and the moment it records its
 * token id. Its token would match, and revoking it would kill a live lease. So reconciliation is
 * <em>postponed</em> while another {@code MINTING} entry of the same site, client and scopes,
 * whose intent is not yet stale, has a mint window overlapping this entry's. A mint is stale when
 * {@code intentAt + deadline + skew < now}. The ledger is read <em>after</em> listing the tokens:
 * a lease writes its intent before it sends the mint, so any token in the listing that belongs to
 * a lease is then visible either as that lease's token id or as a fresh {@code MINTING} entry.
 *
 * <h2>When no token is found</h2>
 * While the window is still open a late-processed request could still create the token, so the
 * entry is kept (postponed) until the window closes; then, with nothing found, it is removed:
 * the mint created nothing.
 *
 * <h2>Limits</h2>
 * <ul>
 *   <li>A token minted by something else with the same client, the same admin user and the same
 *       scopes inside the window is indistinguishable and is revoked too. Give Jenkins a
 *       <strong>dedicated OAuth client</strong> (and ideally a dedicated robot admin) so that
 *       nothing else mints in its name.</li>
 *   <li>A second Jenkins controller minting with the same client has its own ledger, invisible
 *       here: the postponement rule cannot protect its leases. Same advice.</li>
 *   <li>If the credential now authenticates as another admin than the one that minted, the
 *       token does not match and is not found; it is then left to Zendesk (delete the client, or
 *       revoke it in Admin Center).</li>
 *   <li>The window assumes the minting process used the same transport deadline as this one.</li>
 * </ul>
 * Thread-safe.
 */
public final class Reconciler implements MintSettler {
    /** Default allowance for clock differences between Jenkins and Zendesk. */
    public static final Duration DEFAULT_SKEW = Duration.ofMinutes(2);

    private final ZendeskTransport transport;
    private final LeaseLedger ledger;
    private final Clock clock;
    private final Duration skew;

    public Reconciler(ZendeskTransport transport, LeaseLedger ledger, Clock clock, Duration skew) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (skew == null || skew.isNegative()) {
            throw new IllegalArgumentException("skew must be present and not negative");
        }
        this.skew = skew;
    }

    /** A reconciler with the transport's clock and {@link #DEFAULT_SKEW}. */
    public Reconciler(ZendeskTransport transport, LeaseLedger ledger) {
        this(transport, ledger, transport.clock(), DEFAULT_SKEW);
    }

    /** The earliest creation time a token of this entry's mint can carry. */
    private Instant windowStart(LedgerEntry entry) {
        return entry.intentAt().minus(skew);
    }

    /** The latest creation time a token of this entry's mint can carry; after it the mint is stale. */
    public Instant windowEnd(LedgerEntry entry) {
        return entry.intentAt().plus(transport.policy().deadline()).plus(skew);
    }

    /** A {@code MINTING} entry whose mint cannot still be running: its process died or lost track. */
    boolean isStale(LedgerEntry entry, Instant now) {
        return entry.state() == LedgerEntry.State.MINTING && windowEnd(entry).isBefore(now);
    }

    /**
     * Finds and revokes the token(s) of an entry without token id, then removes the entry.
     *
     * @param site the entry's site, parsed by the caller (which decides which hosts it trusts)
     * @param auth admin credential of the entry's authority
     * @throws io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskException when Zendesk cannot be asked
     *         or a revocation fails; tokens revoked so far stay revoked and the entry is kept
     */
    public Outcome reconcile(LedgerEntry requested, ZendeskSite site, AdminAuth auth) {
        Optional<LedgerEntry> current = ledger.find(requested.id());
        if (current.isEmpty()) {
            return new Outcome.Settled("the entry is no longer in the ledger");
        }
        if (current.get().tokenId().isPresent()) {
            return new Outcome.Settled("the entry now names its token " + current.get().tokenId().get());
        }
        LedgerEntry entry = current.get();
        // Cheap check first, to spare Zendesk calls; repeated after listing, which is what makes it safe.
        Optional<Outcome.Postponed> busy = concurrentMint(entry, ledger.entries(), clock.instant());
        if (busy.isPresent()) {
            return busy.get();
        }
        ZendeskAdminApi admin = transport.admin(site, auth).waitingAs(Admission.background()); // builds go first
        ZendeskUser me = admin.me();
        List<IssuedTokenInfo> listed = admin.listTokens(entry.clientId());

        List<LedgerEntry> snapshot = ledger.entries();
        Instant now = clock.instant();
        busy = concurrentMint(entry, snapshot, now);
        if (busy.isPresent()) {
            return busy.get();
        }
        if (snapshot.stream().noneMatch(e -> e.id().equals(entry.id()))) {
            return new Outcome.Settled("the entry was removed meanwhile");
        }
        Set<Long> owned = new HashSet<>();
        snapshot.forEach(e -> e.tokenId().ifPresent(owned::add));
        // The broker's own control tokens (client credentials) are admin tokens in use, never orphans.
        owned.addAll(transport.controlTokens().ids());
        List<IssuedTokenInfo> matches = listed.stream().filter(t -> matches(entry, me.id(), owned, t)).toList();
        if (matches.isEmpty() && !windowEnd(entry).isBefore(now)) {
            return new Outcome.Postponed("no matching token yet, but the mint may still complete until " + windowEnd(entry),
                    windowEnd(entry));
        }
        List<Long> revoked = new ArrayList<>();
        List<Long> alreadyGone = new ArrayList<>();
        for (IssuedTokenInfo token : matches) {
            (admin.revoke(token.id()) ? revoked : alreadyGone).add(token.id());
        }
        ledger.remove(entry.id());
        return new Outcome.Reconciled(revoked, alreadyGone);
    }

    /**
     * {@link #reconcile} for a renewing block about to mint again: settled when the entry was
     * reconciled or needed nothing; otherwise the reason for the postponement.
     */
    @Override
    public Optional<String> settle(LedgerEntry entry, ZendeskSite site, AdminAuth auth) {
        return reconcile(entry, site, auth) instanceof Outcome.Postponed postponed ? Optional.of(postponed.reason()) : Optional.empty();
    }

    @Override
    public Optional<String> settle(LedgerEntry entry, ZendeskSite site, AdminAuth auth, LeaseListener events) {
        Instant start = clock.instant();
        Outcome outcome = reconcile(entry, site, auth);
        if (outcome instanceof Outcome.Reconciled done) {
            report(events, entry, site, done, Duration.between(start, clock.instant()));
        }
        return outcome instanceof Outcome.Postponed postponed ? Optional.of(postponed.reason()) : Optional.empty();
    }

    /** The audit trail of a reconciliation: one event per orphan token revoked (or found already gone). */
    static void report(LeaseListener events, LedgerEntry entry, ZendeskSite site, Outcome.Reconciled done, Duration took) {
        done.revoked().forEach(id -> events.on(new LeaseEvent.OrphanRevoked(site, id, entry.owner(), took, false, entry.id(),
                entry.authority(), TokenFacts.of(entry))));
        done.alreadyGone().forEach(id -> events.on(new LeaseEvent.OrphanRevoked(site, id, entry.owner(), took, true, entry.id(),
                entry.authority(), TokenFacts.of(entry))));
    }

    private boolean matches(LedgerEntry entry, long adminId, Set<Long> owned, IssuedTokenInfo token) {
        return token.clientId() == entry.clientId()
                && token.userId() == adminId
                && Set.copyOf(token.scopes()).equals(Set.copyOf(entry.scopes()))
                && !token.createdAt().isBefore(windowStart(entry))
                && !token.createdAt().isAfter(windowEnd(entry))
                && !owned.contains(token.id());
    }

    /** Another fresh mint whose token could match this entry's window: the reason to wait. */
    private Optional<Outcome.Postponed> concurrentMint(LedgerEntry entry, List<LedgerEntry> snapshot, Instant now) {
        return snapshot.stream()
                .filter(other -> !other.id().equals(entry.id()))
                .filter(other -> other.state() == LedgerEntry.State.MINTING && !isStale(other, now))
                .filter(other -> other.site().equals(entry.site()) && other.clientId() == entry.clientId())
                // A token with other scopes could never match, so such a mint is no reason to wait.
                .filter(other -> Set.copyOf(other.scopes()).equals(Set.copyOf(entry.scopes())))
                .filter(other -> !windowStart(other).isAfter(windowEnd(entry)) && !windowStart(entry).isAfter(windowEnd(other)))
                .map(other -> new Outcome.Postponed("a concurrent mint (entry " + other.id() + ", owner " + other.owner()
                        + ") could own a matching token; retrying once it is recorded or stale", windowEnd(other)))
                .findFirst();
    }

    /** How a reconciliation ended. */
    public sealed interface Outcome {
        /** The entry was removed after revoking every matching token (possibly none). */
        record Reconciled(List<Long> revoked, List<Long> alreadyGone) implements Outcome {
            public Reconciled {
                revoked = List.copyOf(revoked);
                alreadyGone = List.copyOf(alreadyGone);
            }
        }

        /** Nothing was revoked and the entry stays: it is not safe (or not yet useful) to decide now. */
        record Postponed(String reason, Instant retryAt) implements Outcome {
        }

        /** The entry needed no reconciliation any more (gone, or it names its token now). */
        record Settled(String reason) implements Outcome {
        }
    }
}
