package io.jenkins.plugins.zendesk.oauth.impl;

import hudson.model.TaskListener;
import io.jenkins.plugins.zendesk.oauth.broker.lease.LeaseObserver;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.RateLimitObserver;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/** What a block's console says while its token is minted: one line if it waits for the rate limit, one if a mint is retried. */
final class BlockProgress implements RateLimitObserver, LeaseObserver {
    private final TaskListener listener;
    private final AtomicBoolean toldOfWait = new AtomicBoolean();

    BlockProgress(TaskListener listener) {
        this.listener = listener;
    }

    @Override
    public void waiting(String origin, Duration expected, int ahead) {
        if (toldOfWait.compareAndSet(false, true)) {
            long seconds = expected.getSeconds() + (expected.getNano() > 0 ? 1 : 0);
            listener.getLogger().println(Messages.ZendeskOAuthTokenBinding_rateLimitWaiting(origin, Long.toString(seconds),
                    Integer.toString(ahead)));
        }
    }

    @Override
    public void mintRetried(String firstOutcome) {
        listener.getLogger().println(Messages.ZendeskOAuthTokenBinding_mintRetried(firstOutcome));
    }
}
