package io.jenkins.plugins.zendesk.oauth;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import io.jenkins.plugins.zendesk.oauth.broker.audit.AuditLog;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * The plugin's settings in <em>Manage Jenkins › System</em> and in JCasC
 * ({@code unclassified: zendeskOAuthToken: ...}): how long the token audit trail is kept.
 */
@Extension
@Symbol("zendeskOAuthToken")
public final class ZendeskTokenGlobalConfiguration extends GlobalConfiguration {
    /** The shortest and longest retention accepted, in days. */
    public static final int MIN_RETENTION_DAYS = 1;
    public static final int MAX_RETENTION_DAYS = 3650;

    private int auditRetentionDays = AuditLog.DEFAULT_RETENTION_DAYS;

    public ZendeskTokenGlobalConfiguration() {
        load();
    }

    @NonNull
    public static ZendeskTokenGlobalConfiguration get() {
        return ExtensionList.lookupSingleton(ZendeskTokenGlobalConfiguration.class);
    }

    /** Days of token audit records kept; older days are deleted. */
    public int getAuditRetentionDays() {
        return auditRetentionDays;
    }

    /** @throws IllegalArgumentException outside {@value #MIN_RETENTION_DAYS}..{@value #MAX_RETENTION_DAYS}, naming the field */
    @DataBoundSetter
    public void setAuditRetentionDays(int days) {
        if (days < MIN_RETENTION_DAYS || days > MAX_RETENTION_DAYS) {
            throw new IllegalArgumentException(Messages.ZendeskTokenGlobalConfiguration_badRetention(
                    Integer.toString(days), Integer.toString(MIN_RETENTION_DAYS), Integer.toString(MAX_RETENTION_DAYS)));
        }
        this.auditRetentionDays = days;
        save();
    }

    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        try {
            req.bindJSON(this, json);
        } catch (IllegalArgumentException e) {
            throw new Descriptor.FormException(e.getMessage(), "auditRetentionDays");
        }
        save();
        ZendeskAuditTrail.get().retentionChanged();
        return true;
    }

    @POST
    @Restricted(NoExternalUse.class)
    public FormValidation doCheckAuditRetentionDays(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        try {
            int days = Integer.parseInt(value.trim());
            if (days >= MIN_RETENTION_DAYS && days <= MAX_RETENTION_DAYS) {
                return FormValidation.ok();
            }
        } catch (NumberFormatException notANumber) {
            // same message as out of range
        }
        String shown = value.length() > 20 ? value.substring(0, 20) + "…" : value;
        return FormValidation.error(Messages.ZendeskTokenGlobalConfiguration_badRetention(shown,
                Integer.toString(MIN_RETENTION_DAYS), Integer.toString(MAX_RETENTION_DAYS)));
    }
}
