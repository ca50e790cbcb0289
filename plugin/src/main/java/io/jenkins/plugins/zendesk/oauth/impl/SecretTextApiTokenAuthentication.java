package io.jenkins.plugins.zendesk.oauth.impl;

import com.cloudbees.plugins.credentials.ContextInPath;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.ModelObject;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.zendesk.oauth.SecretTextResolver;
import io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth;
import org.jenkinsci.Symbol;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * The API token kept in an existing <em>Secret text</em> credential, referred to by id, so that
 * one token can be rotated in one place. Sent like {@link ApiTokenAuthentication}, and retired
 * with it. The reference is resolved where the token is used: in a build, with the build's authentication.
 */
public final class SecretTextApiTokenAuthentication extends ZendeskAuthentication {
    private static final long serialVersionUID = 1L;

    static final String FIELD = "authentication.credentialsId";

    private final String credentialsId;

    @DataBoundConstructor
    public SecretTextApiTokenAuthentication(@CheckForNull String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    @CheckForNull
    public String getCredentialsId() {
        return credentialsId;
    }

    @NonNull
    @Override
    public AdminAuth toAdminAuth(@CheckForNull String email, @NonNull SecretTextResolver secrets) {
        return new AdminAuth.ApiToken(email, secretText(secrets, credentialsId, FIELD, Messages.ZendeskAuthentication_what_apiToken()));
    }

    @Extension(ordinal = 30)
    @Symbol("apiTokenCredential")
    public static final class DescriptorImpl extends ZendeskAuthenticationDescriptor {
        public DescriptorImpl() {
            super(Messages._ApiTokenAuthentication_deprecated(), "site", "email", "client", "credentialsId");
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.SecretTextApiTokenAuthentication_displayName();
        }

        /**
         * The Secret text credentials a job in the store's context can use. Without the right to
         * configure credentials there and to use them, only the current value is echoed back.
         */
        @POST
        @Restricted(NoExternalUse.class)
        public ListBoxModel doFillCredentialsIdItems(@ContextInPath ModelObject context, @QueryParameter String credentialsId) {
            return ContextPermissions.secretTextItems(context, credentialsId);
        }

        @NonNull
        @Override
        ZendeskAuthentication fromForm(@NonNull Form form) {
            return new SecretTextApiTokenAuthentication(form.text("credentialsId"));
        }
    }
}
