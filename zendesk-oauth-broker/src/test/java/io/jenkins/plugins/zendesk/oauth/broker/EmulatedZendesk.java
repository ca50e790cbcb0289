package io.jenkins.plugins.zendesk.oauth.broker;

import io.jenkins.plugins.zendesk.oauth.broker.ZendeskSite.HostPolicy;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.ZendeskEmulator;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * The broker wired to a {@link ZendeskEmulator}: one admin, one OAuth client, a transport that
 * records its backoff pauses instead of waiting.
 */
final class EmulatedZendesk implements AutoCloseable {
    static final long ADMIN_ID = 7001;
    static final String ADMIN_EMAIL = "jenkins-robot@example.com";
    /** Shaped like a real Zendesk API token (40 characters). */
    static final String ADMIN_API_TOKEN = "Adm1nApiT0kenXyZ9876543210abcdefGHIJKLmn";
    static final long AGENT_ID = 7002;
    static final String AGENT_EMAIL = "agent@example.com";
    static final String AGENT_API_TOKEN = "AgentApiT0ken0123456789abcdefGHIJKLMNOPq";
    static final long CLIENT_ID = 50328;
    static final String CLIENT_IDENTIFIER = "jenkins_ci";
    static final long LIMITED_CLIENT_ID = 50329;
    static final String LIMITED_CLIENT_IDENTIFIER = "jenkins_read_only";

    /** Never follows redirects; shared, as in production. */
    static final HttpClient HTTP = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** Three attempts, 100 ms initial backoff, 30 s deadline, 5 s per exchange. */
    static final RetryPolicy POLICY = new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(30),
            Duration.ofSeconds(5), Duration.ofSeconds(60));

    final ZendeskEmulator zendesk;
    final ZendeskSite site;
    final AdminAuth auth;

    EmulatedZendesk() {
        zendesk = ZendeskEmulator.start()
                .admin(ADMIN_ID, ADMIN_EMAIL, ADMIN_API_TOKEN)
                .agent(AGENT_ID, AGENT_EMAIL, AGENT_API_TOKEN)
                .client(CLIENT_ID, CLIENT_IDENTIFIER)
                .client(LIMITED_CLIENT_ID, LIMITED_CLIENT_IDENTIFIER, java.util.Set.of("read"));
        site = ZendeskSite.parse(zendesk.baseUrl(), HostPolicy.ANY_HOST);
        auth = new AdminAuth.ApiToken(ADMIN_EMAIL, SecretValue.of(ADMIN_API_TOKEN));
    }

    /**
     * Sends a first mint and revoke so that later requests do not pay the server's and client's
     * cold start: tests with sub-second request timeouts need the server to answer promptly.
     */
    EmulatedZendesk warmedUp() {
        ZendeskAdminApi api = api(transport(POLICY, Sleeper.system()));
        api.revoke(api.mint(CLIENT_ID, ScopeSet.parse("read", "scopes"), java.util.Optional.empty()).id());
        api.listClients();
        zendesk.resetCounters();
        return this;
    }

    static ZendeskTransport transport(RetryPolicy policy, Sleeper sleeper) {
        return transport(policy, sleeper, Clock.systemUTC());
    }

    static ZendeskTransport transport(RetryPolicy policy, Sleeper sleeper, Clock clock) {
        return new ZendeskTransport(HTTP, policy, clock, sleeper, new SplittableRandom(42));
    }

    ZendeskAdminApi api(ZendeskTransport transport) {
        return transport.admin(site, auth);
    }

    ZendeskAdminApi api(ZendeskTransport transport, AdminAuth otherAuth) {
        return transport.admin(site, otherAuth);
    }

    /**
     * Cleans up after a mint whose outcome was unknown, the way reconciliation does: lists the
     * client's tokens through the admin API and revokes each by id.
     *
     * @return how many tokens were found and revoked
     */
    int reconcile(ZendeskAdminApi api, long clientId) {
        int revoked = 0;
        for (IssuedTokenInfo token : api.listTokens(clientId)) {
            if (api.revoke(token.id())) {
                revoked++;
            }
        }
        return revoked;
    }

    /**
     * Waits until the emulator has issued {@code count} tokens in all (revoked ones included):
     * after a client-side timeout or abort the server may still be about to process the mint. Not a
     * timing assertion: it gives up after 20 s only so that a broken test cannot hang.
     */
    void awaitIssuedTokens(int count) {
        long giveUp = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        while (zendesk.issuedTokens().size() < count && System.nanoTime() < giveUp) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        zendesk.close();
    }
}
