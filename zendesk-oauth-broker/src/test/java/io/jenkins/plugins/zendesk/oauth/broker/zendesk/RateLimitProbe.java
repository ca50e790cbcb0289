package io.jenkins.plugins.zendesk.oauth.broker.zendesk;

/** Lets tests of other packages see a transport's rate-limit queue, which production code never needs to. */
public final class RateLimitProbe {
    private RateLimitProbe() {
    }

    /** How many calls to the site at {@code origin} wait for their turn now. */
    public static int waiting(ZendeskTransport transport, String origin) {
        return transport.rateLimiter().waiting(origin);
    }
}
