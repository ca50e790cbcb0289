package io.jenkins.plugins.zendesk.oauth;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.ProxyConfiguration;
import hudson.init.Terminator;
import io.jenkins.plugins.zendesk.oauth.broker.lease.LeaseEvent;
import io.jenkins.plugins.zendesk.oauth.broker.lease.LeaseListener;
import io.jenkins.plugins.zendesk.oauth.broker.lease.RenewalScheduler;
import io.jenkins.plugins.zendesk.oauth.broker.lease.TokenBroker;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.FileLeaseLedger;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerException;
import io.jenkins.plugins.zendesk.oauth.broker.recovery.Reconciler;
import io.jenkins.plugins.zendesk.oauth.broker.recovery.SweepReport;
import io.jenkins.plugins.zendesk.oauth.broker.recovery.Sweeper;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskSite;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.RetryPolicy;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.Sleeper;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.ZendeskTransport;
import java.io.File;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;
import jenkins.model.Jenkins;
import jenkins.util.SystemProperties;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * Wires the broker into Jenkins: one {@link TokenBroker} per controller, its HTTP client built
 * from Jenkins' proxy settings (redirects never followed), its ledger under
 * {@code $JENKINS_HOME/zendesk-oauth-token/ledger.json}, and the {@link Sweeper} that revokes what
 * aborted, killed, deleted or unresumable builds and failed revocations left behind.
 */
@Extension
public final class ZendeskBrokerService {
    private static final Logger LOGGER = Logger.getLogger(ZendeskBrokerService.class.getName());

    /**
     * Opt-in for Zendesk-compatible gateways and tests: allows sites other than
     * {@code https://<subdomain>.zendesk.com}, including plain http. Never set it in production
     * unless you control the gateway.
     */
    public static final String ALLOW_ANY_HOST_PROPERTY = ZendeskBrokerService.class.getName() + ".allowAnyHost";

    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private TokenBroker broker;
    private Sweeper sweeper;
    /** The broker's HTTP client's executor, renewal scheduler and ledger: they hold threads, so they are closed with the broker. */
    private ExecutorService httpExecutor;
    private ScheduledThreadPoolExecutor renewals;
    private FileLeaseLedger ledger;

    public static ZendeskBrokerService get() {
        return ExtensionList.lookupSingleton(ZendeskBrokerService.class);
    }

    /** The controller's broker, created on first use. */
    @NonNull
    public synchronized TokenBroker broker() {
        if (broker == null) {
            FileLeaseLedger opened = new FileLeaseLedger(ledgerFile().toPath(), Clock.systemUTC()); // throws first if corrupt
            ExecutorService executor = ZendeskTransport.httpExecutor("Zendesk OAuth HTTP", ZendeskTransport.HTTP_THREADS);
            ZendeskTransport transport = new ZendeskTransport(httpClient(retryPolicy, executor), retryPolicy, Clock.systemUTC(),
                    Sleeper.system(), RandomGenerator.getDefault());
            ScheduledThreadPoolExecutor scheduler = renewalScheduler();
            // Two independent listeners: the system log and the audit trail's files. A renewal whose outcome is
            // unknown is reconciled at once, before its block mints again.
            broker = new TokenBroker(transport, opened, LeaseListener.all(ZendeskBrokerService::audit, ZendeskAuditTrail.get()),
                    RenewalScheduler.of(scheduler), new Reconciler(transport, opened));
            ledger = opened;
            httpExecutor = executor;
            renewals = scheduler;
        }
        return broker;
    }

    /**
     * Revokes the control tokens (while the HTTP threads still run), writes what the ledger still
     * has pending and stops the broker's threads; the next {@link #broker()} starts afresh.
     */
    private synchronized void closeBroker() {
        if (renewals != null) {
            // Pending renewals are dropped (blocks resume after the restart); one in flight may still record its token.
            renewals.shutdown();
            try {
                if (!renewals.awaitTermination(10, TimeUnit.SECONDS)) {
                    LOGGER.warning("A Zendesk token renewal is still running at shutdown; the ledger covers its token");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int revoked = releaseControlTokens();
        if (revoked > 0) {
            LOGGER.log(Level.INFO, "Revoked {0} Zendesk control token(s)", revoked);
        }
        if (ledger != null) {
            ledger.close();
        }
        if (httpExecutor != null) {
            httpExecutor.shutdown();
        }
        ledger = null;
        httpExecutor = null;
        renewals = null;
        broker = null;
        sweeper = null;
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

    /** For tests: shorter timeouts and retries. The next {@link #broker()} call uses them. */
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
        return broker == null ? 0 : broker.transport().controlTokens().revokeAll();
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
    public synchronized Sweeper sweeper() {
        TokenBroker current = broker();
        if (sweeper == null) {
            sweeper = new Sweeper(current, new Reconciler(current.transport(), current.ledger()),
                    SweepResolvers::credentialOf, SweepResolvers::isActive, current.transport().clock(),
                    Sweeper.Options.defaults().withHostPolicy(hostPolicy()));
        }
        return sweeper;
    }

    /**
     * Why the ledger cannot be used, or null when it can. A corrupt ledger is never replaced (it
     * may be the only record of a live token): minting is refused and the outstanding tokens page
     * shows this message until an admin moves the file aside.
     */
    @CheckForNull
    public String ledgerError() {
        try {
            broker();
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
        if (broker == null && !ledgerFile().exists()) {
            return List.of(); // nothing was ever minted here: do not create a broker just to look
        }
        try {
            return broker().ledger().entries();
        } catch (LedgerException e) {
            return List.of();
        }
    }

    /**
     * The administrator's "Sweep now": retries every pending revocation and reconciliation at once,
     * ignoring their backoff, then runs a normal sweep (which revokes the tokens of finished runs
     * and leaves those of running builds alone).
     */
    @NonNull
    public SweepReport sweepNow() {
        Sweeper s = sweeper();
        SweepReport total = null;
        for (LedgerEntry entry : ledgerEntries()) {
            if (entry.state() == LedgerEntry.State.REVOKE_PENDING || entry.state() == LedgerEntry.State.UNCERTAIN) {
                total = merge(total, s.revokeNow(entry.id()));
            }
        }
        return merge(total, s.sweep());
    }

    /**
     * Settles one finished or deleted run's tokens: revokes them even though the block did not.
     * Does nothing, cheaply, where no token was ever minted.
     */
    @CheckForNull
    public SweepReport sweepOwner(@NonNull String owner) {
        boolean any = false;
        for (LedgerEntry entry : ledgerEntries()) {
            if (entry.owner().equals(owner)) {
                any = true;
                break;
            }
        }
        return any ? sweeper().sweepOwner(owner) : null;
    }

    private static SweepReport merge(@CheckForNull SweepReport a, @NonNull SweepReport b) {
        if (a == null) {
            return b;
        }
        List<Long> revoked = new ArrayList<>(a.revokedTokenIds());
        revoked.addAll(b.revokedTokenIds());
        List<Long> gone = new ArrayList<>(a.alreadyGoneTokenIds());
        gone.addAll(b.alreadyGoneTokenIds());
        List<String> errors = new ArrayList<>(a.errors());
        errors.addAll(b.errors());
        List<Long> expired = new ArrayList<>(a.expiredTokenIds());
        expired.addAll(b.expiredTokenIds());
        return new SweepReport(a.revoked() + b.revoked(), a.alreadyGone() + b.alreadyGone(), a.reconciled() + b.reconciled(),
                a.stillPending() + b.stillPending(), a.postponed() + b.postponed(), a.inUse() + b.inUse(), revoked, gone, errors, expired);
    }

    /** One daemon thread for every block's renewals: each is a few HTTP calls every few minutes at most. */
    private static ScheduledThreadPoolExecutor renewalScheduler() {
        AtomicInteger count = new AtomicInteger();
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "Zendesk OAuth token renewal " + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true); // a block that ends drops its renewal, due in up to 32 hours
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return scheduler;
    }

    private static HttpClient httpClient(RetryPolicy policy, ExecutorService executor) {
        // Redirects would resend the admin credentials to another origin. The bounded executor
        // keeps a burst of builds from starting a thread per exchange.
        return ProxyConfiguration.newHttpClientBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .connectTimeout(policy.requestTimeout().compareTo(Duration.ofSeconds(10)) < 0 ? policy.requestTimeout() : Duration.ofSeconds(10))
                .build();
    }

    /** Audit trail in the system log: ids, scopes and timings, never a token value. Numbers as text: MessageFormat would group digits. */
    private static void audit(LeaseEvent event) {
        if (event instanceof LeaseEvent.Minted m) {
            LOGGER.log(Level.INFO, "Minted Zendesk token id {0} with scopes [{1}] on {2} for {3} in {4} ms; expires {5}",
                    new Object[] {Long.toString(m.tokenId()), m.scopes(), m.site(), m.owner(), Long.toString(m.took().toMillis()),
                        m.expiresAt().map(Object::toString).orElse("when revoked")});
        } else if (event instanceof LeaseEvent.Renewed r) {
            LOGGER.log(Level.INFO, "Renewed Zendesk token id {0} -> {1} (generation {2} of block {3}) with scopes [{4}] on {5} for {6} in {7} ms; expires {8}",
                    new Object[] {Long.toString(r.previousTokenId()), Long.toString(r.tokenId()), Integer.toString(r.generation()), r.blockId(),
                        r.scopes(), r.site(), r.owner(), Long.toString(r.took().toMillis()), r.expiresAt().map(Object::toString).orElse("when revoked")});
        } else if (event instanceof LeaseEvent.Revoked r) {
            LOGGER.log(Level.INFO, "Revoked Zendesk token id {0} on {1} for {2} in {3} ms ({4}){5}",
                    new Object[] {Long.toString(r.tokenId()), r.site(), r.owner(), Long.toString(r.took().toMillis()), r.endedBy(),
                        r.alreadyGone() ? " (already gone)" : ""});
        } else if (event instanceof LeaseEvent.RevokeFailed f) {
            LOGGER.log(Level.WARNING, "Could not revoke Zendesk token id {0} on {1} for {2} ({3}); the sweeper will retry: {4}",
                    new Object[] {Long.toString(f.tokenId()), f.site(), f.owner(), f.endedBy(), f.error()});
        } else if (event instanceof LeaseEvent.Expired e) {
            LOGGER.log(Level.INFO, "Zendesk token id {0} on {1} for {2} had expired; its ledger entry is closed",
                    new Object[] {Long.toString(e.tokenId()), e.site(), e.owner()});
        } else if (event instanceof LeaseEvent.OrphanRevoked o) {
            LOGGER.log(Level.WARNING, "Reconciliation found Zendesk token id {0} on {1} of an unfinished mint for {2} and revoked it{3}",
                    new Object[] {Long.toString(o.tokenId()), o.site(), o.owner(), o.alreadyGone() ? " (already gone)" : ""});
        } else if (event instanceof LeaseEvent.ControlGranted g) {
            LOGGER.log(Level.FINE, "Granted Zendesk control token id {0} on {1} to client {2}; expires {3}",
                    new Object[] {Long.toString(g.tokenId()), g.site(), g.client(), g.expiresAt()});
        } else if (event instanceof LeaseEvent.ControlRevoked c) {
            LOGGER.log(Level.FINE, "Revoked Zendesk control token id {0} on {1} of client {2} ({3}){4}",
                    new Object[] {Long.toString(c.tokenId()), c.site(), c.client(), c.reason(), c.error().map(e -> ": failed: " + e).orElse("")});
        }
    }
}
