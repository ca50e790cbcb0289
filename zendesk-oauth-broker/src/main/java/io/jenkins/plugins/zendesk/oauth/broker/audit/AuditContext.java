package io.jenkins.plugins.zendesk.oauth.broker.audit;

import io.jenkins.plugins.zendesk.oauth.broker.lease.LeaseEvent;

/**
 * What the host adds to a record: the build behind an owner, the credential behind an authority.
 * The broker knows these only as opaque text.
 */
public interface AuditContext {

    /**
     * On the thread that emitted the event, which may be a build's: capture what only that thread
     * knows (the acting user, the executor's node). Must be cheap and must not throw.
     */
    default Caller caller(LeaseEvent event) {
        return Caller.NONE;
    }

    /** On the writer's thread: fill in the credential, job, build, causes and node. May look things up. */
    default void describe(LeaseEvent event, Caller caller, AuditRecord.Builder record) {
    }

    static AuditContext none() {
        return new AuditContext() {
        };
    }

    /**
     * @param actor the user on whose behalf the thread acts; empty when unknown
     * @param node  the node whose executor runs the thread; empty when unknown
     */
    record Caller(String actor, String node) {
        public static final Caller NONE = new Caller("", "");

        public Caller {
            actor = actor == null ? "" : actor;
            node = node == null ? "" : node;
        }
    }
}
