package io.jenkins.plugins.zendesk.oauth.broker.zendesk;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What an answer says about the account's rate limit. Zendesk sends {@code X-Rate-Limit} and
 * {@code X-Rate-Limit-Remaining} (requests per minute, shared by the whole account) on every
 * answer; list endpoints add {@code ratelimit-limit}, {@code ratelimit-remaining} and
 * {@code ratelimit-reset} (seconds until the window resets). Values that are not small
 * non-negative integers are ignored.
 */
record RateLimitHeaders(OptionalInt limit, OptionalInt remaining, Optional<Duration> reset) {

    /** Longest header value read: a count or a number of seconds. */
    private static final int MAX_DIGITS = 9;

    static RateLimitHeaders of(HttpHeaders headers) {
        OptionalInt limit = first(number(headers, "X-Rate-Limit"), number(headers, "ratelimit-limit"));
        OptionalInt remaining = min(number(headers, "X-Rate-Limit-Remaining"), number(headers, "ratelimit-remaining"));
        OptionalInt reset = number(headers, "ratelimit-reset");
        return new RateLimitHeaders(limit, remaining, reset.isPresent() ? Optional.of(Duration.ofSeconds(reset.getAsInt())) : Optional.empty());
    }

    boolean reported() {
        return remaining.isPresent();
    }

    private static OptionalInt number(HttpHeaders headers, String name) {
        Optional<String> value = headers.firstValue(name).map(String::trim);
        if (value.isEmpty() || value.get().isEmpty() || value.get().length() > MAX_DIGITS) {
            return OptionalInt.empty();
        }
        for (int i = 0; i < value.get().length(); i++) {
            if (!Character.isDigit(value.get().charAt(i)) || value.get().charAt(i) > '9') {
                return OptionalInt.empty();
            }
        }
        return OptionalInt.of(Integer.parseInt(value.get()));
    }

    private static OptionalInt first(OptionalInt a, OptionalInt b) {
        return a.isPresent() ? a : b;
    }

    private static OptionalInt min(OptionalInt a, OptionalInt b) {
        if (a.isPresent() && b.isPresent()) {
            return OptionalInt.of(Math.min(a.getAsInt(), b.getAsInt()));
        }
        return first(a, b);
    }
}
