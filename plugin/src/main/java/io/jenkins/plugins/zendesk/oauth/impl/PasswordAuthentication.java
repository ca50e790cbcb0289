package io.jenkins.plugins.zendesk.oauth.impl;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.util.Secret;
import io.jenkins.plugins.zendesk.oauth.SecretTextResolver;
import io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskInputException;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * The admin's Zendesk password. Zendesk switched off password access to its API on 2026-01-12: the
 * kind is no longer offered for new credentials, and an existing one still loads (so that it can be
 * edited) but fails every use with its deprecation notice, which names the fix.
 */
public final class PasswordAuthentication extends ZendeskAuthentication {
    private static final long serialVersionUID = 1L;

    private final Secret password;

    @DataBoundConstructor
    public PasswordAuthentication(@CheckForNull Secret password) {
        this.password = password;
    }

    @CheckForNull
    public Secret getPassword() {
        return password;
    }

    @NonNull
    @Override
    public AdminAuth toAdminAuth(@CheckForNull String email, @NonNull SecretTextResolver secrets) {
        throw new ZendeskInputException("authentication", String.valueOf(deprecationNotice()));
    }

    @Extension(ordinal = 20)
    @Symbol("password")
    public static final class DescriptorImpl extends ZendeskAuthenticationDescriptor {
        public DescriptorImpl() {
            super(Messages._PasswordAuthentication_switchedOff(), "site", "email", "client", "password");
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.PasswordAuthentication_displayName();
        }

        @NonNull
        @Override
        ZendeskAuthentication fromForm(@NonNull Form form) {
            // The password is never decrypted nor used: Zendesk switched password access off, and the kind says so.
            return new PasswordAuthentication(null);
        }
    }
}
