package io.jenkins.plugins.zendesk.oauth;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.ProxyConfiguration;
import io.jenkins.plugins.zendesk.oauth.broker.LeaseEvent;
import io.jenkins.plugins.zendesk.oauth.broker.RetryPolicy;
import io.jenkins.plugins.zendesk.oauth.broker.Sleeper;
import io.jenkins.plugins.zendesk.oauth.broker.TokenBroker;
import io.jenkins.plugins.zendesk.oauth.broker.ZendeskSite;
import io.jenkins.plugins.zendesk.oauth.broker.ZendeskTransport;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.FileLeaseLedger;
import java.io.File;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;
import jenkins.model.Jenkins;
import jenkins.util.SystemProperties;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * Wires the broker into Jenkins: one {@link TokenBroker} per controller, its HTTP client built
 * from Jenkins' proxy settings (redirects never followed), and its ledger under
 * {@code $JENKINS_HOME/zendesk-oauth-token/ledger.json}.
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

    public static ZendeskBrokerService get() {
        return ExtensionList.lookupSingleton(ZendeskBrokerService.class);
    }

    /** The controller's broker, created on first use. */
    @NonNull
    public synchronized TokenBroker broker() {
        if (broker == null) {
            ZendeskTransport transport = new ZendeskTransport(httpClient(retryPolicy), retryPolicy, Clock.systemUTC(), Sleeper.system(),
                    RandomGenerator.getDefault());
            broker = new TokenBroker(transport, new FileLeaseLedger(ledgerFile().toPath(), Clock.systemUTC()), ZendeskBrokerService::audit);
        }
        return broker;
    }

    /** Parses a site with the host policy in force (see {@link #ALLOW_ANY_HOST_PROPERTY}). */
    @NonNull
    public static ZendeskSite site(String text) {
        return ZendeskSite.parse(text, hostPolicy());
    }

    public static ZendeskSite.HostPolicy hostPolicy() {
        return SystemProperties.getBoolean(ALLOW_ANY_HOST_PROPERTY) ? ZendeskSite.HostPolicy.ANY_HOST : ZendeskSite.HostPolicy.ZENDESK_ONLY;
    }

    @NonNull
    public File ledgerFile() {
        return new File(new File(Jenkins.get().getRootDir(), "zendesk-oauth-token"), "ledger.json");
    }

    /** For tests: shorter timeouts and retries. The next {@link #broker()} call uses them. */
    @Restricted(NoExternalUse.class)
    public synchronized void setRetryPolicy(@NonNull RetryPolicy policy) {
        this.retryPolicy = policy;
        this.broker = null;
    }

    private static HttpClient httpClient(RetryPolicy policy) {
        // Redirects would resend the admin credentials to another origin.
        return ProxyConfiguration.newHttpClientBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(policy.requestTimeout().compareTo(Duration.ofSeconds(10)) < 0 ? policy.requestTimeout() : Duration.ofSeconds(10))
                .build();
    }

    /** Audit trail in the system log: ids, scopes and timings, never a token value. */
    private static void audit(LeaseEvent event) {
        if (event instanceof LeaseEvent.Minted m) {
            LOGGER.log(Level.INFO, "Minted Zendesk token id {0} with scopes [{1}] on {2} for {3} in {4} ms",
                    new Object[] {m.tokenId(), m.scopes(), m.site(), m.owner(), m.took().toMillis()});
        } else if (event instanceof LeaseEvent.Revoked r) {
            LOGGER.log(Level.INFO, "Revoked Zendesk token id {0} on {1} for {2} in {3} ms{4}",
                    new Object[] {r.tokenId(), r.site(), r.owner(), r.took().toMillis(), r.alreadyGone() ? " (already gone)" : ""});
        } else if (event instanceof LeaseEvent.RevokeFailed f) {
            LOGGER.log(Level.WARNING, "Could not revoke Zendesk token id {0} on {1} for {2}; the sweeper will retry: {3}",
                    new Object[] {f.tokenId(), f.site(), f.owner(), f.error()});
        }
    }
}
