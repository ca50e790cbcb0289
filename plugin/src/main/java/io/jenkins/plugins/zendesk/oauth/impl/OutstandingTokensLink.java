package io.jenkins.plugins.zendesk.oauth.impl;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Api;
import hudson.model.ManagementLink;
import hudson.security.Permission;
import io.jenkins.plugins.zendesk.oauth.ZendeskBrokerService;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerException;
import io.jenkins.plugins.zendesk.oauth.broker.recovery.SweepReport;
import io.jenkins.plugins.zendesk.oauth.broker.value.FailureText;
import java.time.Clock;
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
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;
import org.kohsuke.stapler.verb.POST;

/**
 * "Outstanding Zendesk tokens" under Manage Jenkins: every token the ledger says may still be live
 * (being minted, in use by a running block, or waiting for the sweeper), with "Revoke now" and
 * "Sweep now". Users with {@link Jenkins#MANAGE} may look; only {@link Jenkins#ADMINISTER} may act,
 * because revoking a token breaks the build using it.
 */
@Extension
@Symbol("zendeskOutstandingTokens")
@ExportedBean
public final class OutstandingTokensLink extends ManagementLink implements StaplerProxy {
    private static final Logger LOGGER = Logger.getLogger(OutstandingTokensLink.class.getName());
    /** How long the page shows what the last action did. */
    static final Duration LAST_ACTION_SHOWN = Duration.ofMinutes(10);

    /** What the last "Revoke now" or "Sweep now" did, shown on the page. Ids and messages only. */
    private volatile LastAction lastAction;
    /** Replaced by tests, to see the last action go away without waiting. */
    private volatile Clock clock = Clock.systemUTC();

    /** A report and when it was made. */
    private record LastAction(String text, Instant at) {
    }

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

    /** What the last action did, with its time, for {@link #LAST_ACTION_SHOWN}; null afterwards. */
    @Restricted(NoExternalUse.class)
    @CheckForNull
    public String getLastAction() {
        // Its report may name jobs; only administrators act, so only they read it.
        LastAction last = Jenkins.get().hasPermission(Jenkins.ADMINISTER) ? lastAction : null;
        if (last == null) {
            return null;
        }
        Instant now = clock.instant();
        if (Duration.between(last.at(), now).compareTo(LAST_ACTION_SHOWN) > 0) {
            return null;
        }
        String ago = Util.getTimeSpanString(Math.max(0L, Duration.between(last.at(), now).toMillis()));
        return Messages.OutstandingTokensLink_lastAction(last.at().toString(), ago, last.text());
    }

    void setClock(@NonNull Clock clock) {
        this.clock = clock;
    }

    /** The remote API: {@code api/json}, {@code api/xml}, with {@code tree=} and {@code depth=}, below this page's permission. */
    public Api getApi() {
        return new Api(this);
    }

    /** Every outstanding token, for monitoring: ids, state, credential, owner, expiry and last error; never a token. */
    @Exported(name = "tokens", inline = true)
    @NonNull
    public List<OutstandingTokenRow> getTokens() {
        return getRows();
    }

    /** One entry, for the confirmation page of "Revoke now"; null when it is gone. */
    @Restricted(NoExternalUse.class)
    @CheckForNull
    public OutstandingTokenRow getRow(@CheckForNull String entryId) {
        String id = Util.fixEmptyAndTrim(entryId);
        for (OutstandingTokenRow row : getRows()) {
            if (row.getId().equals(id)) {
                return row;
            }
        }
        return null;
    }

    @Restricted(NoExternalUse.class)
    public boolean isCanAct() {
        return Jenkins.get().hasPermission(Jenkins.ADMINISTER);
    }

    /** The pending entries, oldest first. */
    @Restricted(NoExternalUse.class)
    @NonNull
    public List<OutstandingTokenRow> getRows() {
        Instant now = clock.instant();
        List<OutstandingTokenRow> rows = new ArrayList<>();
        for (LedgerEntry entry : ZendeskBrokerService.get().ledgerEntries()) {
            rows.add(new OutstandingTokenRow(entry, now));
        }
        return rows;
    }

    /** Revokes one entry's token now (or reconciles it when its id is unknown), even if its run is still building. */
    @POST
    @Restricted(NoExternalUse.class)
    public HttpResponse doRevoke(@QueryParameter String entryId) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        String id = Util.fixEmptyAndTrim(entryId);
        if (id != null) {
            OutstandingTokenRow row = getRow(id);
            if (act(() -> ZendeskBrokerService.get().sweeper().revokeNow(id), Messages.OutstandingTokensLink_revokeAction(id)) && row != null) {
                OwnerNotice.tellRevoked(row.ownerId(), row.getTokenId(), Jenkins.getAuthentication2().getName());
            }
        }
        return HttpResponses.redirectToDot();
    }

    /** Retries every pending revocation and reconciliation now, and revokes the tokens of finished runs. */
    @POST
    @Restricted(NoExternalUse.class)
    public HttpResponse doSweep() {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        act(() -> ZendeskBrokerService.get().sweepNow(), Messages.OutstandingTokensLink_sweepAction());
        return HttpResponses.redirectToDot();
    }

    /** Runs an action and records what it did; true when it ran to its end. */
    private boolean act(Supplier<SweepReport> action, String what) {
        String user = Jenkins.getAuthentication2().getName();
        Instant at = clock.instant();
        try {
            SweepReport report = action.get();
            lastAction = new LastAction(report.toString(), at);
            LOGGER.log(Level.INFO, "{0} by {1}: {2}", new Object[] {what, user, report});
            return true;
        } catch (LedgerException e) {
            lastAction = new LastAction(e.getMessage(), at);
        } catch (RuntimeException e) {
            lastAction = new LastAction(Messages.OutstandingTokensLink_actionFailed(what, FailureText.of(e)), at);
            // Not the exception's message, nor the exception: a JDK message can quote a secret (see FailureText).
            LOGGER.log(Level.WARNING, "{0} by {1} failed: {2}", new Object[] {what, user, FailureText.of(e)});
        }
        return false;
    }
}
