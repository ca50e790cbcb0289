package io.jenkins.plugins.zendesk.oauth.impl;

import com.cloudbees.plugins.credentials.ContextInPath;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.impl.BaseStandardCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Descriptor;
import hudson.model.ModelObject;
import hudson.util.FormValidation;
import io.jenkins.plugins.zendesk.oauth.SecretTextResolver;
import io.jenkins.plugins.zendesk.oauth.ZendeskAdminCredentials;
import io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth;
import io.jenkins.plugins.zendesk.oauth.broker.value.OAuthClientRef;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskInputException;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundResolvable;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * A Zendesk admin credential: the site, the admin's email and authentication, the OAuth client
 * to mint with, and the scopes pipelines may ask for. Stored in {@code credentials.xml} with
 * every secret as {@link hudson.util.Secret}; no job can bind it directly, only tokens minted from it.
 */
public final class ZendeskAdminCredentialsImpl extends BaseStandardCredentials implements ZendeskAdminCredentials, DataBoundResolvable {
    private static final long serialVersionUID = 1L;

    private final String site;
    private final String email;
    private final ZendeskAuthentication authentication;
    private final String client;
    private String allowedScopes = "";
    private String defaultScopes = "";

    /**
     * Nothing is validated here, so that a credential that became invalid (e.g. a host policy
     * change) still loads and can be fixed; the form checks each field and every use fails with
     * a message naming the field.
     */
    @DataBoundConstructor
    public ZendeskAdminCredentialsImpl(@CheckForNull CredentialsScope scope, @CheckForNull String id, @CheckForNull String description,
                                       @CheckForNull String site, @CheckForNull String email,
                                       @CheckForNull ZendeskAuthentication authentication, @CheckForNull String client) {
        super(scope, id, description);
        this.site = Util.fixNull(site).trim();
        this.email = Util.fixNull(email).trim();
        this.authentication = authentication;
        this.client = Util.fixNull(client).trim();
    }

    @NonNull
    @Override
    public String getSite() {
        return Util.fixNull(site);
    }

    @NonNull
    public String getEmail() {
        return Util.fixNull(email);
    }

    @CheckForNull
    public ZendeskAuthentication getAuthentication() {
        return authentication;
    }

    @NonNull
    @Override
    public String getClient() {
        return Util.fixNull(client);
    }

    @NonNull
    @Override
    public String getAllowedScopes() {
        return Util.fixNull(allowedScopes);
    }

    /**
     * The scope ceiling, normalized (validated, deduplicated, sorted).
     *
     * @throws IllegalArgumentException naming the field when a scope is not valid
     */
    @DataBoundSetter
    public void setAllowedScopes(@CheckForNull String allowedScopes) {
        String normalized = SaveChecks.scopes(allowedScopes, "allowedScopes");
        SaveChecks.requireDefaultsWithin(getDefaultScopes(), normalized);
        this.allowedScopes = normalized;
    }

    @NonNull
    @Override
    public String getDefaultScopes() {
        return Util.fixNull(defaultScopes);
    }

    /**
     * The scopes used when a step names none, normalized. Both scope setters check the defaults
     * against the ceiling (whichever runs second sees both: setters run in no fixed order); a
     * token request checks them again.
     *
     * @throws IllegalArgumentException naming the field when a scope is not valid or outside the allowed scopes
     */
    @DataBoundSetter
    public void setDefaultScopes(@CheckForNull String defaultScopes) {
        // Only well-formed here: a scope the catalogue does not know is valid when the allowed scopes name it.
        // Each mint checks the defaults against the catalogue and the allowed scopes again.
        String normalized = SaveChecks.scopes(defaultScopes, "defaultScopes");
        SaveChecks.requireDefaultsWithin(normalized, getAllowedScopes());
        this.defaultScopes = normalized;
    }

    @NonNull
    @Override
    public AdminAuth adminAuth(@NonNull SecretTextResolver secrets) {
        if (authentication == null) {
            throw new ZendeskInputException("authentication", Messages.ZendeskAdminCredentialsImpl_noAuthentication(getId()));
        }
        return authentication.toAdminAuth(email, secrets);
    }

    /**
     * The OAuth client that mints block tokens: the credential's client field, or, when it is empty,
     * the authentication's own client (OAuth client credentials).
     *
     * @throws ZendeskInputException naming {@code client} when neither is set or the field is invalid
     */
    @NonNull
    @Override
    public OAuthClientRef mintingClient() {
        return authentication == null ? OAuthClientRef.parse(client) : authentication.mintingClient(client);
    }

    @CheckForNull
    @Override
    public String deprecationNotice() {
        return authentication == null ? null : authentication.deprecationNotice();
    }

    /**
     * Refuses a form that cannot be saved, naming the field: default scopes outside the allowed
     * scopes, and a control token lifetime that is no whole number (which Stapler would otherwise
     * turn into the default without a word). Called by Stapler after the setters, with the submitted
     * JSON; Jenkins ignores exceptions from setters and from a nested {@code newInstance}, not from here.
     *
     * @throws FieldRefusal rendered as Jenkins' form error page
     */
    @Override
    public Object bindResolve(StaplerRequest2 request, JSONObject src) {
        SaveChecks.check(src, authentication);
        return this;
    }

    /** Fields added in later versions are null in older {@code credentials.xml}. */
    private Object readResolve() {
        if (allowedScopes == null) {
            allowedScopes = "";
        }
        if (defaultScopes == null) {
            defaultScopes = "";
        }
        return this;
    }

    @Extension
    @Symbol("zendeskAdmin")
    public static final class DescriptorImpl extends BaseStandardCredentialsDescriptor {

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.ZendeskAdminCredentialsImpl_displayName();
        }

        @Override
        public String getIconClassName() {
            return "symbol-credentials plugin-credentials";
        }

        /**
         * The kinds of admin authentication for the drop-down. Password is offered only to a
         * credential that already uses it (Zendesk switched password access off), so that it can
         * still be shown and changed.
         */
        public List<Descriptor<ZendeskAuthentication>> getAuthenticationDescriptors(@CheckForNull ZendeskAdminCredentialsImpl instance) {
            boolean usesPassword = instance != null && instance.getAuthentication() instanceof PasswordAuthentication;
            List<Descriptor<ZendeskAuthentication>> kinds = new ArrayList<>();
            for (Descriptor<ZendeskAuthentication> d : Jenkins.get().getDescriptorList(ZendeskAuthentication.class)) {
                if (usesPassword || !(d instanceof PasswordAuthentication.DescriptorImpl)) {
                    kinds.add(d);
                }
            }
            return kinds;
        }

        @POST
        @Restricted(NoExternalUse.class)
        public FormValidation doCheckSite(@ContextInPath ModelObject context, @QueryParameter String value) {
            return CredentialFieldChecks.guarded(context, () -> CredentialFieldChecks.site(value), "value");
        }

        @POST
        @Restricted(NoExternalUse.class)
        public FormValidation doCheckEmail(@ContextInPath ModelObject context, @QueryParameter String value) {
            return CredentialFieldChecks.guarded(context, () -> CredentialFieldChecks.email(value), "value");
        }

        @POST
        @Restricted(NoExternalUse.class)
        public FormValidation doCheckClient(@ContextInPath ModelObject context, @QueryParameter String value) {
            return CredentialFieldChecks.guarded(context, () -> CredentialFieldChecks.client(value), "value");
        }

        @POST
        @Restricted(NoExternalUse.class)
        public FormValidation doCheckAllowedScopes(@ContextInPath ModelObject context, @QueryParameter String value) {
            return CredentialFieldChecks.guarded(context, () -> CredentialFieldChecks.allowedScopes(value), "value");
        }

        @POST
        @Restricted(NoExternalUse.class)
        public FormValidation doCheckDefaultScopes(@ContextInPath ModelObject context, @QueryParameter String value,
                                                   @QueryParameter String allowedScopes) {
            return CredentialFieldChecks.guarded(context, () -> CredentialFieldChecks.defaultScopes(value, allowedScopes), "value",
                    "allowedScopes");
        }
    }
}
