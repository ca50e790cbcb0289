package io.jenkins.plugins.zendesk.oauth;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.Util;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import io.jenkins.plugins.zendesk.oauth.broker.audit.AuditLog;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.Admission;
import java.time.Duration;
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
 * ({@code unclassified: zendeskOAuthToken: ...}): how long a block waits for Zendesk's rate limit,
 * and how long the token audit trail is kept.
 */
@Extension
@Symbol("zendeskOAuthToken")
public final class ZendeskTokenGlobalConfiguration extends GlobalConfiguration {

    /** Default of {@link #getRateLimitWaitMinutes()}. */
    public static final int DEFAULT_RATE_LIMIT_WAIT_MINUTES = (int) Admission.DEFAULT_MAX_WAIT.toMinutes();
    /** Bounds of {@link #getRateLimitWaitMinutes()}: a day is longer than any sensible wait. */
    public static final int MAX_RATE_LIMIT_WAIT_MINUTES = 1440;

    /** How long a block waits for Zendesk's rate limit before it fails. */
    private int rateLimitWaitMinutes = DEFAULT_RATE_LIMIT_WAIT_MINUTES;
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

    public int getRateLimitWaitMinutes() {
        return rateLimitWaitMinutes;
    }

    /** Out-of-range values are brought within 0 to {@value #MAX_RATE_LIMIT_WAIT_MINUTES}; the form says so first. */
    @DataBoundSetter
    public void setRateLimitWaitMinutes(int minutes) {
        this.rateLimitWaitMinutes = Math.max(0, Math.min(MAX_RATE_LIMIT_WAIT_MINUTES, minutes));
        save();
    }

    /** How a block's calls wait for the rate limit: as long as this setting says, which the failure then names. */
    @NonNull
    public Admission buildAdmission() {
        return Admission.build().withMaxWait(Duration.ofMinutes(rateLimitWaitMinutes), Messages.ZendeskTokenGlobalConfiguration_rateLimitWaitSetting());
    }

    @Restricted(NoExternalUse.class)
    @POST
    public FormValidation doCheckRateLimitWaitMinutes(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER); // who may save this page
        try {
            int minutes = Integer.parseInt(Util.fixNull(value).trim());
            if (minutes >= 0 && minutes <= MAX_RATE_LIMIT_WAIT_MINUTES) {
                return FormValidation.ok();
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        return FormValidation.error(Messages.ZendeskTokenGlobalConfiguration_rateLimitWaitRange(Integer.toString(MAX_RATE_LIMIT_WAIT_MINUTES)));
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
            int days = Integer.parseInt(Util.fixNull(value).trim());
            if (days >= MIN_RETENTION_DAYS && days <= MAX_RETENTION_DAYS) {
                return FormValidation.ok();
            }
        } catch (NumberFormatException notANumber) {
            // same message as out of range
        }
        String shown = Util.fixNull(value).length() > 20 ? value.substring(0, 20) + "…" : value;
        return FormValidation.error(Messages.ZendeskTokenGlobalConfiguration_badRetention(shown,
                Integer.toString(MIN_RETENTION_DAYS), Integer.toString(MAX_RETENTION_DAYS)));
    }
}
