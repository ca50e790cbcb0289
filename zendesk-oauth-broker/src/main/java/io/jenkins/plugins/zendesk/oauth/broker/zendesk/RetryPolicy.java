package io.jenkins.plugins.zendesk.oauth.broker.zendesk;

import java.time.Duration;

/**
 * Bounds on retrying Zendesk calls.
 *
 * @param maxAttempts     attempts per call, the first included
 * @param initialBackoff  backoff before the second attempt; doubles each time, with jitter
 * @param maxBackoff      cap on one backoff
 * @param deadline        overall time budget of one call, retries and waits included
 * @param requestTimeout  time allowed for one HTTP exchange
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration deadline,
                          Duration requestTimeout) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        for (Duration d : new Duration[] {initialBackoff, maxBackoff, deadline, requestTimeout}) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException("durations must be present and not negative");
            }
        }
        if (requestTimeout.isZero() || deadline.isZero()) {
            throw new IllegalArgumentException("requestTimeout and deadline must be positive");
        }
    }

    /** Four attempts within one minute, 30 s per exchange, backoff from 0.5 s to 8 s. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(4, Duration.ofMillis(500), Duration.ofSeconds(8), Duration.ofSeconds(60),
                Duration.ofSeconds(30));
    }

    public RetryPolicy withMaxAttempts(int attempts) {
        return new RetryPolicy(attempts, initialBackoff, maxBackoff, deadline, requestTimeout);
    }

    public RetryPolicy withRequestTimeout(Duration timeout) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, deadline, timeout);
    }

    public RetryPolicy withDeadline(Duration overall) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, overall, requestTimeout);
    }
}
