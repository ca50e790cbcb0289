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
 * An existing OAuth access token of the admin, sent as {@code Authorization: Bearer ...}. The
 * credential's email is not used. It needs a scope that allows managing OAuth tokens.
 */
public final class BearerTokenAuthentication extends ZendeskAuthentication {
    private static final long serialVersionUID = 1L;
    static final String FIELD = "authentication.accessToken";

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
        return new AdminAuth.Bearer(required(accessToken, FIELD, Messages.ZendeskAuthentication_what_accessToken()));
    }

    @Extension(ordinal = 10)
    @Symbol("oauthToken")
    public static final class DescriptorImpl extends ZendeskAuthenticationDescriptor {
        public DescriptorImpl() {
            super(Messages._BearerTokenAuthentication_deprecated(), "site", "email", "client", "accessToken");
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.BearerTokenAuthentication_displayName();
        }

        @NonNull
        @Override
        ZendeskAuthentication fromForm(@NonNull Form form) {
            return new BearerTokenAuthentication(form.secret(FIELD, BearerTokenAuthentication.class, BearerTokenAuthentication::getAccessToken));
        }
    }
}
