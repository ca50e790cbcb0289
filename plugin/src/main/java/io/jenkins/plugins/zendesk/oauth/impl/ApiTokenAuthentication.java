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
 * A Zendesk API token, sent as HTTP Basic {@code {email}/token:{api_token}}. Still offered while
 * Zendesk accepts API tokens: none can be created since 2026-10-27 and all stop working on 2027-04-30.
 */
public final class ApiTokenAuthentication extends ZendeskAuthentication {
    private static final long serialVersionUID = 1L;

    private final Secret apiToken;

    @DataBoundConstructor
    public ApiTokenAuthentication(@CheckForNull Secret apiToken) {
        this.apiToken = apiToken;
    }

    @CheckForNull
    public Secret getApiToken() {
        return apiToken;
    }

    @NonNull
    @Override
    public AdminAuth toAdminAuth(@CheckForNull String email, @NonNull SecretTextResolver secrets) {
        return new AdminAuth.ApiToken(email, required(apiToken, "authentication.apiToken", Messages.ZendeskAuthentication_what_apiToken()));
    }

    @Override
    public String deprecationNotice() {
        return Messages.ApiTokenAuthentication_deprecated();
    }

    @Extension(ordinal = 40) // after OAuth client credentials, the lasting kind
    @Symbol("apiToken")
    public static final class DescriptorImpl extends Descriptor<ZendeskAuthentication> {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.ApiTokenAuthentication_displayName();
        }

        /** Shown at the top of this kind's part of the form. */
        public String getDeprecationNotice() {
            return Messages.ApiTokenAuthentication_deprecated();
        }

        /** Test connection with the values in the form; see {@link TestConnection#run}. */
        @POST
        public FormValidation doTestConnection(@ContextInPath ModelObject context, @QueryParameter String site, @QueryParameter String email,
                                               @QueryParameter String client, @QueryParameter String apiToken) {
            return TestConnection.run(context, site, email, client, () -> new ApiTokenAuthentication(FormSecret.resolve(context,
                    apiToken, "apiToken", "authentication.apiToken", ApiTokenAuthentication.class, ApiTokenAuthentication::getApiToken)));
        }
    }
}
