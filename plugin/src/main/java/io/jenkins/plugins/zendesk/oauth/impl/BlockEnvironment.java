package io.jenkins.plugins.zendesk.oauth.impl;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import io.jenkins.plugins.zendesk.oauth.broker.lease.TokenGeneration;
import java.io.IOException;
import java.io.Serial;
import java.time.Duration;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;

/**
 * The environment of every step that starts inside a {@code withZendeskToken} block: the block's
 * current generation ({@code <variable>}, {@code _ID}, {@code _EXPIRES_AT}), looked up when the
 * step starts, so steps after a renewal get the new token; {@code ZENDESK_URL}; and {@code _FILE}
 * when the block runs on a node. Serialized with the program: holds the key and names, never a token.
 */
final class BlockEnvironment extends EnvironmentExpander {
    @Serial
    private static final long serialVersionUID = 1L;
    /** How long a step waits, after a controller restart, for the block's new generation. */
    private static final Duration RESUME_WAIT = Duration.ofSeconds(60);

    private final String block;
    private final String variable;
    private final String site;
    @CheckForNull
    private final String file;

    BlockEnvironment(@NonNull String block, @NonNull String variable, @NonNull String site, @CheckForNull String file) {
        this.block = block;
        this.variable = variable;
        this.site = site;
        this.file = file;
    }

    @Override
    public void expand(@NonNull EnvVars env) throws IOException, InterruptedException {
        LiveBlock live = LiveBlocks.get().find(block);
        if (live == null) {
            throw new IOException(Messages.WithZendeskTokenStep_noToken());
        }
        TokenGeneration current = live.current(RESUME_WAIT);
        env.override(variable, current.token().value().reveal());
        env.override(variable + ZendeskOAuthTokenBinding.ID_SUFFIX, Long.toString(current.token().id()));
        if (current.token().expiresAt().isPresent()) {
            env.override(variable + ZendeskOAuthTokenBinding.EXPIRES_AT_SUFFIX, current.token().expiresAt().get().toString());
        }
        env.override(ZendeskOAuthTokenBinding.URL_VARIABLE, site);
        if (file != null) {
            env.override(variable + ZendeskOAuthTokenBinding.FILE_SUFFIX, file);
        }
    }

    @NonNull
    @Override
    public Set<String> getSensitiveVariables() {
        return Set.of(variable);
    }
}
