package io.jenkins.plugins.zendesk.oauth.impl;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.domains.Domain;
import hudson.util.Secret;
import io.jenkins.plugins.zendesk.oauth.ZendeskBrokerService;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.IssuedToken;
import io.jenkins.plugins.zendesk.oauth.broker.emulator.ZendeskEmulator;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.RetryPolicy;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import jenkins.model.Jenkins;

/**
 * Shared set-up for the step and binding tests: a Zendesk emulator with one admin and one OAuth
 * client, a matching admin credential, short retry timeouts, and checks for leaked secrets.
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

    /** Tests talk to the emulator over http://localhost: opt in to non-zendesk.com sites. */
    static void allowAnyHost() {
        System.setProperty(ZendeskBrokerService.ALLOW_ANY_HOST_PROPERTY, "true");
    }

    /** Test classes share a JVM: leave the production host policy to the next one. */
    static void restoreHostPolicy() {
        System.clearProperty(ZendeskBrokerService.ALLOW_ANY_HOST_PROPERTY);
    }

    static ZendeskEmulator startEmulator() {
        return ZendeskEmulator.start().admin(ADMIN_USER_ID, EMAIL, ADMIN_API_TOKEN).client(CLIENT_ID, "jenkins");
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
        return ZendeskBrokerService.get().broker().ledger().entries();
    }

    /** Every token the emulator ever issued, with its secret: the values that must never leak. */
    static List<String> tokenValues(ZendeskEmulator zendesk) {
        return zendesk.issuedTokens().stream().map(IssuedToken::fullToken).toList();
    }

    static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The secrets and their Base64 forms that must not appear anywhere on disk or in logs. */
    static List<String> forbidden(ZendeskEmulator zendesk) {
        List<String> all = new java.util.ArrayList<>();
        all.add(ADMIN_API_TOKEN);
        all.add(base64(EMAIL + "/token:" + ADMIN_API_TOKEN));
        for (String token : tokenValues(zendesk)) {
            all.add(token);
            all.add(base64(token));
        }
        return all;
    }

    /** The files at or under {@code dir} (a directory or a single file) that contain any of {@code needles}. */
    static Set<String> filesContaining(File dir, List<String> needles) {
        Set<String> hits = new TreeSet<>();
        Path root = dir.toPath();
        if (!Files.exists(root)) {
            return hits;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(Files::isRegularFile).forEach(f -> {
                String text;
                try {
                    // ISO-8859-1 maps every byte, so binary files (program.dat) are searched too.
                    text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                for (String needle : needles) {
                    if (text.contains(needle)) {
                        hits.add(f + " contains a secret");
                    }
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return hits;
    }

    static void assertNoSecretsUnder(File dir, ZendeskEmulator zendesk) {
        assertThat(filesContaining(dir, forbidden(zendesk))).as("files under %s holding a plain secret", dir).isEmpty();
    }
}
