package io.jenkins.plugins.zendesk.oauth;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.ProxyConfiguration;
import hudson.init.Terminator;
import io.jenkins.plugins.zendesk.oauth.broker.lease.LeaseListener;
import io.jenkins.plugins.zendesk.oauth.broker.lease.TokenBroker;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerException;
import io.jenkins.plugins.zendesk.oauth.broker.recovery.BrokerRuntime;
import io.jenkins.plugins.zendesk.oauth.broker.recovery.SweepReport;
import io.jenkins.plugins.zendesk.oauth.broker.recovery.Sweeper;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskSite;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.RetryPolicy;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.ZendeskTransport;
import java.io.File;
import java.time.Clock;
import java.util.List;
import jenkins.model.Jenkins;
import jenkins.util.SystemProperties;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * Wires the broker into Jenkins: one {@link BrokerRuntime} per controller, its HTTP client built
 * from Jenkins' proxy settings, its ledger under
 * {@code $JENKINS_HOME/zendesk-oauth-token/ledger.json}, and its {@link Sweeper} finding credentials
 * and running builds through {@link SweepResolvers}. The sweeper revokes what aborted, killed,
 * deleted or unresumable builds and failed revocations left behind.
 */
@Extension
public final class ZendeskBrokerService {
    /**
     * Opt-in for Zendesk-compatible gateways and tests: allows sites other than
     * {@code https://<subdomain>.zendesk.com}, including plain http. Never set it in production
     * unless you control the gateway.
     */
    public static final String ALLOW_ANY_HOST_PROPERTY = ZendeskBrokerService.class.getName() + ".allowAnyHost";

    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    /** Started on first use; it holds threads, so it is closed when Jenkins stops. */
    private BrokerRuntime runtime;

    public static ZendeskBrokerService get() {
        return ExtensionList.lookupSingleton(ZendeskBrokerService.class);
    }

    /**
     * The controller's broker, started on first use. Two independent listeners hear its events: the
     * system log and the audit trail's files.
     *
     * @throws LedgerException when the ledger file is corrupt; see {@link #ledgerError()}
     */
    private synchronized BrokerRuntime runtime() {
        if (runtime == null) {
            runtime = new BrokerRuntime(ledgerFile().toPath(), ProxyConfiguration.newHttpClientBuilder(), retryPolicy, Clock.systemUTC(),
                    LeaseListener.all(new LeaseEventLog(), ZendeskAuditTrail.get()), SweepResolvers::credentialOf,
                    SweepResolvers::isActive, hostPolicy());
        }
        return runtime;
    }

    /** The controller's token broker, created on first use. */
    @NonNull
    public TokenBroker broker() {
        return runtime().tokens();
    }

    /** Stops the broker (see {@link BrokerRuntime#close()}); the next {@link #broker()} starts afresh. */
    private synchronized void closeBroker() {
        if (runtime != null) {
            runtime.close();
            runtime = null;
        }
    }

    /** Jenkins stops: no control token outlives it, the ledger's last removals are written, the HTTP threads end. */
    @Terminator
    public static void shutDown() {
        for (ZendeskBrokerService service : ExtensionList.lookup(ZendeskBrokerService.class)) {
            service.closeBroker();
        }
        ZendeskAuditTrail.shutDown();
    }

    /** Parses a site with the host policy in force (see {@link #ALLOW_ANY_HOST_PROPERTY}). */
    @NonNull
    public static ZendeskSite site(String text) {
        return ZendeskSite.parse(text, hostPolicy());
    }

    public static ZendeskSite.HostPolicy hostPolicy() {
        return SystemProperties.getBoolean(ALLOW_ANY_HOST_PROPERTY) ? ZendeskSite.HostPolicy.ANY_HOST : ZendeskSite.HostPolicy.ZENDESK_ONLY;
    }

    /**
     * The ledger: one file for the whole controller, whatever the site or credential. One file
     * gives one atomic, consistent view of every token that may be live, which reconciliation
     * needs (it must see every concurrent mint of a client before it revokes a matching token),
     * and it stays small: an entry lives only from the intent to mint until Zendesk confirms the
     * revocation. It holds ids, scopes, owners and times, never a token or admin secret.
     */
    @NonNull
    public File ledgerFile() {
        return new File(new File(Jenkins.get().getRootDir(), "zendesk-oauth-token"), "ledger.json");
    }

    /**
     * For tests: shorter timeouts and retries. Stops the running broker at once, renewing leases
     * included; the next {@link #broker()} call uses the new policy.
     */
    @Restricted(NoExternalUse.class)
    public synchronized void setRetryPolicy(@NonNull RetryPolicy policy) {
        this.retryPolicy = policy;
        closeBroker();
    }

    /**
     * Revokes the control tokens of OAuth client credentials that the broker holds (best effort;
     * each expires by itself anyway). Runs at Jenkins shutdown ({@link #shutDown()}); later mints
     * obtain new ones.
     *
     * @return how many were revoked
     */
    public synchronized int releaseControlTokens() {
        return runtime == null ? 0 : runtime.releaseControlTokens();
    }

    /**
     * A transport whose control tokens are its own, for Test connection (see
     * {@link BrokerRuntime#transportWithOwnControlTokens()}).
     *
     * @throws LedgerException when the ledger file is corrupt
     */
    @NonNull
    public ZendeskTransport transportWithOwnControlTokens() {
        return runtime().transportWithOwnControlTokens();
    }

    /**
     * The controller's sweeper, created with the broker. It finds admin credentials again as
     * SYSTEM in the owner job's context (see {@link SweepResolvers#credentialOf}) and leaves alone the
     * {@code LIVE} tokens of runs that are still building, including runs that resume after a
     * restart (see {@link SweepResolvers#isActive}).
     *
     * @throws LedgerException when the ledger file is corrupt; see {@link #ledgerError()}
     */
    @NonNull
    public Sweeper sweeper() {
        return runtime().sweeper();
    }

    /**
     * Why the ledger cannot be used, or null when it can. A corrupt ledger is never replaced (it
     * may be the only record of a live token): minting is refused and the outstanding tokens page
     * shows this message until an admin moves the file aside.
     */
    @CheckForNull
    public String ledgerError() {
        try {
            runtime();
            return null;
        } catch (LedgerException e) {
            return e.getMessage();
        }
    }

    /**
     * The entries of the ledger, oldest first; empty when there is no ledger yet or it is corrupt
     * (then {@link #ledgerError()} says why).
     */
    @NonNull
    public synchronized List<LedgerEntry> ledgerEntries() {
        if (runtime == null && !ledgerFile().exists()) {
            return List.of(); // nothing was ever minted here: do not start a broker just to look
        }
        try {
            return runtime().ledgerEntries();
        } catch (LedgerException e) {
            return List.of();
        }
    }

    /** The administrator's "Sweep now" (see {@link BrokerRuntime#sweepNow()}). */
    @NonNull
    public SweepReport sweepNow() {
        return runtime().sweepNow();
    }

    /**
     * Settles one finished or deleted run's tokens: revokes them even though the block did not.
     * Does nothing, cheaply, where no token was ever minted.
     */
    @CheckForNull
    public SweepReport sweepOwner(@NonNull String owner) {
        BrokerRuntime current;
        synchronized (this) {
            if (runtime == null && !ledgerFile().exists()) {
                return null; // nothing was ever minted here: do not start a broker just to look
            }
            try {
                current = runtime();
            } catch (LedgerException e) {
                return null; // the outstanding tokens page says why
            }
        }
        return current.sweepOwner(owner).orElse(null);
    }
}
