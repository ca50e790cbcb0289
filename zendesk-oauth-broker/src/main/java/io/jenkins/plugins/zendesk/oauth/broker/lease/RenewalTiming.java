package io.jenkins.plugins.zendesk.oauth.broker.lease;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a generation is renewed and retired, and how a failed renewal backs off, all derived from
 * the token's lifetime so that one rule fits every lifetime Zendesk allows (5 minutes to 48 hours;
 * tests use 1 minute). Times are on the broker's clock: the lifetime is Zendesk's
 * {@code expires_at - created_at}, counted from when the mint request left, so that a clock
 * difference between Jenkins and Zendesk does not matter.
 *
 * @param mintStart when the mint request left (broker's clock)
 * @param mintTook  how long the mint took
 * @param lifetime  Zendesk's {@code expires_at - created_at}, at least {@link #MIN_LIFETIME}
 */
record RenewalTiming(Instant mintStart, Duration mintTook, Duration lifetime) {
    /** Below this a token would be renewed in a tight loop; Zendesk's shortest lifetime is 5 minutes. */
    static final Duration MIN_LIFETIME = Duration.ofSeconds(10);
    static final Duration MAX_GRACE = Duration.ofSeconds(60);
    static final Duration MAX_FIRST_RETRY = Duration.ofSeconds(30);
    static final Duration MIN_FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration MAX_RETRY = Duration.ofMinutes(5);

    /** The timing of a freshly minted generation; empty when Zendesk reported no expiry. */
    static Optional<RenewalTiming> of(TokenGeneration generation, Instant mintReturned) {
        return generation.token().expiresAt().map(expiresAt -> {
            Duration lifetime = Duration.between(generation.token().createdAt(), expiresAt);
            if (lifetime.compareTo(MIN_LIFETIME) < 0) {
                lifetime = MIN_LIFETIME;
            }
            return new RenewalTiming(mintReturned.minus(generation.mintTook()), generation.mintTook(), lifetime);
        });
    }

    /** Two thirds into the lifetime: a process that re-reads the token never holds one about to expire. */
    Instant renewAt() {
        return mintStart.plus(lifetime.multipliedBy(2).dividedBy(3));
    }

    /** How long a superseded generation stays valid for requests in flight: a sixth of the lifetime, at most a minute. */
    Duration grace() {
        Duration sixth = lifetime.dividedBy(6);
        return sixth.compareTo(MAX_GRACE) < 0 ? sixth : MAX_GRACE;
    }

    /**
     * From when Zendesk has certainly expired the token, whatever the clock difference: it was
     * created at the latest when the mint answer came back.
     */
    Instant certainlyExpiredAt() {
        return mintStart.plus(mintTook).plus(lifetime);
    }

    /**
     * The pause before renewal attempt {@code failures + 1}: a twentieth of the lifetime (1 to 30
     * seconds), doubling up to a sixth of the lifetime (at most 5 minutes).
     */
    Duration backoff(int failures) {
        Duration first = clamp(lifetime.dividedBy(20), MIN_FIRST_RETRY, MAX_FIRST_RETRY);
        Duration cap = clamp(lifetime.dividedBy(6), first, MAX_RETRY);
        Duration wait = first.multipliedBy(1L << Math.min(Math.max(failures - 1, 0), 20));
        return wait.compareTo(cap) > 0 ? cap : wait;
    }

    private static Duration clamp(Duration d, Duration min, Duration max) {
        return d.compareTo(min) < 0 ? min : d.compareTo(max) > 0 ? max : d;
    }
}
