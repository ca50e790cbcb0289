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
import io.jenkins.plugins.zendesk.oauth.ZendeskBrokerService;
import io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth;
import io.jenkins.plugins.zendesk.oauth.broker.value.OAuthClientRef;
import io.jenkins.plugins.zendesk.oauth.broker.value.ScopeCatalogue;
import io.jenkins.plugins.zendesk.oauth.broker.value.ScopeSet;
import io.jenkins.plugins.zendesk.oauth.broker.value.SecretValue;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskInputException;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskSite;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A Zendesk admin credential: the site, the admin's email and authentication, the OAuth client
 * to mint with, and the scopes pipelines may ask for. Stored in {@code credentials.xml} with
 * every secret as {@link hudson.util.Secret}; no job can bind it directly, only tokens minted from it.
 */
public final class ZendeskAdminCredentialsImpl extends BaseStandardCredentials implements ZendeskAdminCredentials {
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
        this.allowedScopes = normalizeScopes(allowedScopes, "allowedScopes");
    }

    @NonNull
    @Override
    public String getDefaultScopes() {
        return Util.fixNull(defaultScopes);
    }

    /**
     * The scopes used when a step names none, normalized. Checked against the ceiling when a
     * token is requested (and in the form), not here: setters run in no fixed order.
     *
     * @throws IllegalArgumentException naming the field when a scope is not valid
     */
    @DataBoundSetter
    public void setDefaultScopes(@CheckForNull String defaultScopes) {
        // Only well-formed here: a scope the catalogue does not know is valid when the allowed scopes name it,
        // and setters run in no fixed order. Each mint checks the defaults against the allowed scopes.
        this.defaultScopes = normalizeScopes(defaultScopes, "defaultScopes");
    }

    @NonNull
    @Override
    public AdminAuth adminAuth(@NonNull SecretTextResolver secrets) {
        if (authentication == null) {
            throw new ZendeskInputException("authentication", "the credential '" + getId() + "' has no authentication; "
                    + "choose OAuth client credentials");
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

    /** Well-formed scopes, normalized; whether the catalogue knows them is checked where they are used. */
    private static String normalizeScopes(@CheckForNull String text, String field) {
        try {
            return ScopeSet.parseAllowed(text, field).toString();
        } catch (ZendeskInputException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
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
        public FormValidation doCheckSite(@ContextInPath ModelObject context, @QueryParameter String value) {
            ContextPermissions.checkConfigure(context);
            try {
                ZendeskSite parsed = ZendeskBrokerService.site(value);
                return FormValidation.ok(Messages.ZendeskAdminCredentialsImpl_siteOk(parsed.toString()));
            } catch (ZendeskInputException e) {
                return FormValidation.error(formMessage(e));
            }
        }

        @POST
        public FormValidation doCheckEmail(@ContextInPath ModelObject context, @QueryParameter String value) {
            ContextPermissions.checkConfigure(context);
            if (Util.fixEmptyAndTrim(value) == null) {
                // OAuth client credentials (the default) and a stored OAuth token need none.
                return FormValidation.ok(Messages.ZendeskAdminCredentialsImpl_emailEmpty());
            }
            try {
                // The broker's own rule, with a placeholder secret that is never sent.
                new AdminAuth.ApiToken(value, SecretValue.of("form-validation-only"));
                return FormValidation.ok();
            } catch (ZendeskInputException e) {
                return FormValidation.error(formMessage(e));
            }
        }

        @POST
        public FormValidation doCheckClient(@ContextInPath ModelObject context, @QueryParameter String value) {
            ContextPermissions.checkConfigure(context);
            if (Util.fixEmptyAndTrim(value) == null) {
                // Which kind is selected is not sent with this field: each use names the field if the kind needs it.
                return FormValidation.ok(Messages.ZendeskAdminCredentialsImpl_clientEmpty());
            }
            try {
                OAuthClientRef ref = OAuthClientRef.parse(value);
                return ref instanceof OAuthClientRef.ById
                        ? FormValidation.ok()
                        : FormValidation.ok(Messages.ZendeskAdminCredentialsImpl_clientByIdentifier());
            } catch (ZendeskInputException e) {
                return FormValidation.error(formMessage(e));
            }
        }

        @POST
        public FormValidation doCheckAllowedScopes(@ContextInPath ModelObject context, @QueryParameter String value) {
            ContextPermissions.checkConfigure(context);
            try {
                ScopeSet ceiling = ScopeSet.parseAllowed(value, "allowedScopes");
                if (ceiling.isEmpty()) {
                    return FormValidation.ok(Messages.ZendeskAdminCredentialsImpl_noCeiling());
                }
                ScopeSet uncatalogued = ceiling.uncatalogued();
                return uncatalogued.isEmpty()
                        ? FormValidation.ok(Messages.ZendeskAdminCredentialsImpl_ceiling(ceiling.toString()))
                        : FormValidation.warning(uncataloguedWarning(uncatalogued, ceiling));
            } catch (ZendeskInputException e) {
                return FormValidation.error(formMessage(e));
            }
        }

        @POST
        public FormValidation doCheckDefaultScopes(@ContextInPath ModelObject context, @QueryParameter String value,
                                                   @QueryParameter String allowedScopes) {
            ContextPermissions.checkConfigure(context);
            ScopeSet ceiling;
            try {
                ceiling = ScopeSet.parseAllowed(allowedScopes, "allowedScopes");
            } catch (ZendeskInputException e) {
                // The allowed scopes field reports its own error; only the catalogue vouches then.
                ceiling = ScopeSet.parse("", "allowedScopes");
            }
            ScopeSet defaults;
            try {
                defaults = ScopeSet.parse(value, "defaultScopes", ceiling);
            } catch (ZendeskInputException e) {
                return FormValidation.error(formMessage(e));
            }
            if (defaults.isEmpty()) {
                return FormValidation.ok(Messages.ZendeskAdminCredentialsImpl_noDefaultScopes());
            }
            if (!ceiling.isEmpty()) {
                try {
                    defaults.requireWithin(ceiling, "defaultScopes");
                } catch (ZendeskInputException e) {
                    return FormValidation.error(formMessage(e));
                }
            }
            return FormValidation.ok();
        }

        /** Allowed scopes the plugin's catalogue does not know: fine if Zendesk added them, a typo otherwise. */
        private static String uncataloguedWarning(ScopeSet uncatalogued, ScopeSet ceiling) {
            List<String> nearest = new ArrayList<>();
            for (String scope : uncatalogued.asStrings()) {
                ScopeCatalogue.standard().closest(scope).ifPresent(nearest::add);
            }
            return nearest.isEmpty()
                    ? Messages.ZendeskAdminCredentialsImpl_uncatalogued(uncatalogued.toString(), ceiling.toString())
                    : Messages.ZendeskAdminCredentialsImpl_uncataloguedSuggest(uncatalogued.toString(), String.join(" ", nearest),
                            ceiling.toString());
        }

        /** The broker's message without its {@code field: } prefix, which the form shows next to the field anyway. */
        private static String formMessage(ZendeskInputException e) {
            String prefix = e.field() + ": ";
            String message = e.getMessage();
            return message != null && message.startsWith(prefix) ? message.substring(prefix.length()) : String.valueOf(message);
        }
    }
}
