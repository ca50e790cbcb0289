package io.jenkins.plugins.zendesk.oauth.impl;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.zendesk.oauth.Messages;
import io.jenkins.plugins.zendesk.oauth.SecretTextResolver;
import io.jenkins.plugins.zendesk.oauth.ZendeskAdminCredentials;
import io.jenkins.plugins.zendesk.oauth.ZendeskBrokerService;
import io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth;
import io.jenkins.plugins.zendesk.oauth.broker.lease.LeaseRequest;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.MintOutcomeUnknownException;
import io.jenkins.plugins.zendesk.oauth.broker.value.OAuthClientRef;
import io.jenkins.plugins.zendesk.oauth.broker.lease.RevocationOutcome;
import io.jenkins.plugins.zendesk.oauth.broker.value.ScopeSet;
import io.jenkins.plugins.zendesk.oauth.broker.lease.TokenBroker;
import io.jenkins.plugins.zendesk.oauth.broker.lease.TokenLease;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskException;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskInputException;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskSite;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import java.io.IOException;
import java.io.Serial;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.credentialsbinding.BindingDescriptor;
import org.jenkinsci.plugins.credentialsbinding.MultiBinding;
import org.jenkinsci.plugins.credentialsbinding.impl.CredentialNotFoundException;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * Binds a freshly minted, scoped Zendesk OAuth access token to an environment variable for the
 * duration of a block ({@code withCredentials([zendeskOAuthToken(...)])}, {@code withZendeskToken},
 * or the freestyle "Use secret text(s) or file(s)" wrapper), and revokes it when the block ends.
 *
 * <p>Everything that can be checked without Zendesk (credential type, site, client, scope grammar,
 * scope ceiling, variable name, lifetime) is checked before the first HTTP call. The token value
 * lives only in the returned environment; the {@link Unbinder} keeps ids, never the token.
 */
public class ZendeskOAuthTokenBinding extends MultiBinding<ZendeskAdminCredentials> {

    /** Default name of the secret variable. */
    public static final String DEFAULT_VARIABLE = "ZENDESK_OAUTH_TOKEN";
    /** Public variable holding the site's origin, e.g. {@code https://acme.zendesk.com}. */
    public static final String URL_VARIABLE = "ZENDESK_URL";
    /** Suffix of the public variable holding the token id: {@code <variable>_ID}. */
    public static final String ID_SUFFIX = "_ID";

    private static final Logger LOGGER = Logger.getLogger(ZendeskOAuthTokenBinding.class.getName());
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final String AUTHORITY_PREFIX = "jenkins:";

    private List<String> scopes = Collections.emptyList();
    private String variable = DEFAULT_VARIABLE;
    private Integer lifetimeMinutes;

    @DataBoundConstructor
    public ZendeskOAuthTokenBinding(String credentialsId) {
        super(credentialsId);
    }

    @Override
    protected Class<ZendeskAdminCredentials> type() {
        return ZendeskAdminCredentials.class;
    }

    /** The requested scopes; empty means the credential's default scopes. */
    @NonNull
    public List<String> getScopes() {
        return Collections.unmodifiableList(scopes);
    }

    /**
     * Accepts {@code ['tickets:read', 'users:read']} from Pipeline, and a single space- or
     * comma-separated string from the configuration form (Stapler binds a text box to a one-element list).
     */
    @DataBoundSetter
    public void setScopes(@CheckForNull List<String> scopes) {
        this.scopes = normalizeScopes(scopes);
    }

    /** The scopes as one space-separated string, for the configuration form. */
    @Restricted(NoExternalUse.class)
    public String getScopesText() {
        return String.join(" ", scopes);
    }

    @NonNull
    public String getVariable() {
        return variable;
    }

    @DataBoundSetter
    public void setVariable(@CheckForNull String variable) {
        String trimmed = Util.fixEmptyAndTrim(variable);
        this.variable = trimmed == null ? DEFAULT_VARIABLE : trimmed;
    }

    /** When set, Zendesk is asked to expire the token after this many minutes, should revocation ever fail. */
    @CheckForNull
    public Integer getLifetimeMinutes() {
        return lifetimeMinutes;
    }

    @DataBoundSetter
    public void setLifetimeMinutes(@CheckForNull Integer lifetimeMinutes) {
        this.lifetimeMinutes = lifetimeMinutes;
    }

    /** The public variable holding the token id. */
    @NonNull
    public String getIdVariable() {
        return variable + ID_SUFFIX;
    }

    @Override
    public Set<String> variables(@NonNull Run<?, ?> build) {
        return Collections.singleton(variable);
    }

    @Override
    public MultiEnvironment bind(@NonNull Run<?, ?> build, @CheckForNull FilePath workspace, @CheckForNull Launcher launcher,
                                 @NonNull TaskListener listener) throws IOException, InterruptedException {
        validateVariable(variable);
        ZendeskAdminCredentials credentials = lookUp(build);
        TokenLease lease;
        String owner = build.getExternalizableId();
        try {
            ZendeskSite site = ZendeskBrokerService.site(credentials.getSite());
            ScopeSet requested = resolveScopes(scopes, credentials);
            Optional<ScopeSet> ceiling = ceilingOf(credentials);
            OAuthClientRef client = OAuthClientRef.parse(credentials.getClient());
            Optional<Duration> lifetime = lifetime(lifetimeMinutes);
            AdminAuth auth = credentials.adminAuth(SecretTextResolver.forRun(build));
            LeaseRequest request = new LeaseRequest(site, auth, client, requested, ceiling, lifetime, owner,
                    authority(getCredentialsId(), build.getParent().getFullName()));
            // lease() checks scopes, ceiling and lifetime before any HTTP call.
            lease = ZendeskBrokerService.get().broker().lease(request);
        } catch (MintOutcomeUnknownException e) {
            throw new AbortException(Messages.ZendeskOAuthTokenBinding_mintOutcomeUnknown(e.getMessage()));
        } catch (ZendeskException e) {
            // Broker messages name the field and the fix and carry no secret: no stack trace needed.
            throw new AbortException(e.getMessage());
        }
        long tokenId = lease.token().id();
        try {
            listener.getLogger().println(Messages.ZendeskOAuthTokenBinding_minted(Long.toString(tokenId),
                    lease.token().scopes().toString(), lease.site().toString(), Long.toString(lease.mintTook().toMillis())));
            Map<String, String> secretValues = new LinkedHashMap<>();
            secretValues.put(variable, lease.token().value().reveal());
            Map<String, String> publicValues = new LinkedHashMap<>();
            publicValues.put(URL_VARIABLE, lease.site().toString());
            publicValues.put(getIdVariable(), Long.toString(tokenId));
            return new MultiEnvironment(secretValues, publicValues,
                    new UnbinderImpl(lease.site().toString(), tokenId, lease.entryId(), getCredentialsId(), owner));
        } catch (RuntimeException | Error e) {
            // Nobody will hold this token: revoke it now (a failed revocation stays in the ledger).
            lease.revoke();
            throw e;
        }
    }

    private ZendeskAdminCredentials lookUp(Run<?, ?> build) throws AbortException {
        String id = Util.fixEmptyAndTrim(getCredentialsId());
        if (id == null) {
            throw new AbortException(Messages.ZendeskOAuthTokenBinding_noCredentialsId());
        }
        try {
            // Finds the credential in the run's context as the run's authentication and tracks its use.
            return getCredentials(build);
        } catch (CredentialNotFoundException e) {
            throw new AbortException(Messages.ZendeskOAuthTokenBinding_credentialNotFound(e.getMessage()));
        }
    }

    // ------------------------------------------------------------------ helpers shared with the step

    /** Flattens entries and splits them on spaces and commas; drops blanks. Keeps the order given. */
    @NonNull
    static List<String> normalizeScopes(@CheckForNull Collection<String> scopes) {
        List<String> result = new ArrayList<>();
        if (scopes != null) {
            for (String entry : scopes) {
                if (entry == null) {
                    continue;
                }
                for (String part : entry.trim().split("[\\s,]+")) {
                    if (!part.isEmpty() && !result.contains(part)) {
                        result.add(part);
                    }
                }
            }
        }
        return result;
    }

    /**
     * The scopes to mint with: the requested ones, else the credential's default scopes.
     *
     * @throws ZendeskInputException naming {@code scopes} when neither is set or a scope is invalid
     */
    @NonNull
    static ScopeSet resolveScopes(@NonNull List<String> requested, @NonNull ZendeskAdminCredentials credentials) {
        if (!requested.isEmpty()) {
            return ScopeSet.parse(requested, "scopes");
        }
        ScopeSet defaults = ScopeSet.parse(credentials.getDefaultScopes(), "defaultScopes");
        if (defaults.isEmpty()) {
            throw new ZendeskInputException("scopes", Messages.ZendeskOAuthTokenBinding_noScopes(credentials.getId()));
        }
        return defaults;
    }

    @NonNull
    static Optional<ScopeSet> ceilingOf(@NonNull ZendeskAdminCredentials credentials) {
        ScopeSet ceiling = ScopeSet.parse(credentials.getAllowedScopes(), "allowedScopes");
        return ceiling.isEmpty() ? Optional.empty() : Optional.of(ceiling);
    }

    @NonNull
    static Optional<Duration> lifetime(@CheckForNull Integer minutes) {
        if (minutes == null) {
            return Optional.empty();
        }
        if (minutes <= 0) {
            throw new ZendeskInputException("lifetimeMinutes", Messages.ZendeskOAuthTokenBinding_badLifetime(minutes.toString()));
        }
        return Optional.of(Duration.ofMinutes(minutes));
    }

    /**
     * @throws AbortException naming {@code variable} when it is not a usable environment variable name
     */
    static void validateVariable(String variable) throws AbortException {
        if (variable == null || !VARIABLE_NAME.matcher(variable).matches() || variable.equals(URL_VARIABLE)) {
            throw new AbortException("variable: " + Messages.ZendeskOAuthTokenBinding_badVariable(variable, URL_VARIABLE));
        }
    }

    // ------------------------------------------------------------------ authority (for the sweeper)

    /**
     * The ledger authority of a lease: where the sweeper finds the admin credential again. Format
     * (version 1): {@code jenkins:<credentialsId>@<itemFullName>}, both parts URL-encoded (UTF-8) so
     * that neither can contain {@code @}. The sweeper should look the item up with
     * {@code Jenkins.get().getItemByFullName(itemFullName)} and the credential in that item's context
     * as SYSTEM ({@link SecretTextResolver#forItemAsSystem}), and refuse it unless its site equals
     * the ledger entry's site.
     */
    @NonNull
    public static String authority(@NonNull String credentialsId, @NonNull String itemFullName) {
        return AUTHORITY_PREFIX + URLEncoder.encode(credentialsId, StandardCharsets.UTF_8) + "@"
                + URLEncoder.encode(itemFullName, StandardCharsets.UTF_8);
    }

    /** Parses {@link #authority(String, String)}; empty for anything else (e.g. an edited ledger). */
    @NonNull
    public static Optional<Authority> parseAuthority(@CheckForNull String authority) {
        if (authority == null || !authority.startsWith(AUTHORITY_PREFIX)) {
            return Optional.empty();
        }
        String rest = authority.substring(AUTHORITY_PREFIX.length());
        int at = rest.indexOf('@');
        if (at <= 0 || at != rest.lastIndexOf('@')) {
            return Optional.empty();
        }
        try {
            String credentialsId = URLDecoder.decode(rest.substring(0, at), StandardCharsets.UTF_8);
            String item = URLDecoder.decode(rest.substring(at + 1), StandardCharsets.UTF_8);
            return credentialsId.isEmpty() ? Optional.empty() : Optional.of(new Authority(credentialsId, item));
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }

    /**
     * A parsed ledger authority.
     *
     * @param credentialsId the admin credential's id
     * @param itemFullName  full name of the job whose run minted the token, e.g. {@code folder/job}
     */
    public record Authority(@NonNull String credentialsId, @NonNull String itemFullName) {
    }

    // ------------------------------------------------------------------ unbinding

    /**
     * Revokes the token at the end of the block. Serialized with the Pipeline program (and so it
     * survives a controller restart): holds only ids and the site, never the token nor any secret.
     * It re-resolves the admin credential from the run, because nothing else survives a restart.
     */
    private static final class UnbinderImpl implements Unbinder {
        @Serial
        private static final long serialVersionUID = 1L;

        private final String site;
        private final long tokenId;
        private final String entryId;
        private final String credentialsId;
        private final String owner;

        UnbinderImpl(String site, long tokenId, String entryId, String credentialsId, String owner) {
            this.site = site;
            this.tokenId = tokenId;
            this.entryId = entryId;
            this.credentialsId = credentialsId;
            this.owner = owner;
        }

        @Override
        public void unbind(@NonNull Run<?, ?> build, @CheckForNull FilePath workspace, @CheckForNull Launcher launcher,
                           @NonNull TaskListener listener) throws IOException, InterruptedException {
            TokenBroker broker = ZendeskBrokerService.get().broker();
            AdminAuth auth;
            ZendeskSite zendeskSite;
            try {
                zendeskSite = ZendeskBrokerService.site(site);
                ZendeskAdminCredentials credentials = CredentialsProvider.findCredentialById(credentialsId, ZendeskAdminCredentials.class, build);
                if (credentials == null) {
                    leaveToSweeper(broker, listener, Messages.ZendeskOAuthTokenBinding_unbindNoCredential(credentialsId));
                    return;
                }
                // Never send the admin credential to another site than the one the token came from.
                if (!ZendeskBrokerService.site(credentials.getSite()).equals(zendeskSite)) {
                    leaveToSweeper(broker, listener, Messages.ZendeskOAuthTokenBinding_unbindSiteChanged(credentialsId, site));
                    return;
                }
                auth = credentials.adminAuth(SecretTextResolver.forRun(build));
            } catch (ZendeskException e) {
                leaveToSweeper(broker, listener, e.getMessage());
                return;
            }
            // Never throws for Zendesk failures: a failed revocation stays in the ledger for the sweeper.
            RevocationOutcome outcome = broker.revoke(zendeskSite, auth, tokenId, entryId, owner);
            if (outcome.revoked()) {
                listener.getLogger().println(outcome.alreadyGone()
                        ? Messages.ZendeskOAuthTokenBinding_alreadyRevoked(Long.toString(tokenId), Long.toString(outcome.took().toMillis()))
                        : Messages.ZendeskOAuthTokenBinding_revoked(Long.toString(tokenId), Long.toString(outcome.took().toMillis())));
            } else {
                listener.getLogger().println(Messages.ZendeskOAuthTokenBinding_revokeFailed(Long.toString(tokenId), outcome.error().orElse("")));
            }
        }

        /** The credential is unusable here: mark the entry for the sweeper (and the admin's page) and say so. */
        private void leaveToSweeper(TokenBroker broker, TaskListener listener, String why) {
            try {
                broker.ledger().recordFailure(entryId, LedgerEntry.State.REVOKE_PENDING, why, Instant.now());
            } catch (RuntimeException e) {
                LOGGER.log(Level.WARNING, "could not mark Zendesk token " + tokenId + " for the sweeper", e);
            }
            listener.getLogger().println(Messages.ZendeskOAuthTokenBinding_revokeFailed(Long.toString(tokenId), why));
        }
    }

    // ------------------------------------------------------------------ descriptor

    @Symbol("zendeskOAuthToken")
    @Extension
    public static class DescriptorImpl extends BindingDescriptor<ZendeskAdminCredentials> {

        @Override
        protected Class<ZendeskAdminCredentials> type() {
            return ZendeskAdminCredentials.class;
        }

        /** Minting and revoking happen on the controller: no workspace, so it works outside {@code node}. */
        @Override
        public boolean requiresWorkspace() {
            return false;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.ZendeskOAuthTokenBinding_displayName();
        }
    }
}
