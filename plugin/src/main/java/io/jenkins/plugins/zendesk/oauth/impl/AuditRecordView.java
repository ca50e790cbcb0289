package io.jenkins.plugins.zendesk.oauth.impl;

import io.jenkins.plugins.zendesk.oauth.broker.audit.AuditRecord;
import java.util.List;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

/** One audit record as the pages and the remote API show it. Ids and names only, never a secret. */
@ExportedBean(defaultVisibility = 2)
@Restricted(NoExternalUse.class)
public final class AuditRecordView {
    private final AuditRecord record;

    AuditRecordView(AuditRecord record) {
        this.record = record;
    }

    @Exported
    public String getTime() {
        return record.time().toString();
    }

    @Exported
    public String getEvent() {
        return record.event();
    }

    @Exported
    public String getSite() {
        return record.site();
    }

    @Exported
    public long getTokenId() {
        return record.tokenId();
    }

    @Exported
    public long getPreviousTokenId() {
        return record.previousTokenId();
    }

    @Exported
    public String getEntryId() {
        return record.entryId();
    }

    @Exported
    public long getClientId() {
        return record.clientId();
    }

    @Exported
    public String getClient() {
        return record.client();
    }

    @Exported
    public List<String> getScopes() {
        return record.scopes();
    }

    @Exported
    public String getExpiresAt() {
        return record.expiresAt().map(Object::toString).orElse("");
    }

    @Exported
    public String getCredentialId() {
        return record.credentialId();
    }

    @Exported
    public String getJob() {
        return record.job();
    }

    @Exported
    public int getBuild() {
        return record.build();
    }

    @Exported
    public String getBuildUrl() {
        return record.buildUrl();
    }

    @Exported
    public List<String> getCauses() {
        return record.causes();
    }

    @Exported
    public String getNode() {
        return record.node();
    }

    @Exported
    public String getEndedBy() {
        return record.endedBy();
    }

    @Exported
    public String getActor() {
        return record.actor();
    }

    @Exported
    public long getTookMs() {
        return record.tookMs();
    }

    /** How long the token lived, for end events; -1 when unknown. */
    @Exported
    public long getHeldMs() {
        return record.heldMs().orElse(-1L);
    }

    @Exported
    public String getOutcome() {
        return record.outcome();
    }

    @Exported
    public String getError() {
        return record.error();
    }

    /** Scopes as one line, for tables. */
    public String getScopesText() {
        return String.join(" ", record.scopes());
    }

    public String getCausesText() {
        return String.join(", ", record.causes());
    }

    /** The build's link on a page: only to this Jenkins' own pages (a relative URL or the configured root URL). */
    public String getBuildLink() {
        String url = record.buildUrl();
        return url.startsWith("job/") || url.startsWith("http://") || url.startsWith("https://") ? url : "";
    }
}
