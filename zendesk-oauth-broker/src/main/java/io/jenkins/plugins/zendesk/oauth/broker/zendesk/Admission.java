package io.jenkins.plugins.zendesk.oauth.broker.zendesk;

import java.time.Duration;
import java.util.Objects;

/**
 * How one call waits for its site's rate limit (see {@link RateLimiter}): its place in the queue,
 * how long it may wait, and who hears about the wait.
 *
 * @param priority       who goes first among waiting calls
 * @param maxWait        the longest this call waits for the rate limit; past it the call fails
 * @param maxWaitSetting where an administrator changes {@code maxWait}, named in the failure; empty if nowhere
 * @param observer       told when the call starts waiting
 */
public record Admission(Priority priority, Duration maxWait, String maxWaitSetting, RateLimitObserver observer) {

    /** The default longest wait of a build's call. */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofMinutes(10);
    /** The longest a block's revocation waits: the end of a block must not wait for the rate limit; the sweeper takes over. */
    public static final Duration REVOCATION_MAX_WAIT = Duration.ofSeconds(5);
    /** The longest a sweeper's call waits: it tries again on its next run. */
    static final Duration BACKGROUND_MAX_WAIT = Duration.ofMinutes(1);
    /** The observer of a call nobody watches. */
    private static final RateLimitObserver UNOBSERVED = (origin, expected, ahead) -> { };

    /** Order of service among waiting calls; within one priority, first come, first served. */
    public enum Priority {
        /** The revocation at the end of a block: it frees a token and must not delay the build. */
        REVOCATION,
        /** A build's calls: resolving the client, control tokens, the mint. */
        BUILD,
        /** The sweeper's and the reconciler's calls: builds come first. */
        BACKGROUND
    }

    public Admission {
        Objects.requireNonNull(priority, "priority");
        if (maxWait == null || maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait must be present and not negative");
        }
        maxWaitSetting = maxWaitSetting == null ? "" : maxWaitSetting;
        observer = observer == null ? UNOBSERVED : observer;
    }

    /** A build's call: waits up to {@link #DEFAULT_MAX_WAIT}, unobserved. */
    public static Admission build() {
        return new Admission(Priority.BUILD, DEFAULT_MAX_WAIT, "", UNOBSERVED);
    }

    /** A block's revocation: first in line, waits up to {@link #REVOCATION_MAX_WAIT}. */
    public static Admission revocation() {
        return new Admission(Priority.REVOCATION, REVOCATION_MAX_WAIT, "", UNOBSERVED);
    }

    /** The sweeper's calls: after every build's, waits up to {@link #BACKGROUND_MAX_WAIT}. */
    public static Admission background() {
        return new Admission(Priority.BACKGROUND, BACKGROUND_MAX_WAIT, "", UNOBSERVED);
    }

    public Admission withMaxWait(Duration wait, String setting) {
        return new Admission(priority, wait, setting, observer);
    }

    public Admission observedBy(RateLimitObserver newObserver) {
        return new Admission(priority, maxWait, maxWaitSetting, newObserver);
    }
}
