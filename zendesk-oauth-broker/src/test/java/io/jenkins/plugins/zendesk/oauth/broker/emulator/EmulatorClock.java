package io.jenkins.plugins.zendesk.oauth.broker.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The emulated Zendesk's notion of "now": the system clock plus an offset that tests move forward with
 * {@link ZendeskEmulator#advanceClock}, so token expiry can be tested without waiting. Thread-safe.
 */
final class EmulatorClock {

    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    Instant now() {
        return Instant.now().plus(offset.get());
    }

    /** Moves the clock forward; never backwards, so an expired token cannot come back to life. */
    void advance(Duration by) {
        Objects.requireNonNull(by, "by");
        if (by.isNegative()) {
            throw new IllegalArgumentException("the emulator clock only moves forward: " + by);
        }
        offset.accumulateAndGet(by, Duration::plus);
    }
}
