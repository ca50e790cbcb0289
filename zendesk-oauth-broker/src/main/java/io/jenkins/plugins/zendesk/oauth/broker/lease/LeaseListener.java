package io.jenkins.plugins.zendesk.oauth.broker.lease;

/** Receives audit events. Called on the thread that did the work; must not throw. */
@FunctionalInterface
public interface LeaseListener {
    void on(LeaseEvent event);

    static LeaseListener none() {
        return event -> { };
    }
}
