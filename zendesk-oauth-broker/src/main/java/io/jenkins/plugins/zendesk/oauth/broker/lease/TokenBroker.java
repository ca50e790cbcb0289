package io.jenkins.plugins.zendesk.oauth.broker.lease;

import io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LeaseLedger;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import io.jenkins.plugins.zendesk.oauth.broker.value.OAuthClientRef;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskInputException;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskSite;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.Admission;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.MintOutcomeUnknownException;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.MintedToken;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.ZendeskTransport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Mints one token per lease and guarantees that each is either revoked or left in the ledger for
 * the sweeper. Thread-safe; one instance serves the whole Jenkins controller. Tokens are never
 * shared between leases.
 */
public final class TokenBroker {
    private static final Logger LOGGER = Logger.getLogger(TokenBroker.class.getName());
    /** How the ledger (and the outstanding tokens page) says why a revocation is pending because of the rate limit. */
    public static final String RATE_LIMIT_PENDING = "waiting for Zendesk's rate limit";

    private final ZendeskTransport transport;
    private final LeaseLedger ledger;
    private final LeaseListener listener;
    /** Null for a broker that never renews. */
    private final RenewalScheduler scheduler;
    private final MintSettler settler;
    private final Revocations revocations;
    private final RecordedMints mints;
    /** Client identifier to numeric id, per site: the List Clients walk happens once. */
    private final Map<String, Long> clientIds = new ConcurrentHashMap<>();

    /**
     * A broker that also renews ({@link #leaseRenewing}): its timed work runs on {@code scheduler},
     * its times are the transport's clock.
     */
    public TokenBroker(ZendeskTransport transport, LeaseLedger ledger, LeaseListener listener, RenewalScheduler scheduler) {
        this(transport, ledger, listener, scheduler, MintSettler.bySweeper(ledger));
    }

    /**
     * As {@link #TokenBroker(ZendeskTransport, LeaseLedger, LeaseListener, RenewalScheduler)}; a
     * renewal whose outcome was unknown is settled by {@code settler} (e.g. a
     * {@code recovery.Reconciler} on the same transport and ledger) before the block mints again,
     * rather than waiting for the sweeper.
     */
    public TokenBroker(ZendeskTransport transport, LeaseLedger ledger, LeaseListener listener, RenewalScheduler scheduler,
                       MintSettler settler) {
        this.transport = transport;
        this.ledger = ledger;
        this.listener = listener;
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.settler = Objects.requireNonNull(settler, "settler");
        this.revocations = new Revocations(transport, ledger, this::notify);
        this.mints = new RecordedMints(transport, ledger, revocations);
        transport.controlTokens().observe(new ControlTokenEvents(this::notify));
    }

    /** A broker for non-renewing leases only: {@link #leaseRenewing} and {@link #resume} fail. */
    public TokenBroker(ZendeskTransport transport, LeaseLedger ledger, LeaseListener listener) {
        this.transport = transport;
        this.ledger = ledger;
        this.listener = listener;
        this.scheduler = null;
        this.settler = MintSettler.bySweeper(ledger);
        this.revocations = new Revocations(transport, ledger, this::notify);
        this.mints = new RecordedMints(transport, ledger, revocations);
        transport.controlTokens().observe(new ControlTokenEvents(this::notify));
    }

    public ZendeskTransport transport() {
        return transport;
    }

    public LeaseLedger ledger() {
        return ledger;
    }

    /** Where the sweeper reports the tokens it closes or reconciles: the broker's listener, failures contained. */
    public LeaseListener events() {
        return this::notify;
    }

    /** The settler, reporting the orphans it revokes to this broker's listener. */
    MintSettler settler() {
        return (entry, site, auth) -> settler.settle(entry, site, auth, this::notify);
    }

    /** The numeric id of the request's client, resolved once per site and identifier. */
    public long clientId(ZendeskSite site, AdminAuth auth, OAuthClientRef client) {
        return clientId(site, auth, client, Admission.build());
    }

    private long clientId(ZendeskSite site, AdminAuth auth, OAuthClientRef client, Admission admission) {
        if (client instanceof OAuthClientRef.ById byId) {
            return byId.id();
        }
        String key = site + " " + ((OAuthClientRef.ByIdentifier) client).identifier();
        Long cached = clientIds.get(key);
        if (cached != null) {
            return cached;
        }
        long id = transport.admin(site, auth).waitingAs(admission).resolveClientId(client);
        clientIds.put(key, id);
        return id;
    }

    /**
     * Validates the request, records the intent, mints and returns the lease. On failure nothing
     * is left live: a definite failure removes the intent, an unknown outcome leaves it for
     * reconciliation.
     *
     * @throws ZendeskInputException before any HTTP call when the request is invalid
     * @throws MintOutcomeUnknownException when a token may exist; the ledger keeps the intent
     */
    public TokenLease lease(LeaseRequest request) {
        return lease(request, Admission.build(), LeaseObserver.none());
    }

    /**
     * Like {@link #lease(LeaseRequest)}; its calls wait for the site's rate limit as {@code admission}
     * says, and a mint whose outcome is unknown is tried once more (see {@link MintRetry}), which
     * {@code observer} hears about.
     *
     * @throws MintOutcomeUnknownException when the outcome of a mint is unknown and its retry did not succeed; the ledger keeps the intents
     */
    public TokenLease lease(LeaseRequest request, Admission admission, LeaseObserver observer) {
        request.validate();
        long clientId = clientId(request.site(), request.auth(), request.client(), admission);
        TokenGeneration first = MintRetry.once(() -> mintRecorded(request, clientId, null, 1, admission), observer);
        notifyMinted(request, clientId, first);
        return new TokenLease(this, request.site(), request.auth(), request.owner(), first.entryId(), first.token(), first.mintTook());
    }

    /**
     * The ledger protocol of every mint: records the intent, mints, records the token. On failure
     * nothing is left live: a definite failure removes the intent, an unknown outcome leaves it
     * for reconciliation, a token that cannot be recorded is revoked.
     *
     * @param blockId the block a renewal belongs to; null for a block's first token (its entry id becomes the block id)
     */
    TokenGeneration mintRecorded(LeaseRequest request, long clientId, String blockId, int generation) {
        return mintRecorded(request, clientId, blockId, generation, Admission.build());
    }

    /** As {@link #mintRecorded(LeaseRequest, long, String, int)}; the mint waits for the rate limit as {@code admission} says. */
    TokenGeneration mintRecorded(LeaseRequest request, long clientId, String blockId, int generation, Admission admission) {
        return mints.mint(request, clientId, blockId, generation, admission);
    }

    void notifyMinted(LeaseRequest request, long clientId, TokenGeneration generation) {
        MintedToken token = generation.token();
        notify(new LeaseEvent.Minted(request.site(), token.id(), clientId, token.scopes(), token.expiresAt(), request.owner(),
                generation.mintTook(), generation.entryId(), request.authority()));
    }

    void notifyRenewed(LeaseRequest request, long clientId, String blockId, long previousTokenId, TokenGeneration next) {
        MintedToken token = next.token();
        notify(new LeaseEvent.Renewed(request.site(), token.id(), previousTokenId, blockId, next.number(), clientId, token.scopes(),
                token.expiresAt(), request.owner(), next.mintTook(), next.entryId(), request.authority()));
    }

    /**
     * Like {@link #lease(LeaseRequest)} (same checks and ledger protocol), for a block that needs
     * its token renewed: mints generation 1 synchronously and, when Zendesk reports an expiry,
     * renews it on this broker's scheduler until the lease is closed.
     *
     * @param listener told about renewals, on the scheduler's thread
     * @throws ZendeskInputException before any HTTP call when the request is invalid
     * @throws MintOutcomeUnknownException when a token may exist; the ledger keeps the intent
     */
    public RenewingLease leaseRenewing(LeaseRequest request, RenewalListener listener) {
        return leaseRenewing(request, listener, Admission.build(), LeaseObserver.none());
    }

    /**
     * Like {@link #leaseRenewing(LeaseRequest, RenewalListener)}; the first mint waits for the rate
     * limit as {@code admission} says and is tried once more after an unknown outcome, which
     * {@code observer} hears about (see {@link #lease(LeaseRequest, Admission, LeaseObserver)}).
     */
    public RenewingLease leaseRenewing(LeaseRequest request, RenewalListener listener, Admission admission, LeaseObserver observer) {
        RenewalScheduler renewals = requireScheduler();
        request.validate();
        long clientId = clientId(request.site(), request.auth(), request.client(), admission);
        TokenGeneration first = MintRetry.once(() -> mintRecorded(request, clientId, null, 1, admission), observer);
        Instant returned = transport.clock().instant();
        notifyMinted(request, clientId, first);
        return new RenewingLease(this, request, clientId, first.entryId(), first, returned, List.of(), listener, renewals).start();
    }

    /**
     * Continues a block after a controller restart, when the old generations' values are gone:
     * mints a new generation linked to {@code blockId} (same checks and ledger protocol as
     * {@link #lease}), and retires the block's older {@code LIVE} generations found in the ledger:
     * the newest after the grace period, so that a process still using it finishes; any older one
     * before the mint, so that at most two are live. Entries whose mint outcome is unknown (a
     * renewal cut short by the restart) are reconciled first if the settler can decide now, else
     * before the next renewal.
     *
     * @param blockId {@link RenewingLease#blockId()} of the lease being resumed; its entries must
     *                belong to the request's site and owner
     * @throws ZendeskInputException when the block belongs to another site or owner
     */
    public RenewingLease resume(LeaseRequest request, String blockId, RenewalListener listener) {
        RenewalScheduler renewals = requireScheduler();
        request.validate();
        return Resumption.resume(this, request, blockId, listener, renewals);
    }

    /**
     * Revokes every ledger entry of a block that names its token: for when no {@link RenewingLease}
     * of it is in memory (e.g. the block ends after a failed {@link #resume}). Never throws for
     * Zendesk failures: the entries stay {@code REVOKE_PENDING} for the sweeper. Entries whose
     * mint outcome is unknown are left to reconciliation, as for any lease.
     *
     * @return one outcome per token, oldest generation first
     * @throws ZendeskInputException when the block belongs to another site or owner
     */
    public List<RevocationOutcome> revokeBlock(ZendeskSite site, AdminAuth auth, String blockId, String owner) {
        List<RevocationOutcome> outcomes = new ArrayList<>();
        for (LedgerEntry entry : BlockEntries.of(ledger, site, blockId, owner)) {
            entry.tokenId().ifPresent(tokenId -> outcomes.add(revoke(site, auth, tokenId, entry.id(), owner)));
        }
        return outcomes;
    }

    private RenewalScheduler requireScheduler() {
        if (scheduler == null) {
            throw new IllegalStateException("this token broker was built without a renewal scheduler");
        }
        return scheduler;
    }

    /**
     * Revokes a token by id and settles its ledger entry. Never throws for Zendesk failures: the
     * entry then stays {@code REVOKE_PENDING} for the sweeper and the outcome carries the error.
     * Used by leases, by hosts that revoke after a restart (when only the ids survived), and by
     * the sweeper.
     */
    public RevocationOutcome revoke(ZendeskSite site, AdminAuth auth, long tokenId, String entryId, String owner) {
        // At the end of a block: the removal after a confirmed revocation need not delay the build, nor
        // may the rate limit (first in line, a few seconds at most; then the sweeper takes over).
        return Uninterrupted.run(() -> revocations.revoke(site, auth, tokenId, entryId, owner, transport.policy().initialBackoff(), false,
                Admission.revocation(), LeaseEvent.EndedBy.BLOCK_END));
    }

    /** A block's own revocation of a token its renewal superseded: as at block end, and the audit trail says why. */
    RevocationOutcome revokeSuperseded(ZendeskSite site, AdminAuth auth, long tokenId, String entryId, String owner) {
        return Uninterrupted.run(() -> revocations.revoke(site, auth, tokenId, entryId, owner, transport.policy().initialBackoff(), false,
                Admission.revocation(), LeaseEvent.EndedBy.RENEWAL));
    }

    /**
     * The sweeper's revocation, saying for the audit trail who ended the token (the sweeper itself,
     * or an admin); a failure is retried after {@code retryAfterFailure} (the sweeper backs off per
     * entry). The removal is durable when this returns: the sweeper's report counts what the
     * ledger no longer holds.
     */
    public RevocationOutcome revoke(ZendeskSite site, AdminAuth auth, long tokenId, String entryId, String owner,
                                    Duration retryAfterFailure, LeaseEvent.EndedBy endedBy) {
        // Revocation is cleanup: it must also run when the build was aborted (the thread is interrupted).
        return Uninterrupted.run(() -> revocations.revoke(site, auth, tokenId, entryId, owner, retryAfterFailure, true, Admission.background(), endedBy));
    }

    /**
     * Leaves a token to the sweeper when its revocation cannot even be tried (e.g. its admin
     * credential is unusable where the block ended): its entry becomes {@code REVOKE_PENDING},
     * due now, with {@code why} for the outstanding tokens page.
     */
    public void leaveToSweeper(String entryId, String why) {
        ledger.recordFailure(entryId, LedgerEntry.State.REVOKE_PENDING, why, transport.clock().instant());
    }

    private void notify(LeaseEvent event) {
        try {
            listener.on(event);
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "lease listener failed on " + event.getClass().getSimpleName(), e);
        }
    }
}
