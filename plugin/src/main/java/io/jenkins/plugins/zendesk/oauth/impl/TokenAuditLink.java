package io.jenkins.plugins.zendesk.oauth.impl;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.ManagementLink;
import hudson.security.Permission;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;

/**
 * The entry <em>Zendesk token audit</em> under Manage Jenkins. The page itself is
 * {@link TokenAuditView}, reached below the outstanding tokens page ({@code zendesk-tokens/audit}).
 */
@Extension
@Symbol("zendeskTokenAudit")
public final class TokenAuditLink extends ManagementLink {

    @Override
    public String getIconFileName() {
        return "symbol-document-text";
    }

    @Override
    public String getDisplayName() {
        return Messages.TokenAuditView_displayName();
    }

    @Override
    public String getDescription() {
        return Messages.TokenAuditLink_description();
    }

    /** Relative to {@code /manage/}: the page lives below {@link OutstandingTokensLink}. */
    @Override
    public String getUrlName() {
        return "zendesk-tokens/audit";
    }

    @NonNull
    @Override
    public Permission getRequiredPermission() {
        return Jenkins.SYSTEM_READ;
    }

    @NonNull
    @Override
    public Category getCategory() {
        return Category.SECURITY;
    }
}
