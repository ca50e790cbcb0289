package io.jenkins.plugins.zendesk.oauth.broker.zendesk;

import java.time.Duration;

/** Waits between retries; injected so tests can observe backoff without spending the time. */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;

    /** The real thing: {@link Thread#sleep(long)}. */
    static Sleeper system() {
        return duration -> Thread.sleep(duration.toMillis());
    }
}
