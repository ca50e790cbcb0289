package io.jenkins.plugins.zendesk.oauth.broker.zendesk;

import java.time.Duration;

/** Hears that a call waits for its site's rate limit, e.g. to say so in a build log. */
@FunctionalInterface
public interface RateLimitObserver {

    /**
     * A call starts waiting. Called on the waiting thread, without any lock held; must not throw.
     *
     * @param origin   the site, e.g. {@code https://acme.zendesk.com}
     * @param expected about how long it will wait
     * @param ahead    how many calls to the site wait ahead of it
     */
    void waiting(String origin, Duration expected, int ahead);
}
