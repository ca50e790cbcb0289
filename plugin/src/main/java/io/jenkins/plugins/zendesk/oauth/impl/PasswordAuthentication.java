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
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskInputException;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * The admin's Zendesk password. Zendesk switched off password access to its API on 2026-01-12: the
 * kind is no longer offered for new credentials, and an existing one still loads (so that it can be
 * edited) but fails every use with a message that names the fix.
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
        throw new ZendeskInputException("authentication", Messages.PasswordAuthentication_switchedOff());
    }

    @Override
    public String deprecationNotice() {
        return Messages.PasswordAuthentication_switchedOff();
    }

    @Extension(ordinal = 20)
    @Symbol("password")
    public static final class DescriptorImpl extends Descriptor<ZendeskAuthentication> {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.PasswordAuthentication_displayName();
        }

        /** Shown at the top of this kind's part of the form. */
        public String getDeprecationNotice() {
            return Messages.PasswordAuthentication_switchedOff();
        }

        /** Test connection with the values in the form; see {@link TestConnection#run}. */
        @POST
        public FormValidation doTestConnection(@ContextInPath ModelObject context, @QueryParameter String site, @QueryParameter String email,
                                               @QueryParameter String client, @QueryParameter String password) {
            // The password is never decrypted nor used: Zendesk switched password access off, and the kind says so.
            return TestConnection.run(context, site, email, client, () -> new PasswordAuthentication(null));
        }
    }
}
