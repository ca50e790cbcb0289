package io.jenkins.plugins.zendesk.oauth.broker.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Zendesk's account-wide rate limit. Source: developer.zendesk.com, "Rate limits" (API reference
 * introduction) and "Best practices for avoiding rate limiting": each account may make a number of
 * requests per minute (200 to 2,500 by plan), whatever the credential and shared with every other
 * integration; every answer carries {@code X-Rate-Limit} and {@code X-Rate-Limit-Remaining} "for the
 * current minute"; list endpoints also carry {@code ratelimit-limit}, {@code ratelimit-remaining} and
 * {@code ratelimit-reset} (seconds until the window resets); past the limit Zendesk answers
 * {@code 429} with {@code Retry-After} (seconds) and does not process the request. The docs do not say
 * whether the minute is fixed or rolling; a {@code ratelimit-reset} that counts down means fixed
 * windows, which this emulates: windows of {@code window} follow each other from when the limit was
 * set, on the emulator's clock. Thread-safe.
 */
final class RateLimit {
    /** The list endpoints, which also carry the {@code ratelimit-*} headers. */
    private static final Pattern LIST = Pattern.compile("/api/v2/oauth/(tokens|clients)(\\.json)?");

    private final int limit;
    private final Duration window;
    private final Supplier<Instant> clock;
    private final Instant origin;
    private long currentWindow = -1;
    private int used;
    private int refused;

    RateLimit(int limit, Duration window, Supplier<Instant> clock) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        if (Objects.requireNonNull(window, "window").compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("window must be at least 1 s (Retry-After counts seconds): " + window);
        }
        this.limit = limit;
        this.window = window;
        this.clock = clock;
        this.origin = clock.get();
    }

    /**
     * What happens to one request.
     *
     * @param allowed whether it is processed
     * @param headers what its answer carries
     */
    record Verdict(boolean allowed, Map<String, String> headers) {
    }

    /** Counts a request and says whether it may be processed. */
    synchronized Verdict admit(String method, String path) {
        Instant now = clock.get();
        Instant reset = roll(now);
        long resetSeconds = Math.max(1, (Duration.between(now, reset).toMillis() + 999) / 1000);
        boolean allowed = used < limit;
        if (allowed) {
            used++;
        } else {
            refused++;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Rate-Limit", Integer.toString(limit));
        headers.put("X-Rate-Limit-Remaining", Integer.toString(limit - used));
        if (!allowed) {
            headers.put("Retry-After", Long.toString(resetSeconds));
        } else if ("GET".equalsIgnoreCase(method) && LIST.matcher(path).matches()) {
            headers.put("ratelimit-limit", Integer.toString(limit));
            headers.put("ratelimit-remaining", Integer.toString(limit - used));
            headers.put("ratelimit-reset", Long.toString(resetSeconds));
        }
        return new Verdict(allowed, headers);
    }

    /** Uses up {@code requests} of the current window, as other integrations of the account would. */
    synchronized void consume(int requests) {
        roll(clock.get());
        used = (int) Math.min(limit, (long) used + requests);
    }

    /** Starts a new window if the current one is over; returns when the current one ends. */
    private Instant roll(Instant now) {
        long index = Duration.between(origin, now).toNanos() / window.toNanos();
        if (index != currentWindow) {
            currentWindow = index;
            used = 0;
        }
        return origin.plus(window.multipliedBy(index + 1));
    }

    /** The 429 answers given so far. */
    synchronized int refused() {
        return refused;
    }

    /** When the current window ends. */
    synchronized Instant windowEnd() {
        return roll(clock.get());
    }
}
