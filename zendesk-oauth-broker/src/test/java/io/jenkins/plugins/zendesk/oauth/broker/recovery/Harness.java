package io.jenkins.plugins.zendesk.oauth.broker.recovery;

import io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.ZendeskEmulator;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.SecretScan;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import io.jenkins.plugins.zendesk.oauth.broker.lease.LeaseListener;
import io.jenkins.plugins.zendesk.oauth.broker.lease.LeaseRequest;
import io.jenkins.plugins.zendesk.oauth.broker.lease.TokenBroker;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.FileLeaseLedger;
import io.jenkins.plugins.zendesk.oauth.broker.value.OAuthClientRef;
import io.jenkins.plugins.zendesk.oauth.broker.value.ScopeSet;
import io.jenkins.plugins.zendesk.oauth.broker.value.SecretValue;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskSite;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.RetryPolicy;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.ZendeskTransport;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * One emulated Zendesk account, a ledger file and a broker, wired as a Jenkins host would wire them
 * (credentials looked up by authority, owners by a set of active runs). Shared by the ledger tests.
 * The emulator's lifecycle is the test's {@link ZendeskEmulatorExtension}; the harness only adds its
 * admins and clients to it:
 *
 * <pre>{@code
 * @RegisterExtension
 * final ZendeskEmulatorExtension zendesk = ZendeskEmulatorExtension.starting(ZendeskEmulator::start);
 * ...
 * h = new Harness(dir, zendesk.emulator());
 * }</pre>
 */
final class Harness {
    static final long ADMIN_ID = 1;
    static final long OTHER_ADMIN_ID = 2;
    static final String EMAIL = "robot@example.com";
    static final String API_TOKEN = "api-token-SECRET-0123456789abcdef";
    static final String OTHER_EMAIL = "other@example.com";
    static final String OTHER_API_TOKEN = "other-api-token-SECRET-fedcba9876";
    static final long CLIENT_ID = 50328;
    static final long OTHER_CLIENT_ID = 50329;
    static final String AUTHORITY = "zendesk-admin";
    static final List<String> SCOPES = List.of("tickets:read", "users:read");

    final ZendeskEmulator zendesk;
    final MutableClock clock = new MutableClock();
    final Path ledgerFile;
    final ZendeskSite site;
    final AdminAuth auth = new AdminAuth.ApiToken(EMAIL, SecretValue.of(API_TOKEN));
    final Set<String> activeOwners = ConcurrentHashMap.newKeySet();
    final Map<String, AdminAuth> credentials = new ConcurrentHashMap<>();

    /** @param zendesk the test's emulator, which the harness configures but does not close */
    Harness(Path dir, ZendeskEmulator zendesk) {
        this.zendesk = zendesk.admin(ADMIN_ID, EMAIL, API_TOKEN)
                .admin(OTHER_ADMIN_ID, OTHER_EMAIL, OTHER_API_TOKEN)
                .client(CLIENT_ID, "jenkins")
                .client(OTHER_CLIENT_ID, "other-app");
        ledgerFile = dir.resolve("zendesk-token-ledger.json");
        site = ZendeskSite.parse(zendesk.baseUrl(), ZendeskSite.HostPolicy.ANY_HOST);
        credentials.put(AUTHORITY, auth);
    }

    /** Small backoffs, no real sleeping, bounded calls: retries cost no test time. */
    static RetryPolicy fastPolicy() {
        return new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(10), Duration.ofSeconds(5));
    }

    static ZendeskTransport transport(RetryPolicy policy, Clock clock) {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(2)).executor(ZendeskTransport.httpExecutor("test-http", ZendeskTransport.HTTP_THREADS))
                .build();
        return new ZendeskTransport(http, policy, clock, duration -> { }, RandomGenerator.of("L64X128MixRandom"));
    }

    FileLeaseLedger openLedger() {
        return new FileLeaseLedger(ledgerFile, clock);
    }

    TokenBroker broker(RetryPolicy policy) {
        return new TokenBroker(transport(policy, clock), openLedger(), LeaseListener.none());
    }

    TokenBroker broker() {
        return broker(fastPolicy());
    }

    LeaseRequest request(String owner) {
        return request(owner, AUTHORITY);
    }

    LeaseRequest request(String owner, String authority) {
        return new LeaseRequest(site, auth, new OAuthClientRef.ById(CLIENT_ID), ScopeSet.parse(SCOPES, "scopes"), Optional.empty(),
                owner, authority);
    }

    /** Options for tests: the emulator is not on zendesk.com, and retries come one minute apart. */
    static Sweeper.Options sweepOptions() {
        return Sweeper.Options.defaults().withHostPolicy(ZendeskSite.HostPolicy.ANY_HOST);
    }

    Sweeper sweeper(TokenBroker broker) {
        return sweeper(broker, activeOwners::contains);
    }

    Sweeper sweeper(TokenBroker broker, OwnerStatus owners) {
        Reconciler reconciler = new Reconciler(broker.transport(), broker.ledger(), clock, Reconciler.DEFAULT_SKEW);
        return new Sweeper(broker, reconciler, entry -> Optional.ofNullable(credentials.get(entry.authority())), owners, clock,
                sweepOptions());
    }

    /** Moves the clock past the point where any mint started so far counts as stale. */
    void letMintsGoStale(TokenBroker broker) {
        clock.advance(broker.transport().policy().deadline().plus(Reconciler.DEFAULT_SKEW).plusSeconds(1));
    }

    /** The rule of rules: no token value, no admin secret in what a user sees. */
    void assertNoSecretsIn(String text) {
        SecretScan.of(zendesk).assertNotIn("the text", text);
    }

    /** Nor in the ledger file and its journal. */
    void assertNoSecretsInLedgerFile() {
        SecretScan secrets = SecretScan.of(zendesk);
        secrets.assertNotUnder(ledgerFile);
        secrets.assertNotUnder(ledgerFile.resolveSibling(ledgerFile.getFileName() + ".journal"));
    }
}
