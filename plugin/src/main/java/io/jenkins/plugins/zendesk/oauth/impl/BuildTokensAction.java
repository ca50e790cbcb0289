package io.jenkins.plugins.zendesk.oauth.impl;

import hudson.model.Item;
import hudson.model.Run;
import io.jenkins.plugins.zendesk.oauth.ZendeskAuditTrail;
import io.jenkins.plugins.zendesk.oauth.broker.audit.AuditQuery;
import io.jenkins.plugins.zendesk.oauth.broker.audit.AuditRecord;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jenkins.model.RunAction2;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;
import org.kohsuke.stapler.StaplerProxy;

/**
 * "Zendesk tokens" in a build's sidebar, at {@code <build>/zendesk-tokens/}: the tokens this build
 * held and what became of each (minted, renewed, revoked, by whom), read from the audit trail.
 * Added to a build at its first mint; holds no data of its own. Needs Item/Read on the job, and
 * shows only this build's records.
 */
@Restricted(NoExternalUse.class)
public final class BuildTokensAction implements RunAction2, StaplerProxy {
    /** The most records one build's page lists. */
    static final int MAX_RECORDS = 1_000;

    private transient Run<?, ?> run;

    static void attachTo(Run<?, ?> run) {
        synchronized (run) {
            if (run.getAction(BuildTokensAction.class) == null) {
                run.addAction(new BuildTokensAction());
            }
        }
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public String getIconFileName() {
        return run != null && run.hasPermission(Item.READ) ? "symbol-key" : null;
    }

    @Override
    public String getDisplayName() {
        return Messages.BuildTokensAction_displayName();
    }

    @Override
    public String getUrlName() {
        return "zendesk-tokens";
    }

    @Override
    public Object getTarget() {
        run.checkPermission(Item.READ);
        return this;
    }

    public Run<?, ?> getRun() {
        return run;
    }

    /** This build's tokens in the order they were minted, each with its events in order. */
    public List<TokenLifecycle> getTokens() {
        ZendeskAuditTrail.get().flush();
        LocalDate since = Instant.ofEpochMilli(run.getStartTimeInMillis()).atZone(ZoneOffset.UTC).toLocalDate();
        AuditQuery query = AuditQuery.build(run.getParent().getFullName(), run.getNumber(), since);
        Map<Long, TokenLifecycle> tokens = new LinkedHashMap<>();
        int[] count = {0};
        ZendeskAuditTrail.get().search().forEach(query, record -> {
            if (count[0]++ < MAX_RECORDS) {
                tokens.computeIfAbsent(record.tokenId(), id -> new TokenLifecycle(record)).add(record);
            }
        });
        return new ArrayList<>(tokens.values());
    }

    /** One token of the build and its events. */
    @Restricted(NoExternalUse.class)
    public static final class TokenLifecycle {
        private final AuditRecord first;
        private final List<AuditRecordView> events = new ArrayList<>();

        TokenLifecycle(AuditRecord first) {
            this.first = first;
        }

        void add(AuditRecord record) {
            events.add(new AuditRecordView(record));
        }

        public long getTokenId() {
            return first.tokenId();
        }

        public String getScopes() {
            return String.join(" ", first.scopes());
        }

        public String getSite() {
            return first.site();
        }

        public List<AuditRecordView> getEvents() {
            return events;
        }
    }
}
