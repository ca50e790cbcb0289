package io.jenkins.plugins.zendesk.oauth;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.ExtensionList;
import io.jenkins.plugins.zendesk.oauth.broker.audit.AuditContext;
import io.jenkins.plugins.zendesk.oauth.broker.audit.AuditLog;
import io.jenkins.plugins.zendesk.oauth.broker.audit.AuditSearch;
import io.jenkins.plugins.zendesk.oauth.broker.audit.AuditTrail;
import io.jenkins.plugins.zendesk.oauth.broker.audit.AuditWriter;
import io.jenkins.plugins.zendesk.oauth.broker.lease.LeaseEvent;
import io.jenkins.plugins.zendesk.oauth.broker.lease.LeaseListener;
import java.io.File;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;

/**
 * The controller's Zendesk token audit trail: a {@link LeaseListener} of the broker, independent
 * of the system-log listener, that writes every token event to
 * {@code $JENKINS_HOME/zendesk-oauth-token/audit/audit-<day>.jsonl} on a background thread, with the
 * build behind each token (the {@link AuditContext} extension of {@code impl}). Retention comes from
 * {@link ZendeskTokenGlobalConfiguration}. Searches read the files directly.
 */
@Extension
public final class ZendeskAuditTrail implements LeaseListener {
    private static final Logger LOGGER = Logger.getLogger(ZendeskAuditTrail.class.getName());

    private AuditLog log;
    private AuditTrail trail;

    @NonNull
    public static ZendeskAuditTrail get() {
        return ExtensionList.lookupSingleton(ZendeskAuditTrail.class);
    }

    /** The directory of the audit files. */
    @NonNull
    public File dir() {
        return new File(new File(Jenkins.get().getRootDir(), "zendesk-oauth-token"), "audit");
    }

    @NonNull
    public synchronized AuditLog log() {
        if (log == null) {
            log = new AuditLog(dir().toPath(), Clock.systemUTC(), () -> ZendeskTokenGlobalConfiguration.get().getAuditRetentionDays());
        }
        return log;
    }

    @NonNull
    public AuditSearch search() {
        return new AuditSearch(log());
    }

    /** Queues the event; the record is built and written on the writer's thread. */
    @Override
    public void on(LeaseEvent event) {
        trail().on(event);
    }

    private synchronized AuditTrail trail() {
        if (trail == null) {
            // The plugin's impl layer knows runs, causes and nodes: an extension, so the API does not import it.
            List<AuditContext> contexts = ExtensionList.lookup(AuditContext.class);
            trail = new AuditTrail(new AuditWriter(log(), "Zendesk token audit writer"),
                    contexts.isEmpty() ? AuditContext.none() : contexts.get(0));
        }
        return trail;
    }

    /** Waits until every event so far is on disk: before a search that must see them (tests, the build page). */
    public void flush() {
        AuditTrail current;
        synchronized (this) {
            current = trail;
        }
        if (current != null) {
            try {
                current.writer().flush(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The retention setting changed: delete what it no longer keeps, now. */
    void retentionChanged() {
        try {
            int deleted = log().prune();
            if (deleted > 0) {
                LOGGER.log(Level.INFO, "deleted {0} Zendesk token audit file(s) older than the new retention", deleted);
            }
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "could not prune the Zendesk token audit trail", e);
        }
    }

    private synchronized void close() {
        if (trail != null) {
            trail.writer().close();
            trail = null;
        }
    }

    /**
     * Writes what is queued and stops the writer. Called by {@link ZendeskBrokerService#shutDown()} after
     * the brokers are closed, because closing one revokes control tokens, and so emits events.
     */
    static void shutDown() {
        for (ZendeskAuditTrail audit : ExtensionList.lookup(ZendeskAuditTrail.class)) {
            audit.close();
        }
    }
}
