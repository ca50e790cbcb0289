package io.jenkins.plugins.zendesk.oauth.impl;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.util.Secret;
import io.jenkins.plugins.zendesk.oauth.SecretTextResolver;
import io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * A Zendesk API token, sent as HTTP Basic {@code {email}/token:{api_token}}. Still offered while
 * Zendesk accepts API tokens: none can be created since 2026-10-27 and all stop working on 2027-04-30.
 */
public final class ApiTokenAuthentication extends ZendeskAuthentication {
    private static final long serialVersionUID = 1L;
    static final String FIELD = "authentication.apiToken";

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
        return new AdminAuth.ApiToken(email, required(apiToken, FIELD, Messages.ZendeskAuthentication_what_apiToken()));
    }

    @Extension(ordinal = 40) // after OAuth client credentials, the lasting kind
    @Symbol("apiToken")
    public static final class DescriptorImpl extends ZendeskAuthenticationDescriptor {
        public DescriptorImpl() {
            super(Messages._ApiTokenAuthentication_deprecated(), "site", "email", "client", "apiToken");
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.ApiTokenAuthentication_displayName();
        }

        @NonNull
        @Override
        ZendeskAuthentication fromForm(@NonNull Form form) {
            return new ApiTokenAuthentication(form.secret(FIELD, ApiTokenAuthentication.class, ApiTokenAuthentication::getApiToken));
        }
    }
}
