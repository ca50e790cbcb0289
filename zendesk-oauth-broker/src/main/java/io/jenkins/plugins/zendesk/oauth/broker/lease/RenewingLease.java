package io.jenkins.plugins.zendesk.oauth.broker.lease;

import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskException;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskSite;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A block's lease: the current generation of its token, renewed before Zendesk expires it;
 * closing revokes every generation.
 *
 * <p>A successor is minted once two thirds of the current token's lifetime have passed (on the
 * broker's clock), with the same scopes, client, owner and authority, through the same ledger
 * protocol as every lease (intent, mint, record), linked to the block by {@link #blockId()}. The
 * superseded generation stays valid for a grace period (a sixth of its lifetime, at most one
 * minute) so that requests in flight finish, and is then revoked. At most two tokens of a block
 * are live at any moment: a successor is minted only when every older generation is revoked or
 * certainly expired. A failed renewal is retried with capped backoff until it succeeds, also
 * after the current token expired. Thread-safe.
 */
public final class RenewingLease implements AutoCloseable {
    private static final Logger LOGGER = Logger.getLogger(RenewingLease.class.getName());

    private final TokenBroker broker;
    private final LeaseRequest request;
    private final long clientId;
    private final String blockId;
    private final RenewalListener listener;
    private final RenewalScheduler scheduler;
    private final Clock clock;

    /** Held by whatever changes the generations (a renewal, a retirement, the end), so they never overlap. */
    private final ReentrantLock work = new ReentrantLock();
    private volatile TokenGeneration current;
    /** Guarded by {@link #work}; null when the current token has no expiry. */
    private RenewalTiming timing;
    /** Guarded by {@link #work}: older generations not yet confirmed revoked, oldest first. */
    private final List<Superseded> superseded = new ArrayList<>();
    /** Guarded by {@link #work}: renewal attempts failed in a row. */
    private int failures;
    private volatile RenewalScheduler.Cancellable nextRenewal;
    private volatile RenewalScheduler.Cancellable nextRetirement;

    private volatile boolean ending;
    private final AtomicBoolean endStarted = new AtomicBoolean();
    private final CompletableFuture<List<RevocationOutcome>> ended = new CompletableFuture<>();

    /**
     * @param first     the generation just minted; {@code returned}: when its mint came back (broker's clock)
     * @param inherited older generations of the block still to retire (after a resume)
     */
    RenewingLease(TokenBroker broker, LeaseRequest request, long clientId, String blockId, TokenGeneration first, Instant returned,
                  List<Superseded> inherited, RenewalListener listener, RenewalScheduler scheduler) {
        this.broker = broker;
        this.request = request;
        this.clientId = clientId;
        this.blockId = blockId;
        this.listener = listener;
        this.scheduler = scheduler;
        this.clock = broker.transport().clock();
        this.current = first;
        this.timing = RenewalTiming.of(first, returned).orElse(null);
        this.superseded.addAll(inherited);
    }

    /** Schedules the first renewal and the retirement of inherited generations. */
    RenewingLease start() {
        work.lock();
        try {
            superseded.stream().map(s -> s.retireAt).min(Instant::compareTo).ifPresent(this::scheduleRetirement);
            scheduleRenewal();
        } finally {
            work.unlock();
        }
        return this;
    }

    /** Links the block's generations in the ledger; what a host keeps to {@link TokenBroker#resume} after a restart. */
    public String blockId() {
        return blockId;
    }

    public ZendeskSite site() {
        return request.site();
    }

    /** The generation to use now; changes at each renewal. */
    public TokenGeneration current() {
        return current;
    }

    /** False when Zendesk reported no expiry: nothing is renewed. */
    public boolean renews() {
        return current.token().expiresAt().isPresent();
    }

    /**
     * Stops renewal and revokes every live generation once (the current one, one in its grace
     * period, and a successor whose mint is in flight, after that mint ends). Idempotent and
     * thread-safe: concurrent and later calls wait for and share the outcome. Runs to the end on
     * an interrupted thread (an aborted build), restoring the interrupt status. Never throws for
     * Zendesk failures: a token that could not be revoked stays {@code REVOKE_PENDING} in the
     * ledger for the sweeper, and its outcome says so.
     *
     * @return one outcome per generation revoked by this lease's end, oldest first
     */
    public List<RevocationOutcome> revokeAll() {
        if (endStarted.compareAndSet(false, true)) {
            ending = true; // a renewal in flight sees it when its mint ends, and leaves its token to us
            cancel(nextRenewal);
            cancel(nextRetirement);
            work.lock(); // uninterruptible: waits for a renewal or retirement in flight
            try {
                List<RevocationOutcome> outcomes = new ArrayList<>();
                for (Superseded old : superseded) {
                    outcomes.add(retire(old));
                }
                superseded.clear();
                TokenGeneration last = current;
                outcomes.add(broker.revoke(request.site(), request.auth(), last.token().id(), last.entryId(), request.owner()));
                ended.complete(List.copyOf(outcomes));
            } catch (RuntimeException | Error unexpected) {
                ended.completeExceptionally(unexpected);
                throw unexpected;
            } finally {
                work.unlock();
            }
        }
        return ended.join();
    }

    /** {@link #revokeAll()}. */
    @Override
    public void close() {
        revokeAll();
    }

    @Override
    public String toString() {
        return "RenewingLease[block=" + blockId + ", " + current + ", site=" + request.site() + ", owner=" + request.owner() + "]";
    }

    // ---------------------------------------------------------------- on the scheduler's thread

    private void renew() {
        work.lock();
        try {
            if (ending || timing == null) {
                return;
            }
            TokenGeneration previous = current;
            TokenGeneration next;
            try {
                String blocked = clearForSuccessor(clock.instant());
                if (blocked != null) {
                    retryLater(blocked);
                    return;
                }
                next = broker.mintRecorded(request, clientId, blockId, previous.number() + 1);
            } catch (RuntimeException failure) {
                retryLater(describe(failure)); // never into the scheduler, where it would end the renewals silently
                return;
            }
            Instant returned = clock.instant();
            failures = 0;
            Duration grace = timing.grace();
            superseded.add(new Superseded(previous, timing.certainlyExpiredAt(), returned.plus(grace)));
            current = next;
            timing = RenewalTiming.of(next, returned).orElse(null);
            broker.notifyRenewed(request, clientId, blockId, previous.token().id(), next); // the audit trail names every token
            if (ending) {
                return; // the lease is ending and waits for us: it revokes both
            }
            scheduleRetirement(returned.plus(grace));
            scheduleRenewal();
            tell(() -> listener.renewed(previous, next));
        } finally {
            work.unlock();
        }
    }

    /** Revokes the superseded generations whose grace period is over. */
    private void retireDue() {
        work.lock();
        try {
            if (ending) {
                return;
            }
            Instant now = clock.instant();
            superseded.removeIf(old -> !old.retireAt.isAfter(now) && !old.failed && retire(old).revoked());
        } finally {
            work.unlock();
        }
    }

    /**
     * Before a successor is minted: revokes every older generation (ending a grace period early
     * if one is still running) or retries one whose revocation failed, and settles the block's
     * mints whose outcome is unknown, so that at most two tokens of the block are ever live.
     *
     * @return why a successor cannot be minted yet (an older token may still be live), or null
     */
    private String clearForSuccessor(Instant now) {
        superseded.removeIf(old -> broker.ledger().find(old.entryId).isEmpty() // the sweeper revoked it
                || retire(old).revoked()
                || (old.certainlyExpiredAt != null && !now.isBefore(old.certainlyExpiredAt))); // its entry waits for the sweeper
        if (!superseded.isEmpty()) {
            return "generation " + superseded.get(0).number + " (token id " + superseded.get(0).tokenId
                    + ") is not revoked yet; no successor is minted while two tokens may be live";
        }
        for (LedgerEntry unknown : BlockEntries.of(broker.ledger(), request.site(), blockId, request.owner())) {
            if (unknown.tokenId().isEmpty()) {
                Optional<String> pending;
                try {
                    pending = broker.settler().settle(unknown, request.site(), request.auth());
                } catch (RuntimeException failure) {
                    pending = Optional.of(describe(failure));
                }
                if (pending.isPresent()) {
                    return "a renewal whose outcome is unknown may have left a token (entry " + unknown.id() + "): " + pending.get();
                }
            }
        }
        return null;
    }

    private RevocationOutcome retire(Superseded old) {
        RevocationOutcome outcome = broker.revokeSuperseded(request.site(), request.auth(), old.tokenId, old.entryId, request.owner());
        old.failed = !outcome.revoked();
        if (old.generation != null) {
            tell(() -> listener.retired(old.generation, outcome));
        }
        return outcome;
    }

    private void retryLater(String error) {
        failures++;
        Duration wait = timing.backoff(failures);
        Instant at = clock.instant().plus(wait);
        nextRenewal = schedule(this::renew, wait);
        TokenGeneration now = current;
        tell(() -> listener.renewalFailed(now, error, at));
    }

    private void scheduleRenewal() {
        if (timing != null) {
            nextRenewal = schedule(this::renew, Duration.between(clock.instant(), timing.renewAt()));
        }
    }

    private void scheduleRetirement(Instant at) {
        nextRetirement = schedule(this::retireDue, Duration.between(clock.instant(), at));
    }

    private RenewalScheduler.Cancellable schedule(Runnable task, Duration delay) {
        try {
            return scheduler.schedule(task, delay);
        } catch (RuntimeException rejected) {
            // The host is shutting down: the block resumes (and renews) after the restart, or ends and revokes.
            LOGGER.log(Level.WARNING, "could not schedule the renewal work of block " + blockId, rejected);
            return () -> { };
        }
    }

    private static void cancel(RenewalScheduler.Cancellable task) {
        if (task != null) {
            task.cancel();
        }
    }

    private void tell(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "renewal listener of block " + blockId + " failed", e);
        }
    }

    /** A failure's message without secrets: the broker's own exceptions never carry one; others show their type only. */
    static String describe(RuntimeException failure) {
        return failure instanceof ZendeskException ? failure.getMessage() : failure.getClass().getSimpleName();
    }

    /** An older generation of the block, live until revoked or certainly expired. */
    static final class Superseded {
        final int number;
        final String entryId;
        final long tokenId;
        /** Null for a generation minted before a restart: its value is gone. */
        final TokenGeneration generation;
        /** Null when the token has no expiry. */
        final Instant certainlyExpiredAt;
        final Instant retireAt;
        boolean failed;

        Superseded(TokenGeneration generation, Instant certainlyExpiredAt, Instant retireAt) {
            this(generation.number(), generation.entryId(), generation.token().id(), generation, certainlyExpiredAt, retireAt);
        }

        Superseded(int number, String entryId, long tokenId, TokenGeneration generation, Instant certainlyExpiredAt, Instant retireAt) {
            this.number = number;
            this.entryId = entryId;
            this.tokenId = tokenId;
            this.generation = generation;
            this.certainlyExpiredAt = certainlyExpiredAt;
            this.retireAt = retireAt;
        }
    }
}
