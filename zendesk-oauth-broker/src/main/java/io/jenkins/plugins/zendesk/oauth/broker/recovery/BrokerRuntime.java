package io.jenkins.plugins.zendesk.oauth.broker.recovery;

import io.jenkins.plugins.zendesk.oauth.broker.lease.LeaseListener;
import io.jenkins.plugins.zendesk.oauth.broker.lease.RenewalScheduler;
import io.jenkins.plugins.zendesk.oauth.broker.lease.TokenBroker;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.FileLeaseLedger;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskSite;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.RetryPolicy;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.Sleeper;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.ZendeskTransport;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;

/**
 * The broker as a host runs it: one {@link TokenBroker} over a file ledger, with its HTTP threads,
 * its renewal thread and its {@link Sweeper}, and the order in which they stop. A host supplies
 * what only it knows (how to reach the network, where the ledger lives, who owns what) and asks
 * this class for everything else. Thread-safe.
 */
public final class BrokerRuntime implements AutoCloseable {
    private static final Logger LOGGER = Logger.getLogger(BrokerRuntime.class.getName());
    private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RENEWAL_SHUTDOWN_WAIT = Duration.ofSeconds(10);

    private final FileLeaseLedger ledger;
    private final ExecutorService httpExecutor;
    private final ScheduledThreadPoolExecutor renewals;
    private final ZendeskTransport transport;
    private final TokenBroker tokens;
    private final Sweeper sweeper;

    /**
     * Opens the ledger (first, so that a corrupt one starts no thread) and starts the broker.
     *
     * @param ledgerFile  the one ledger of the host, whatever the site or credential
     * @param http        the host's HTTP client settings (e.g. its proxy); redirects, executor and
     *                    connect timeout are set here: a redirect would resend admin credentials elsewhere
     * @param listener    told about every mint, renewal and revocation
     * @param credentials finds an entry's admin credential again for the sweeper
     * @param owners      says which owners may still use their {@code LIVE} tokens
     * @param hostPolicy  which sites recorded in the ledger the sweeper trusts with admin credentials
     * @throws io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerException when the ledger file is corrupt
     */
    public BrokerRuntime(Path ledgerFile, HttpClient.Builder http, RetryPolicy policy, Clock clock, LeaseListener listener,
                         CredentialResolver credentials, OwnerStatus owners, ZendeskSite.HostPolicy hostPolicy) {
        this.ledger = new FileLeaseLedger(ledgerFile, clock);
        this.httpExecutor = ZendeskTransport.httpExecutor("Zendesk OAuth HTTP", ZendeskTransport.HTTP_THREADS);
        // The bounded executor keeps a burst of builds from starting a thread per exchange.
        HttpClient client = http.followRedirects(HttpClient.Redirect.NEVER)
                .executor(httpExecutor)
                .connectTimeout(policy.requestTimeout().compareTo(MAX_CONNECT_TIMEOUT) < 0 ? policy.requestTimeout() : MAX_CONNECT_TIMEOUT)
                .build();
        this.transport = new ZendeskTransport(client, policy, clock, Sleeper.system(), RandomGenerator.getDefault());
        this.renewals = renewalThread();
        // A renewal whose outcome is unknown is reconciled at once, before its block mints again.
        this.tokens = new TokenBroker(transport, ledger, listener, RenewalScheduler.of(renewals), new Reconciler(transport, ledger));
        this.sweeper = new Sweeper(tokens, new Reconciler(transport, ledger), credentials, owners, clock,
                Sweeper.Options.defaults().withHostPolicy(hostPolicy));
    }

    public TokenBroker tokens() {
        return tokens;
    }

    public Sweeper sweeper() {
        return sweeper;
    }

    /** The ledger's entries, oldest first. */
    public List<LedgerEntry> ledgerEntries() {
        return ledger.entries();
    }

    /**
     * An administrator's "Sweep now": retries every pending revocation and reconciliation at once,
     * ignoring their backoff, then runs a normal sweep (which revokes the tokens of finished owners
     * and leaves those of active ones alone).
     */
    public SweepReport sweepNow() {
        SweepReport total = SweepReport.EMPTY;
        for (LedgerEntry entry : ledger.entries()) {
            if (entry.state() == LedgerEntry.State.REVOKE_PENDING || entry.state() == LedgerEntry.State.UNCERTAIN) {
                total = total.plus(sweeper.revokeNow(entry.id()));
            }
        }
        return total.plus(sweeper.sweep());
    }

    /**
     * Settles one finished or deleted owner's tokens (see {@link Sweeper#sweepOwner}); empty, cheaply,
     * when the ledger has no entry of that owner.
     */
    public Optional<SweepReport> sweepOwner(String owner) {
        boolean any = ledger.entries().stream().anyMatch(entry -> entry.owner().equals(owner));
        return any ? Optional.of(sweeper.sweepOwner(owner)) : Optional.empty();
    }

    /**
     * The same transport with control tokens of its own (e.g. for a connection test): what it
     * obtains neither disturbs nor replaces the tokens builds use. Revoke them with
     * {@code controlTokens().revokeAll()} when done.
     */
    public ZendeskTransport transportWithOwnControlTokens() {
        return transport.withOwnControlTokens();
    }

    /**
     * Revokes the control tokens the broker holds (best effort: each expires by itself anyway);
     * later mints obtain new ones.
     *
     * @return how many were revoked
     */
    public int releaseControlTokens() {
        return transport.controlTokens().revokeAll();
    }

    /**
     * Stops renewing (pending renewals are dropped; blocks resume after a restart), revokes the
     * control tokens while the HTTP threads still run, writes what the ledger still has pending and
     * stops the HTTP threads.
     */
    @Override
    public void close() {
        renewals.shutdown();
        try {
            if (!renewals.awaitTermination(RENEWAL_SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOGGER.warning("A Zendesk token renewal is still running at shutdown; the ledger covers its token");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int revoked = releaseControlTokens();
        if (revoked > 0) {
            LOGGER.log(Level.INFO, "Revoked {0} Zendesk control token(s)", revoked);
        }
        ledger.close();
        httpExecutor.shutdown();
    }

    /** One daemon thread for every block's renewals: each is a few HTTP calls every few minutes at most. */
    private static ScheduledThreadPoolExecutor renewalThread() {
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
}
