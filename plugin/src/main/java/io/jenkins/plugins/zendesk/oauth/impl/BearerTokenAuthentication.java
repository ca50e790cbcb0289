package io.jenkins.plugins.zendesk.oauth.impl;

import com.cloudbees.plugins.credentials.ContextInPath;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Descriptor;
import hudson.model.ModelObject;
import hudson.util.FormValidation;
import hudson.util.Secret;
import io.jenkins.plugins.zendesk.oauth.SecretTextResolver;
import io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * An existing OAuth access token of the admin, sent as {@code Authorization: Bearer ...}. The
 * credential's email is not used. It needs a scope that allows managing OAuth tokens.
 */
public final class BearerTokenAuthentication extends ZendeskAuthentication {
    private static final long serialVersionUID = 1L;

    private final Secret accessToken;

    @DataBoundConstructor
    public BearerTokenAuthentication(@CheckForNull Secret accessToken) {
        this.accessToken = accessToken;
    }

    @CheckForNull
    public Secret getAccessToken() {
        return accessToken;
    }

    @NonNull
    @Override
    public AdminAuth toAdminAuth(@CheckForNull String email, @NonNull SecretTextResolver secrets) {
        return new AdminAuth.Bearer(required(accessToken, "authentication.accessToken", Messages.ZendeskAuthentication_what_accessToken()));
    }

    @Override
    public String deprecationNotice() {
        return Messages.BearerTokenAuthentication_deprecated();
    }

    @Extension(ordinal = 10)
    @Symbol("oauthToken")
    public static final class DescriptorImpl extends Descriptor<ZendeskAuthentication> {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.BearerTokenAuthentication_displayName();
        }

        /** Shown at the top of this kind's part of the form. */
        public String getDeprecationNotice() {
            return Messages.BearerTokenAuthentication_deprecated();
        }

        /** Test connection with the values in the form; see {@link TestConnection#run}. */
        @POST
        public FormValidation doTestConnection(@ContextInPath ModelObject context, @QueryParameter String site, @QueryParameter String email,
                                               @QueryParameter String client, @QueryParameter String accessToken) {
            return TestConnection.run(context, site, email, client, () -> new BearerTokenAuthentication(FormSecret.resolve(context,
                    accessToken, "accessToken", "authentication.accessToken", BearerTokenAuthentication.class, BearerTokenAuthentication::getAccessToken)));
        }
    }
}
