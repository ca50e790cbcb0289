package io.jenkins.plugins.zendesk.oauth.impl;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Util;
import hudson.model.Run;
import io.jenkins.plugins.zendesk.oauth.LedgerAuthority;
import io.jenkins.plugins.zendesk.oauth.broker.ledger.LedgerEntry;
import java.time.Duration;
import java.time.Instant;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

/**
 * One ledger entry as {@link OutstandingTokensLink}'s page and remote API show it: ids, state, credential,
 * owner, expiry and last error, never a token. Job names only for viewers who may see the job ({@link OwnerVisibility}).
 */
@Restricted(NoExternalUse.class)
@ExportedBean(defaultVisibility = 2)
public final class OutstandingTokenRow {
    private final LedgerEntry entry;
    private final Instant now;

    OutstandingTokenRow(LedgerEntry entry, Instant now) {
        this.entry = entry;
        this.now = now;
    }

    /** The owner as the ledger records it (a run's externalizable id), whoever views the page. */
    @NonNull
    String ownerId() {
        return entry.owner();
    }

    @Exported
    public String getId() {
        return entry.id();
    }

    @Exported
    public String getSite() {
        return entry.site();
    }

    /** The Zendesk token id, or empty while unknown (mint in flight or outcome unknown). */
    @Exported
    public String getTokenId() {
        return entry.tokenId().map(String::valueOf).orElse("");
    }

    @Exported
    public long getClientId() {
        return entry.clientId();
    }

    @Exported
    public String getScopes() {
        return String.join(" ", entry.scopes());
    }

    /** The owning run, or a placeholder for a job the viewer may not read (see {@link OwnerVisibility}). */
    public String getOwner() {
        return OwnerVisibility.shown(entry.owner());
    }

    /** The id of the Jenkins credential that minted the token, when the ledger records it. */
    @Exported
    @CheckForNull
    public String getCredential() {
        return LedgerAuthority.parse(entry.authority()).map(LedgerAuthority::credentialsId).orElse(null);
    }

    /** The full name of the job whose build holds the token, when the viewer may see that build. */
    @Exported
    @CheckForNull
    public String getJob() {
        Run<?, ?> run = visibleRun();
        return run == null ? null : run.getParent().getFullName();
    }

    /** The number of the build that holds the token, when the viewer may see it; 0 otherwise. */
    @Exported
    public int getBuild() {
        Run<?, ?> run = visibleRun();
        return run == null ? 0 : run.getNumber();
    }

    /** When the mint was recorded (ISO 8601). */
    @Exported
    public String getRecordedAt() {
        return entry.intentAt().toString();
    }

    @CheckForNull
    private Run<?, ?> visibleRun() {
        if (!OwnerVisibility.canSee(entry.owner())) {
            return null;
        }
        try {
            // Looks the job up as the current user: null when they may not see it.
            return Run.fromExternalizableId(entry.owner());
        } catch (RuntimeException notVisibleOrNotARun) {
            return null;
        }
    }

    /**
     * The owner run's URL relative to the Jenkins root, when it still exists and the viewer
     * may see it; null otherwise (the page then shows the owner as text only).
     */
    @CheckForNull
    public String getOwnerUrl() {
        Run<?, ?> run = visibleRun();
        return run == null ? null : run.getUrl();
    }

    public String getAge() {
        return Util.getTimeSpanString(Math.max(0L, Duration.between(entry.intentAt(), now).toMillis()));
    }

    /** When Zendesk expires the token on its own, as its mint answer said; empty when it did not say. */
    @Exported
    public String getExpiresAt() {
        return entry.expiresAt().map(Instant::toString).orElse("");
    }

    @Exported
    public String getState() {
        return entry.state().name();
    }

    @Exported
    public int getFailures() {
        return entry.failures();
    }

    /** Errors may name the job (its credential's authority): hidden with the owner. */
    @Exported
    public String getLastError() {
        String error = entry.lastError().orElse("");
        return error.isEmpty() || OwnerVisibility.canSee(entry.owner()) ? error : Messages.OwnerVisibility_hiddenError();
    }
}
