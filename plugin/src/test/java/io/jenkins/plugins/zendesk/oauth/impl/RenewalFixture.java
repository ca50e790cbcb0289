package io.jenkins.plugins.zendesk.oauth.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.zendesk.oauth.broker.emulator.ZendeskEmulator;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jvnet.hudson.test.JenkinsRule;

/** Renewal tests: a minting client whose tokens expire quickly, and waits for states (never for fixed times). */
final class RenewalFixture {
    /** The emulated client's token lifetime: renewed after 8 s, the predecessor revoked 2 s later. The broker's floor is 10 s. */
    static final Duration LIFETIME = Duration.ofSeconds(12);
    static final Pattern RENEWED = Pattern.compile("Renewed Zendesk token id (\\d+) -> (\\d+) \\(scopes ");

    private RenewalFixture() {
    }

    /** Makes the fixture's minting client's Create Token tokens expire after {@link #LIFETIME} (a test-only lifetime). */
    static ZendeskEmulator expiringClient(ZendeskEmulator zendesk) {
        return zendesk.tokenLifetimeForTestsOnly(TokenStepFixture.CLIENT_ID, LIFETIME);
    }

    /** Waits for the log line renewing {@code previous}; returns the successor's id. */
    static long awaitRenewal(JenkinsRule r, WorkflowRun b, long previous) throws Exception {
        AtomicLong next = new AtomicLong();
        Pattern line = Pattern.compile("Renewed Zendesk token id " + previous + " -> (\\d+) \\(scopes ");
        Await.until("renewal of token " + previous, () -> {
            try {
                Matcher m = line.matcher(JenkinsRule.getLog(b));
                if (m.find()) {
                    next.set(Long.parseLong(m.group(1)));
                    return true;
                }
                return false;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        return next.get();
    }

    /** Waits until the token file holds exactly generation {@code id}'s value (the write follows the log line). */
    static void awaitFileHolds(Path file, ZendeskEmulator zendesk, long id) {
        String expected = zendesk.token(id).orElseThrow().fullToken();
        Await.until("file holding token " + id, () -> {
            try {
                return Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).equals(expected);
            } catch (java.io.IOException e) {
                return false; // replaced at this very moment
            }
        });
    }
}
