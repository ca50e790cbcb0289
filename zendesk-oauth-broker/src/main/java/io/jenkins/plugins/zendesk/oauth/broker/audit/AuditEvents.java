package io.jenkins.plugins.zendesk.oauth.broker.audit;

import java.util.List;

/** The event names of the audit trail, as written in each record's {@code event} field. */
public final class AuditEvents {
    static final String MINTED = "minted";
    static final String RENEWED = "renewed";
    static final String REVOKED = "revoked";
    static final String REVOKE_FAILED = "revoke_failed";
    static final String EXPIRED = "expired";
    static final String ORPHAN_REVOKED = "orphan_revoked";
    static final String CONTROL_GRANTED = "control_granted";
    static final String CONTROL_REVOKED = "control_revoked";
    /** Not a token event: the writer could not keep up and says how many records it lost. */
    static final String RECORDS_LOST = "records_lost";

    /** Every name, for filters. */
    public static final List<String> ALL = List.of(MINTED, RENEWED, REVOKED, REVOKE_FAILED, EXPIRED, ORPHAN_REVOKED, CONTROL_GRANTED,
            CONTROL_REVOKED, RECORDS_LOST);

    private AuditEvents() {
    }
}
