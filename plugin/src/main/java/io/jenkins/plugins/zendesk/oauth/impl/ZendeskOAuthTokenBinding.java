package io.jenkins.plugins.zendesk.oauth.impl;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.zendesk.oauth.ZendeskAdminCredentials;
import io.jenkins.plugins.zendesk.oauth.ZendeskBrokerService;
import io.jenkins.plugins.zendesk.oauth.ZendeskTokenGlobalConfiguration;
import io.jenkins.plugins.zendesk.oauth.broker.lease.TokenLease;
import io.jenkins.plugins.zendesk.oauth.broker.value.Sentences;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskException;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.MintOutcomeUnknownException;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.credentialsbinding.BindingDescriptor;
import org.jenkinsci.plugins.credentialsbinding.MultiBinding;
import org.jenkinsci.plugins.credentialsbinding.impl.CredentialNotFoundException;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.verb.POST;

/**
 * Binds a freshly minted, scoped Zendesk OAuth access token to an environment variable for the
 * duration of a block ({@code withCredentials([zendeskOAuthToken(...)])}, {@code withZendeskToken},
 * or the freestyle "Use secret text(s) or file(s)" wrapper), and revokes it when the block ends.
 *
 * <p>Everything that can be checked without Zendesk (credential type, site, client, scope grammar,
 * scope ceiling, variable name) is checked before the first HTTP call. The token value
 * lives only in the returned environment; the {@link Unbinder} keeps ids, never the token.
 */
public class ZendeskOAuthTokenBinding extends MultiBinding<ZendeskAdminCredentials> {

    /** Default name of the secret variable. */
    public static final String DEFAULT_VARIABLE = "ZENDESK_OAUTH_TOKEN";
    /** Public variable holding the site's origin, e.g. {@code https://acme.zendesk.com}. */
    public static final String URL_VARIABLE = "ZENDESK_URL";
    /** Suffix of the public variable holding the token id: {@code <variable>_ID}. */
    public static final String ID_SUFFIX = "_ID";
    /** Suffix of the public variable naming the file that holds the current token ({@code withZendeskToken} inside {@code node}): {@code <variable>_FILE}. */
    public static final String FILE_SUFFIX = "_FILE";
    /** Suffix of the public variable holding the token's expiry (ISO-8601), when Zendesk reports one: {@code <variable>_EXPIRES_AT}. */
    public static final String EXPIRES_AT_SUFFIX = "_EXPIRES_AT";

    private List<String> scopes = Collections.emptyList();
    /** Why the scopes given cannot be used, reported when the block starts (a setter that throws shows a stack trace). */
    private transient String scopesError;
    private String variable = DEFAULT_VARIABLE;

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
     * Accepts a list ({@code ['tickets:read', 'users:read']}) or one space- or comma-separated
     * string ({@code 'tickets:read users:read'}, also what the configuration form sends).
     */
    @DataBoundSetter
    public void setScopes(@CheckForNull Object scopes) {
        try {
            this.scopes = BlockInput.scopesFrom(scopes);
            this.scopesError = null;
        } catch (IllegalArgumentException e) {
            this.scopes = Collections.emptyList();
            this.scopesError = e.getMessage();
        }
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
        this.variable = BlockInput.variableOrDefault(variable);
    }

    /**
     * Checks what can be checked without Zendesk, then finds the credential in the run's context
     * (as the run's authentication, tracking its use).
     *
     * @throws AbortException naming the field and the fix
     */
    @NonNull
    RunToken runToken(@NonNull Run<?, ?> build) throws AbortException {
        requireUsableScopes();
        BlockInput.validateVariable(variable);
        return new RunToken(build, getCredentialsId(), lookUp(build));
    }

    /** @throws AbortException saying why the scopes given cannot be used, naming the field */
    void requireUsableScopes() throws AbortException {
        if (scopesError != null) {
            throw new AbortException(scopesError);
        }
    }

    /** The public variable holding the token id. */
    @NonNull
    public String getIdVariable() {
        return variable + ID_SUFFIX;
    }

    /** The public variable holding the token's expiry, set when Zendesk reports one. */
    @NonNull
    public String getExpiresAtVariable() {
        return variable + EXPIRES_AT_SUFFIX;
    }

    @Override
    public Set<String> variables(@NonNull Run<?, ?> build) {
        return Collections.singleton(variable);
    }

    /**
     * Mints one token for the block, which is not renewed: the {@code MultiBinding} API fixes the
     * environment and the masking when the block starts, so a successor could be neither seen nor
     * masked. Long blocks use {@code withZendeskToken}, which renews.
     */
    @Override
    public MultiEnvironment bind(@NonNull Run<?, ?> build, @CheckForNull FilePath workspace, @CheckForNull Launcher launcher,
                                 @NonNull TaskListener listener) throws IOException, InterruptedException {
        RunToken runToken = runToken(build);
        // Before the mint: when Zendesk has already retired this kind of authentication, the mint fails and this is the explanation.
        DeprecationNotice.oncePerBuild(build, listener, getCredentialsId(), runToken.credentials().deprecationNotice());
        TokenLease lease;
        try {
            // lease() checks scopes and ceiling before any HTTP call.
            BlockProgress progress = new BlockProgress(listener);
            lease = ZendeskBrokerService.get().broker().lease(runToken.request(scopes),
                    ZendeskTokenGlobalConfiguration.get().buildAdmission().observedBy(progress), progress);
        } catch (MintOutcomeUnknownException e) {
            throw new AbortException(Messages.ZendeskOAuthTokenBinding_mintOutcomeUnknown(e.getMessage()));
        } catch (ZendeskException e) {
            // Broker messages name the field and the fix and carry no secret: no stack trace needed.
            throw new AbortException(CredentialErrorText.forBuild(getCredentialsId(), runToken.credentials(), e, scopes.isEmpty()));
        }
        long tokenId = lease.token().id();
        try {
            RunToken.printMinted(listener, lease.site(), lease.token(), lease.mintTook());
            if (lease.token().expiresAt().isPresent()) {
                listener.getLogger().println(Messages.ZendeskOAuthTokenBinding_notRenewed());
            }
            Map<String, String> secretValues = new LinkedHashMap<>();
            secretValues.put(variable, lease.token().value().reveal());
            Map<String, String> publicValues = new LinkedHashMap<>();
            publicValues.put(URL_VARIABLE, lease.site().toString());
            publicValues.put(getIdVariable(), Long.toString(tokenId));
            lease.token().expiresAt().ifPresent(at -> publicValues.put(getExpiresAtVariable(), at.toString()));
            return new MultiEnvironment(secretValues, publicValues,
                    new TokenUnbinder(lease.site().toString(), tokenId, lease.entryId(), getCredentialsId(), RunToken.owner(build)));
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
            throw new AbortException(Messages.ZendeskOAuthTokenBinding_credentialNotFound(Sentences.end(e.getMessage())));
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

        /**
         * credentials-binding's list (nothing without Item/Configure), answering only the POST that the
         * form's drop-down sends, like the step's own list.
         */
        @Override
        @POST
        @Restricted(NoExternalUse.class)
        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item) {
            return super.doFillCredentialsIdItems(item);
        }
    }
}
