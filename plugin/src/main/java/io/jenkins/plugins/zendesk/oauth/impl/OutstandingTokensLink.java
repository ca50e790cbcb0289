package io.jenkins.plugins.zendesk.oauth.impl;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.ManagementLink;
import hudson.model.Run;
import hudson.security.Permission;
import io.jenkins.plugins.zendesk.oauth.ZendeskBrokerService;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerException;
import io.jenkins.plugins.zendesk.oauth.broker.recovery.SweepReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.HttpResponses;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.Stapler;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.StaplerProxy;
import org.kohsuke.stapler.verb.POST;

/**
 * "Outstanding Zendesk tokens" under Manage Jenkins: every token the ledger says may still be live
 * (being minted, in use by a running block, or waiting for the sweeper), with "Revoke now" and
 * "Sweep now". Users with {@link Jenkins#MANAGE} may look; only {@link Jenkins#ADMINISTER} may act,
 * because revoking a token breaks the build using it.
 */
@Extension
@Symbol("zendeskOutstandingTokens")
public final class OutstandingTokensLink extends ManagementLink implements StaplerProxy {
    private static final Logger LOGGER = Logger.getLogger(OutstandingTokensLink.class.getName());

    /** What the last "Revoke now" or "Sweep now" did, shown on the page. Ids and messages only. */
    private volatile String lastAction;

    @Override
    public String getIconFileName() {
        return "symbol-key";
    }

    @Override
    public String getDisplayName() {
        return Messages.OutstandingTokensLink_displayName();
    }

    @Override
    public String getDescription() {
        return Messages.OutstandingTokensLink_description();
    }

    @Override
    public String getUrlName() {
        return "zendesk-tokens";
    }

    @NonNull
    @Override
    public Permission getRequiredPermission() {
        return Jenkins.MANAGE;
    }

    @NonNull
    @Override
    public Category getCategory() {
        return Category.SECURITY;
    }

    /**
     * Every URL below this page needs at least {@link Jenkins#MANAGE}, except the audit trail below
     * it ({@code audit/...}), which Overall/SystemRead may read: {@link TokenAuditView#getTarget()}
     * checks that.
     */
    @Override
    public Object getTarget() {
        StaplerRequest2 request = Stapler.getCurrentRequest2();
        String rest = request == null ? "" : request.getRestOfPath();
        if (rest.equals("/audit") || rest.startsWith("/audit/")) {
            Jenkins.get().checkAnyPermission(Jenkins.MANAGE, Jenkins.SYSTEM_READ);
        } else {
            Jenkins.get().checkPermission(Jenkins.MANAGE);
        }
        return this;
    }

    /** The token audit trail, at {@code zendesk-tokens/audit/}. */
    @Restricted(NoExternalUse.class)
    public TokenAuditView getAudit() {
        return new TokenAuditView(Stapler.getCurrentRequest2());
    }

    /** Why the ledger cannot be read (a corrupt file), or null. */
    @Restricted(NoExternalUse.class)
    @CheckForNull
    public String getLedgerError() {
        ZendeskBrokerService service = ZendeskBrokerService.get();
        return service.ledgerFile().exists() ? service.ledgerError() : null;
    }

    @Restricted(NoExternalUse.class)
    @CheckForNull
    public String getLastAction() {
        return lastAction;
    }

    @Restricted(NoExternalUse.class)
    public boolean isCanAct() {
        return Jenkins.get().hasPermission(Jenkins.ADMINISTER);
    }

    /** The pending entries, oldest first. */
    @Restricted(NoExternalUse.class)
    @NonNull
    public List<Row> getRows() {
        Instant now = Instant.now();
        List<Row> rows = new ArrayList<>();
        for (LedgerEntry entry : ZendeskBrokerService.get().ledgerEntries()) {
            rows.add(new Row(entry, now));
        }
        return rows;
    }

    /** Revokes one entry's token now (or reconciles it when its id is unknown), even if its run is still building. */
    @POST
    public HttpResponse doRevoke(@QueryParameter String entryId) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        String id = Util.fixEmptyAndTrim(entryId);
        if (id != null) {
            act(() -> ZendeskBrokerService.get().sweeper().revokeNow(id), "revoke entry " + id);
        }
        return HttpResponses.redirectToDot();
    }

    /** Retries every pending revocation and reconciliation now, and revokes the tokens of finished runs. */
    @POST
    public HttpResponse doSweep() {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        act(() -> ZendeskBrokerService.get().sweepNow(), "sweep");
        return HttpResponses.redirectToDot();
    }

    private void act(Supplier<SweepReport> action, String what) {
        String user = Jenkins.getAuthentication2().getName();
        try {
            SweepReport report = action.get();
            lastAction = report.toString();
            LOGGER.log(Level.INFO, "{0} by {1}: {2}", new Object[] {what, user, report});
        } catch (LedgerException e) {
            lastAction = e.getMessage();
        } catch (RuntimeException e) {
            lastAction = Messages.OutstandingTokensLink_actionFailed(what, e.getMessage());
            LOGGER.log(Level.WARNING, what + " by " + user + " failed", e);
        }
    }

    /** One ledger entry as the page shows it. */
    @Restricted(NoExternalUse.class)
    public static final class Row {
        private final LedgerEntry entry;
        private final Instant now;

        Row(LedgerEntry entry, Instant now) {
            this.entry = entry;
            this.now = now;
        }

        public String getId() {
            return entry.id();
        }

        public String getSite() {
            return entry.site();
        }

        /** The Zendesk token id, or empty while unknown (mint in flight or outcome unknown). */
        public String getTokenId() {
            return entry.tokenId().map(String::valueOf).orElse("");
        }

        public long getClientId() {
            return entry.clientId();
        }

        public String getScopes() {
            return String.join(" ", entry.scopes());
        }

        public String getOwner() {
            return entry.owner();
        }

        /**
         * The owner run's URL relative to the Jenkins root, when it still exists and the viewer
         * may see it; null otherwise (the page then shows the owner as text only).
         */
        @CheckForNull
        public String getOwnerUrl() {
            try {
                Run<?, ?> run = Run.fromExternalizableId(entry.owner());
                return run == null ? null : run.getUrl();
            } catch (RuntimeException notVisibleOrNotARun) {
                return null;
            }
        }

        public String getAge() {
            return Util.getTimeSpanString(Math.max(0L, Duration.between(entry.intentAt(), now).toMillis()));
        }

        /** When Zendesk expires the token on its own, as its mint answer said; empty when it did not say. */
        public String getExpiresAt() {
            return entry.expiresAt().map(Instant::toString).orElse("");
        }

        public String getState() {
            return entry.state().name();
        }

        public int getFailures() {
            return entry.failures();
        }

        public String getLastError() {
            return entry.lastError().orElse("");
        }
    }
}
