package io.jenkins.plugins.zendesk.oauth.broker.zendesk;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Shares each Zendesk account's rate limit among every call of the controller: builds' mints and
 * revocations, control token grants, the sweeper's calls. One queue per site (see
 * {@link SiteLimit} for the rules), shared by every transport made from the same one. Zendesk
 * counts per account, over windows of a minute, and the budget is shared with every other
 * integration of the account, so the answers' headers, not a local count, are the truth.
 * Thread-safe.
 */
final class RateLimiter {
    /** Zendesk's rate limits are per minute (developer.zendesk.com, "Rate limits"). */
    static final Duration ZENDESK_WINDOW = Duration.ofMinutes(1);

    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration window;
    private final Map<String, SiteLimit> sites = new ConcurrentHashMap<>();

    /**
     * @param sleeper waits of the first call in line (after a 429, until a window resets, pacing)
     * @param window  how long the site's rate limit window lasts
     */
    RateLimiter(Clock clock, Sleeper sleeper, Duration window) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        if (window == null || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive");
        }
        this.window = window;
    }

    RateLimiter(Clock clock, Sleeper sleeper) {
        this(clock, sleeper, ZENDESK_WINDOW);
    }

    /** The turns of one call to the site at {@code origin}. */
    SiteLimit.Waiter waiter(String origin, Admission admission) {
        return sites.computeIfAbsent(origin, o -> new SiteLimit(o, clock, sleeper, window)).waiter(admission);
    }

    /** How many calls to the site at {@code origin} wait for their turn now. */
    int waiting(String origin) {
        SiteLimit site = sites.get(origin);
        return site == null ? 0 : site.waiting();
    }
}
