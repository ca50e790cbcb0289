package io.jenkins.plugins.zendesk.oauth.impl;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.domains.Domain;
import hudson.util.Secret;
import io.jenkins.plugins.zendesk.oauth.ZendeskBrokerService;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.ZendeskEmulator;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.ZendeskEmulatorExtension;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import jenkins.model.Jenkins;

/**
 * Shared set-up for the step and binding tests: a Zendesk emulator with one admin and one OAuth
 * client, a matching admin credential and short retry timeouts. Leaks are checked with {@code SecretScan}.
 */
final class TokenStepFixture {
    static final String CREDENTIALS_ID = "zendesk-admin";
    static final String EMAIL = "jenkins-robot@example.com";
    /** The admin secret: must never appear in a log, build directory or config file. */
    static final String ADMIN_API_TOKEN = "admin-api-token-4f1c2b9e7d";
    static final long ADMIN_USER_ID = 1L;
    static final long CLIENT_ID = 50328L;
    static final String MINT_PATH = "/api/v2/oauth/tokens";

    private TokenStepFixture() {
    }

    /** The standard emulator: one admin ({@link #EMAIL}, {@link #ADMIN_API_TOKEN}) and one minting client. */
    static ZendeskEmulator startEmulator() {
        return ZendeskEmulator.start().admin(ADMIN_USER_ID, EMAIL, ADMIN_API_TOKEN).client(CLIENT_ID, "jenkins");
    }

    /** Each test gets the {@linkplain #startEmulator() standard emulator}, see {@link #emulator(Supplier)}. */
    static ZendeskEmulatorExtension emulator() {
        return emulator(TokenStepFixture::startEmulator);
    }

    /**
     * Each test gets an emulator from {@code start}, and ends with no live token. Tests talk to it over
     * http://localhost, so non-zendesk.com sites are allowed during the test (and the production host policy
     * is restored after it: test classes share a JVM). At the end, control tokens cached by a running
     * Jenkins are released, as Jenkins does when it stops.
     */
    static ZendeskEmulatorExtension emulator(Supplier<ZendeskEmulator> start) {
        return ZendeskEmulatorExtension.starting(start)
                .withSystemProperty(ZendeskBrokerService.ALLOW_ANY_HOST_PROPERTY, "true")
                .releasingWith(zendesk -> releaseControlTokens());
    }

    private static void releaseControlTokens() {
        if (Jenkins.getInstanceOrNull() != null) {
            ZendeskBrokerService.get().releaseControlTokens();
        }
    }

    /** Two attempts, short waits: failures show up in seconds, not minutes. */
    static void shortRetries() {
        ZendeskBrokerService.get().setRetryPolicy(new RetryPolicy(2, Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(20),
                Duration.ofSeconds(10)));
    }

    /** An admin credential for the emulator; {@code allowed} and {@code defaults} are space-separated scopes or empty. */
    static ZendeskAdminCredentialsImpl adminCredentials(ZendeskEmulator zendesk, String apiToken, String allowed, String defaults) {
        ZendeskAdminCredentialsImpl c = new ZendeskAdminCredentialsImpl(CredentialsScope.GLOBAL, CREDENTIALS_ID, "Zendesk robot admin",
                zendesk.baseUrl(), EMAIL, new ApiTokenAuthentication(Secret.fromString(apiToken)), Long.toString(CLIENT_ID));
        c.setAllowedScopes(allowed);
        c.setDefaultScopes(defaults);
        return c;
    }

    static void addGlobal(StandardCredentials c) throws IOException {
        CredentialsProvider.lookupStores(Jenkins.get()).iterator().next().addCredentials(Domain.global(), c);
    }

    /** Adds the standard admin credential: ceiling {@code tickets:read tickets:write users:read}, no default scopes. */
    static void addAdminCredentials(ZendeskEmulator zendesk) throws IOException {
        addGlobal(adminCredentials(zendesk, ADMIN_API_TOKEN, "tickets:read tickets:write users:read", ""));
    }

    static List<LedgerEntry> ledger() {
        return ZendeskBrokerService.get().ledgerEntries();
    }
}
