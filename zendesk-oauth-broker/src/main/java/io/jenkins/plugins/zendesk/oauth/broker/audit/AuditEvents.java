package io.jenkins.plugins.zendesk.oauth.broker.audit;

import java.util.List;

/** The event names of the audit trail, as written in each record's {@code event} field. */
public final class AuditEvents {
    public static final String MINTED = "minted";
    public static final String RENEWED = "renewed";
    public static final String REVOKED = "revoked";
    public static final String REVOKE_FAILED = "revoke_failed";
    public static final String EXPIRED = "expired";
    public static final String ORPHAN_REVOKED = "orphan_revoked";
    public static final String CONTROL_GRANTED = "control_granted";
    public static final String CONTROL_REVOKED = "control_revoked";
    /** Not a token event: the writer could not keep up and says how many records it lost. */
    public static final String RECORDS_LOST = "records_lost";

    /** Every name, for filters. */
    public static final List<String> ALL = List.of(MINTED, RENEWED, REVOKED, REVOKE_FAILED, EXPIRED, ORPHAN_REVOKED, CONTROL_GRANTED,
            CONTROL_REVOKED, RECORDS_LOST);

    private AuditEvents() {
    }
}
