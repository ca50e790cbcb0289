package io.jenkins.plugins.zendesk.oauth.broker.zendesk;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.random.RandomGenerator;

/** When the transport tries again: jittered exponential backoff, {@code Retry-After}, attempts and the overall deadline. */
final class Backoff {
    private final RetryPolicy policy;
    private final Clock clock;
    private final RandomGenerator random;

    Backoff(RetryPolicy policy, Clock clock, RandomGenerator random) {
        this.policy = policy;
        this.clock = clock;
        this.random = random;
    }

    Optional<Duration> retryAfter(HttpResponse<String> response) {
        Optional<String> header = response.headers().firstValue("Retry-After").map(String::trim);
        if (header.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(header.get()))));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(header.get(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(clock.instant(), at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }

    /** The pause before another attempt, or empty when the attempts or the overall deadline are used up. */
    Optional<Duration> next(int attempt, Instant deadline) {
        Duration wait = of(attempt);
        return attempt < policy.maxAttempts() && clock.instant().plus(wait).isBefore(deadline) ? Optional.of(wait) : Optional.empty();
    }

    String exhausted(int attempt) {
        return attempt >= policy.maxAttempts() ? attempt + " attempt(s) failed"
                : attempt + " attempt(s) failed and another would pass the overall deadline of " + human(policy.deadline());
    }

    /** Exponential backoff with equal jitter: half fixed, half random. */
    Duration of(int attempt) {
        long base = policy.initialBackoff().toMillis() << Math.min(attempt - 1, 20);
        long capped = Math.min(base, policy.maxBackoff().toMillis());
        long half = capped / 2;
        return Duration.ofMillis(half + (half > 0 ? random.nextLong(half + 1) : 0));
    }

    /** {@code 30 s} or {@code 400 ms}. */
    static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
