package io.jenkins.plugins.zendesk.oauth.broker.lease;

/** What the holder of one lease hears while it is made, e.g. to say so in the build log. Must not throw. */
@FunctionalInterface
public interface LeaseObserver {

    /**
     * The first mint's outcome is unknown; a second attempt, with an intent of its own, follows.
     *
     * @param firstOutcome why the first attempt's outcome is unknown (no secret); its intent stays for reconciliation
     */
    void mintRetried(String firstOutcome);

    static LeaseObserver none() {
        return firstOutcome -> { };
    }
}
