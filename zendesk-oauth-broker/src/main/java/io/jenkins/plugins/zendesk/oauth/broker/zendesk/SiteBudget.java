package io.jenkins.plugins.zendesk.oauth.broker.zendesk;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What one site's answers say about its rate limit, and what follows for the first call in line
 * (see {@link SiteLimit}). Not thread-safe: {@link SiteLimit} guards it with its lock.
 */
final class SiteBudget {
    /** Not known: one call probes at a time. */
    private static final int UNKNOWN = -1;
    /** The site reports no limit: nothing to count. */
    private static final int UNLIMITED = Integer.MAX_VALUE / 2;
    /** The longest pause after a 429 without {@code Retry-After}: Zendesk's windows are a minute. */
    private static final Duration MAX_GUESS = Duration.ofSeconds(60);

    private final Duration window;
    private int limit = UNKNOWN;
    private int remaining = UNKNOWN;
    private boolean reporting;
    private Instant resetAt;
    private Instant blockedUntil;
    private int inFlight;
    private Instant lastGrant = Instant.EPOCH;
    private int refusals;
    /** Grants so far, and the grant whose answer last set {@link #remaining}: an older answer may only lower it. */
    private long grants;
    private long reportedBy = -1;
    /** The first grant of the current window: answers to earlier grants speak of a window that is over. */
    private long windowGrant;

    SiteBudget(Duration window) {
        this.window = window;
    }

    /** A call goes now; returns its number, by which its answer is known. */
    long grant(Instant now) {
        inFlight++;
        lastGrant = now;
        return grants++;
    }

    /** The answer to grant number {@code grant} came. */
    void answered(int status, RateLimitHeaders headers, Optional<Duration> retryAfter, Instant now, long grant) {
        inFlight--;
        record(status, headers, retryAfter, now, grant);
    }

    /** A call got no answer (connection failed, timeout): it may have counted, so count it. */
    void unanswered() {
        inFlight--;
        if (remaining > 0 && remaining != UNLIMITED) {
            remaining--;
        }
    }

    /**
     * What the first in line may do now: {@link Duration#ZERO} to go, a pause to sleep, or null to
     * wait for an answer in flight. Called under the lock.
     */
    Duration decide(Instant now) {
        if (blockedUntil != null) {
            if (now.isBefore(blockedUntil)) {
                return Duration.between(now, blockedUntil);
            }
            // Retry-After has passed: one call probes; its answer says how many may follow.
            resetAt = blockedUntil.plus(window);
            blockedUntil = null;
            remaining = UNKNOWN;
            windowGrant = grants;
        }
        if (resetAt != null && !now.isBefore(resetAt)) {
            // The window has reset; Zendesk's windows follow each other, a minute long.
            long behind = Duration.between(resetAt, now).toNanos() / window.toNanos() + 1;
            resetAt = resetAt.plus(window.multipliedBy(behind));
            if (remaining != UNLIMITED && remaining - inFlight <= 0) {
                remaining = UNKNOWN;
            }
            windowGrant = grants;
        }
        if (remaining == UNKNOWN) {
            return inFlight == 0 ? Duration.ZERO : null;
        }
        int available = remaining - inFlight;
        if (available <= 0) {
            if (resetAt != null) {
                return Duration.between(now, resetAt);
            }
            return inFlight == 0 ? Duration.ZERO : null; // alone, a call finds out: Zendesk's 429 says how long
        }
        if (limit > 0 && available <= Math.max(1, limit / 10)) {
            // Near the limit: spread what is left over the rest of the window instead of running into it.
            Duration spacing = resetAt != null ? Duration.between(now, resetAt).dividedBy(available + 1L) : window.dividedBy(limit);
            Instant next = lastGrant.plus(spacing);
            if (now.isBefore(next)) {
                return Duration.between(now, next);
            }
        }
        return Duration.ZERO;
    }

    private void record(int status, RateLimitHeaders headers, Optional<Duration> retryAfter, Instant now, long grant) {
        if (headers.limit().isPresent()) {
            limit = headers.limit().getAsInt();
        }
        if (grant < windowGrant) {
            return; // sent in a window that has reset since: neither its budget nor its 429 says anything about this one
        }
        if (status == 429) {
            reporting |= headers.reported();
            Duration wait = retryAfter.orElseGet(() -> guess(now));
            Instant until = now.plus(wait);
            if (blockedUntil == null || until.isAfter(blockedUntil)) {
                blockedUntil = until;
            }
            resetAt = blockedUntil;
            remaining = 0;
            return;
        }
        refusals = 0;
        if (headers.reported()) {
            reporting = true;
            int reported = headers.remaining().getAsInt();
            // Answers overtake each other: one sent earlier says more is left than a later one did.
            if (remaining == UNKNOWN || remaining == UNLIMITED || grant > reportedBy || reported < remaining) {
                remaining = reported;
                reportedBy = Math.max(reportedBy, grant);
            }
            headers.reset().ifPresent(r -> resetAt = now.plus(r));
        } else if (!reporting) {
            remaining = UNLIMITED;
        } else if (remaining > 0 && remaining != UNLIMITED) {
            remaining--;
        }
    }

    /** A 429 without {@code Retry-After}: the known reset, else 1 s doubling up to a minute. */
    private Duration guess(Instant now) {
        if (resetAt != null && resetAt.isAfter(now)) {
            return Duration.between(now, resetAt);
        }
        Duration wait = Duration.ofSeconds(1L << Math.min(refusals++, 6));
        return wait.compareTo(MAX_GUESS) > 0 ? MAX_GUESS : wait;
    }

    /** About how long a call waits that is {@code wait} from its turn: the head's pause plus the windows the calls ahead need. */
    Duration expected(Instant now, Duration wait, int ahead) {
        Instant from = now;
        if (wait != null) {
            from = now.plus(wait);
        } else if (blockedUntil != null && blockedUntil.isAfter(now)) {
            from = blockedUntil;
        } else if (resetAt != null && resetAt.isAfter(now) && remaining != UNKNOWN && remaining - inFlight <= 0) {
            from = resetAt;
        }
        if (limit > 0 && ahead >= limit) {
            from = from.plus(window.multipliedBy(ahead / limit));
        }
        return Duration.between(now, from);
    }

    String describeLimit() {
        String per = window.equals(Duration.ofMinutes(1)) ? "a minute" : "per " + Backoff.human(window);
        return limit > 0 ? " (" + limit + " requests " + per + " for the whole account, other integrations included)" : "";
    }
}
