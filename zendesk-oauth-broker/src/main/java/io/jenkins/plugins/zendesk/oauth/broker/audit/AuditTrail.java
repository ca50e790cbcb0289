package io.jenkins.plugins.zendesk.oauth.broker.audit;

import io.jenkins.plugins.zendesk.oauth.broker.lease.LeaseEvent;
import io.jenkins.plugins.zendesk.oauth.broker.lease.LeaseListener;
import io.jenkins.plugins.zendesk.oauth.broker.lease.TokenFacts;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The lease listener that keeps the audit trail. On the lease's thread it only stamps the time,
 * asks the host for the caller (cheap) and queues; the record is built and written on the
 * {@link AuditWriter}'s thread.
 */
public final class AuditTrail implements LeaseListener {
    private static final Logger LOGGER = Logger.getLogger(AuditTrail.class.getName());

    private final AuditWriter writer;
    private final AuditContext context;

    public AuditTrail(AuditWriter writer, AuditContext context) {
        this.writer = writer;
        this.context = context;
    }

    public AuditWriter writer() {
        return writer;
    }

    @Override
    public void on(LeaseEvent event) {
        Instant at = writer.log().clock().instant();
        AuditContext.Caller caller;
        try {
            caller = context.caller(event);
        } catch (RuntimeException e) {
            LOGGER.log(Level.FINE, "could not tell who caused " + event.getClass().getSimpleName(), e);
            caller = AuditContext.Caller.NONE;
        }
        AuditContext.Caller who = caller;
        writer.submit(() -> record(event, at, who));
    }

    /** The record of one event: the broker's facts, then the host's. */
    AuditRecord record(LeaseEvent event, Instant at, AuditContext.Caller caller) {
        AuditRecord.Builder b = AuditRecord.builder(at, name(event))
                .site(event.site().toString())
                .tokenId(event.tokenId())
                .entryId(event.entryId())
                .credentialId(event.authority())
                .tookMs(event.took().toMillis())
                .actor(caller.actor())
                .node(caller.node())
                .outcome("ok");
        if (event instanceof LeaseEvent.Minted m) {
            b.clientId(m.clientId()).scopes(m.scopes().asStrings()).expiresAt(m.expiresAt());
        } else if (event instanceof LeaseEvent.Renewed n) {
            b.previousTokenId(n.previousTokenId()).clientId(n.clientId()).scopes(n.scopes().asStrings()).expiresAt(n.expiresAt());
        } else if (event instanceof LeaseEvent.Revoked r) {
            facts(b, r.facts(), at).endedBy(ended(r.endedBy())).outcome(r.alreadyGone() ? "already_gone" : "ok");
        } else if (event instanceof LeaseEvent.RevokeFailed f) {
            facts(b, f.facts(), at).endedBy(ended(f.endedBy())).outcome("failed").error(f.error());
        } else if (event instanceof LeaseEvent.Expired e) {
            facts(b, e.facts(), at).endedBy("expiry");
        } else if (event instanceof LeaseEvent.OrphanRevoked o) {
            facts(b, o.facts(), at).endedBy("reconciler").outcome(o.alreadyGone() ? "already_gone" : "ok");
        } else if (event instanceof LeaseEvent.ControlGranted g) {
            b.client(g.client()).expiresAt(Optional.of(g.expiresAt()));
        } else if (event instanceof LeaseEvent.ControlRevoked c) {
            b.client(c.client()).endedBy(c.reason()).outcome(c.error().isPresent() ? "failed" : "ok").error(c.error().orElse(""));
        }
        try {
            context.describe(event, caller, b);
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "could not describe the build behind " + event.owner() + " for the audit trail", e);
        }
        return b.build();
    }

    private static AuditRecord.Builder facts(AuditRecord.Builder b, TokenFacts facts, Instant at) {
        return b.clientId(facts.clientId()).scopes(facts.scopes()).expiresAt(facts.expiresAt())
                .heldMs(facts.mintedAt().map(minted -> Math.max(0L, Duration.between(minted, at).toMillis())));
    }

    private static String ended(LeaseEvent.EndedBy endedBy) {
        return endedBy.name().toLowerCase(Locale.ROOT);
    }

    /** {@code RevokeFailed} is {@code revoke_failed}: the record's name of every event, those added later included. */
    static String name(LeaseEvent event) {
        return event.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
