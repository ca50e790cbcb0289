package io.jenkins.plugins.zendesk.oauth.broker.lease;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Receives audit events. Called on the thread that did the work: return quickly, and do not throw. */
@FunctionalInterface
public interface LeaseListener {
    void on(LeaseEvent event);

    static LeaseListener none() {
        return event -> { };
    }

    /** Calls each listener in turn; one that throws neither stops the others nor reaches the broker. */
    static LeaseListener all(LeaseListener... listeners) {
        List<LeaseListener> each = List.of(listeners);
        Logger logger = Logger.getLogger(LeaseListener.class.getName());
        return event -> {
            for (LeaseListener listener : each) {
                try {
                    listener.on(event);
                } catch (RuntimeException e) {
                    logger.log(Level.WARNING, "lease listener " + listener.getClass().getName() + " failed on "
                            + event.getClass().getSimpleName(), e);
                }
            }
        };
    }
}
