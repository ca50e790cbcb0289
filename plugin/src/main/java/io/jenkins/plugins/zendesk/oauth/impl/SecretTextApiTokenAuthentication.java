package io.jenkins.plugins.zendesk.oauth.impl;

import com.cloudbees.plugins.credentials.ContextInPath;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Descriptor;
import hudson.model.ModelObject;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.zendesk.oauth.SecretTextResolver;
import io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * The API token kept in an existing <em>Secret text</em> credential, referred to by id, so that
 * one token can be rotated in one place. Sent like {@link ApiTokenAuthentication}. The reference
 * is resolved where the token is used: in a build, with the build's authentication.
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

    @Override
    public String deprecationNotice() {
        return Messages.ApiTokenAuthentication_deprecated();
    }

    @Extension(ordinal = 30)
    @Symbol("apiTokenCredential")
    public static final class DescriptorImpl extends Descriptor<ZendeskAuthentication> {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.SecretTextApiTokenAuthentication_displayName();
        }

        /** Shown at the top of this kind's part of the form. */
        public String getDeprecationNotice() {
            return Messages.ApiTokenAuthentication_deprecated();
        }

        /**
         * The Secret text credentials a job in the store's context can use. Without the right to
         * configure credentials there and to use them, only the current value is echoed back.
         */
        @POST
        public ListBoxModel doFillCredentialsIdItems(@ContextInPath ModelObject context, @QueryParameter String credentialsId) {
            return ContextPermissions.secretTextItems(context, credentialsId);
        }

        /** Test connection with the values in the form; see {@link TestConnection#run}. */
        @POST
        public FormValidation doTestConnection(@ContextInPath ModelObject context, @QueryParameter String site, @QueryParameter String email,
                                               @QueryParameter String client, @QueryParameter String credentialsId) {
            return TestConnection.run(context, site, email, client, () -> new SecretTextApiTokenAuthentication(credentialsId));
        }
    }
}
