package io.jenkins.plugins.zendesk.oauth.impl;

import com.cloudbees.plugins.credentials.ContextInPath;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.ModelObject;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import hudson.util.Secret;
import io.jenkins.plugins.zendesk.oauth.SecretTextResolver;
import io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth;
import io.jenkins.plugins.zendesk.oauth.broker.value.SecretValue;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskInputException;
import java.time.Duration;
import org.jenkinsci.Symbol;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * OAuth client credentials of a confidential Zendesk OAuth client: the lasting way for unattended
 * jobs, and the default kind. Jenkins exchanges them for short-lived control tokens (memory only)
 * with which it mints and revokes block tokens. The secret is stored encrypted, or kept in a
 * Secret text credential referred to by id. No admin email is needed: the tokens act as the admin
 * who owns the client.
 */
public final class ClientCredentialsAuthentication extends ZendeskAuthentication {
    private static final long serialVersionUID = 1L;
    static final String SECRET_FIELD = "authentication.clientSecret";
    static final String SECRET_CREDENTIAL_FIELD = "authentication.clientSecretCredentialsId";
    static final String MINUTES_FIELD = "authentication.controlTokenMinutes";

    private final String clientId;
    private Secret clientSecret;
    private String clientSecretCredentialsId;
    private Integer controlTokenMinutes;

    @DataBoundConstructor
    public ClientCredentialsAuthentication(@CheckForNull String clientId) {
        this.clientId = Util.fixEmptyAndTrim(clientId);
    }

    /** The OAuth client's unique identifier (not its numeric id). */
    @CheckForNull
    public String getClientId() {
        return clientId;
    }

    @CheckForNull
    public Secret getClientSecret() {
        return clientSecret;
    }

    @DataBoundSetter
    public void setClientSecret(@CheckForNull Secret clientSecret) {
        this.clientSecret = clientSecret == null || clientSecret.getPlainText().isBlank() ? null : clientSecret;
    }

    /** A Secret text credential holding the client secret, instead of {@link #getClientSecret()}. */
    @CheckForNull
    public String getClientSecretCredentialsId() {
        return clientSecretCredentialsId;
    }

    @DataBoundSetter
    public void setClientSecretCredentialsId(@CheckForNull String clientSecretCredentialsId) {
        this.clientSecretCredentialsId = Util.fixEmptyAndTrim(clientSecretCredentialsId);
    }

    /** How long a control token is asked to live, in minutes; null for the default (15). */
    @CheckForNull
    public Integer getControlTokenMinutes() {
        return controlTokenMinutes;
    }

    @DataBoundSetter
    public void setControlTokenMinutes(@CheckForNull Integer controlTokenMinutes) {
        this.controlTokenMinutes = controlTokenMinutes;
    }

    /** Why {@code text} is no control token lifetime (a whole number of minutes in Zendesk's bounds), or null. */
    @CheckForNull
    static String minutesProblem(@NonNull String text) {
        if (text.length() > 6 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Messages.ClientCredentialsAuthentication_minutesNotANumber();
        }
        try {
            new AdminAuth.ClientCredentials("form-validation-only", SecretValue.of("form-validation-only"),
                    Duration.ofMinutes(Long.parseLong(text)));
            return null;
        } catch (ZendeskInputException e) {
            return Messages.ClientCredentialsAuthentication_minutesNotANumber();
        }
    }

    @NonNull
    @Override
    public AdminAuth toAdminAuth(@CheckForNull String email, @NonNull SecretTextResolver secrets) {
        SecretValue secret;
        if (clientSecretCredentialsId != null && clientSecret != null) {
            throw new ZendeskInputException(SECRET_FIELD, Messages.ClientCredentialsAuthentication_bothSecrets());
        } else if (clientSecretCredentialsId != null) {
            secret = secretText(secrets, clientSecretCredentialsId, SECRET_CREDENTIAL_FIELD, Messages.ZendeskAuthentication_what_clientSecret());
        } else {
            secret = required(clientSecret, SECRET_FIELD, Messages.ZendeskAuthentication_what_clientSecret());
        }
        Duration lifetime = controlTokenMinutes == null ? AdminAuth.ClientCredentials.DEFAULT_LIFETIME : Duration.ofMinutes(controlTokenMinutes);
        return new AdminAuth.ClientCredentials(clientId, secret, lifetime);
    }

    @Override
    public String defaultMintingClient() {
        return clientId;
    }

    /** Readers of older forms: an empty secret arrives as null. */
    private Object readResolve() {
        setClientSecret(clientSecret);
        return this;
    }

    @Extension(ordinal = 50) // first in the drop-down, so the default for new credentials: the lasting kind
    @Symbol("clientCredentials")
    public static final class DescriptorImpl extends ZendeskAuthenticationDescriptor {
        public DescriptorImpl() {
            // No email: the tokens act as the admin who owns the client.
            super(null, "site", "client", "clientId", "clientSecret", "clientSecretCredentialsId", "controlTokenMinutes");
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.ClientCredentialsAuthentication_displayName();
        }

        @POST
        @Restricted(NoExternalUse.class)
        public ListBoxModel doFillClientSecretCredentialsIdItems(@ContextInPath ModelObject context,
                                                                  @QueryParameter String clientSecretCredentialsId) {
            return ContextPermissions.secretTextItems(context, clientSecretCredentialsId);
        }

        @POST
        @Restricted(NoExternalUse.class)
        public FormValidation doCheckControlTokenMinutes(@ContextInPath ModelObject context, @QueryParameter String value) {
            ContextPermissions.checkConfigure(context);
            String text = CredentialFieldChecks.trimmedUnlessLong(value);
            String problem = text == null ? null : minutesProblem(text);
            return problem == null ? FormValidation.ok() : FormValidation.error(problem);
        }

        /** The unique identifier, as you type: a numeric id or a display name is called what it is. */
        @POST
        @Restricted(NoExternalUse.class)
        public FormValidation doCheckClientId(@ContextInPath ModelObject context, @QueryParameter String value) {
            ContextPermissions.checkConfigure(context);
            String text = CredentialFieldChecks.trimmedUnlessLong(value);
            if (text == null) {
                return FormValidation.ok();
            }
            String mistake = CredentialErrorText.identifierMistake(text);
            if (mistake != null) {
                // Digits only may, rarely, be a real identifier: a warning. A space or other character never is.
                return text.chars().allMatch(Character::isDigit) ? FormValidation.warning(mistake) : FormValidation.error(mistake);
            }
            try {
                new AdminAuth.ClientCredentials(value, SecretValue.of("form-validation-only"), null);
                return FormValidation.ok();
            } catch (ZendeskInputException e) {
                return FormValidation.error(CredentialErrorText.forForm(e));
            }
        }

        @NonNull
        @Override
        ZendeskAuthentication fromForm(@NonNull Form form) {
            String minutes = form.trimmed("controlTokenMinutes");
            String problem = minutes == null ? null : minutesProblem(minutes);
            if (problem != null) {
                throw new ZendeskInputException(MINUTES_FIELD, problem);
            }
            ClientCredentialsAuthentication authentication = new ClientCredentialsAuthentication(form.text("clientId"));
            authentication.setClientSecret(form.secret(SECRET_FIELD, ClientCredentialsAuthentication.class,
                    ClientCredentialsAuthentication::getClientSecret));
            authentication.setClientSecretCredentialsId(form.text("clientSecretCredentialsId"));
            authentication.setControlTokenMinutes(minutes == null ? null : Integer.valueOf(minutes));
            return authentication;
        }
    }
}
