package io.jenkins.plugins.zendesk.oauth.broker.recovery;

import java.util.ArrayList;
import java.util.List;

/**
 * What one sweep did. Ids and messages only: never a token value.
 *
 * @param revoked             tokens revoked by this sweep (Zendesk answered 204)
 * @param alreadyGone         tokens Zendesk no longer knew (404): revoked earlier, e.g. by a lease that died before recording it
 * @param reconciled          uncertain or stale entries settled by {@link Reconciler} and removed
 * @param stillPending        entries that still need work: retry not due yet, or failed again now (see {@code errors})
 * @param postponed           reconciliations put off because it was not safe or not yet useful to decide
 * @param inUse               entries left alone: a LIVE token whose owner is active, a mint in flight, or an entry
 *                            another sweep is handling right now
 * @param revokedTokenIds     the ids behind {@code revoked}
 * @param alreadyGoneTokenIds the ids behind {@code alreadyGone}
 * @param errors              one line per entry that failed, naming the entry, its owner and the cause
 * @param expiredTokenIds     tokens whose Zendesk-reported expiry had passed: their entries were closed without a Zendesk call
 */
public record SweepReport(int revoked, int alreadyGone, int reconciled, int stillPending, int postponed, int inUse,
                          List<Long> revokedTokenIds, List<Long> alreadyGoneTokenIds, List<String> errors, List<Long> expiredTokenIds) {

    public SweepReport {
        revokedTokenIds = List.copyOf(revokedTokenIds);
        alreadyGoneTokenIds = List.copyOf(alreadyGoneTokenIds);
        errors = List.copyOf(errors);
        expiredTokenIds = List.copyOf(expiredTokenIds);
    }

    /** A sweep that found nothing to do: the start of a sum of reports. */
    static final SweepReport EMPTY = new SweepReport(0, 0, 0, 0, 0, 0, List.of(), List.of(), List.of(), List.of());

    /** What this sweep and {@code other} did together (e.g. an administrator's retries, then a sweep). */
    SweepReport plus(SweepReport other) {
        return new SweepReport(revoked + other.revoked, alreadyGone + other.alreadyGone, reconciled + other.reconciled,
                stillPending + other.stillPending, postponed + other.postponed, inUse + other.inUse,
                concat(revokedTokenIds, other.revokedTokenIds), concat(alreadyGoneTokenIds, other.alreadyGoneTokenIds),
                concat(errors, other.errors), concat(expiredTokenIds, other.expiredTokenIds));
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        List<T> both = new ArrayList<>(first);
        both.addAll(second);
        return both;
    }

    /** True when nothing is left for a later sweep (entries in use aside). */
    boolean isComplete() {
        return stillPending == 0 && postponed == 0 && errors.isEmpty();
    }

    @Override
    public String toString() {
        return "Zendesk token sweep: " + revoked + " revoked, " + alreadyGone + " already gone, "
                + (expiredTokenIds.isEmpty() ? "" : expiredTokenIds.size() + " expired, ") + reconciled + " reconciled, "
                + stillPending + " still pending, " + postponed + " postponed, " + inUse + " in use"
                + (revokedTokenIds.isEmpty() ? "" : "; revoked tokens " + revokedTokenIds)
                + (alreadyGoneTokenIds.isEmpty() ? "" : "; already gone " + alreadyGoneTokenIds)
                + (expiredTokenIds.isEmpty() ? "" : "; expired " + expiredTokenIds)
                + (errors.isEmpty() ? "" : "; errors: " + String.join("; ", errors));
    }

    /** Accumulates a report; not thread-safe (one per sweep call). */
    static final class Tally {
        private int reconciled;
        private int stillPending;
        private int postponed;
        private int inUse;
        private final List<Long> revokedIds = new ArrayList<>();
        private final List<Long> goneIds = new ArrayList<>();
        private final List<Long> expiredIds = new ArrayList<>();
        private final List<String> errors = new ArrayList<>();

        void revoked(long tokenId) {
            revokedIds.add(tokenId);
        }

        void alreadyGone(long tokenId) {
            goneIds.add(tokenId);
        }

        void expired(long tokenId) {
            expiredIds.add(tokenId);
        }

        void reconciled() {
            reconciled++;
        }

        void pending() {
            stillPending++;
        }

        void failed(String error) {
            stillPending++;
            errors.add(error);
        }

        void postponed() {
            postponed++;
        }

        void inUse() {
            inUse++;
        }

        void error(String error) {
            errors.add(error);
        }

        SweepReport report() {
            return new SweepReport(revokedIds.size(), goneIds.size(), reconciled, stillPending, postponed, inUse, revokedIds, goneIds,
                    errors, expiredIds);
        }
    }
}
