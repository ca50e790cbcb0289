package io.jenkins.plugins.zendesk.oauth.impl;

import io.jenkins.plugins.zendesk.oauth.ZendeskAuditTrail;
import io.jenkins.plugins.zendesk.oauth.broker.audit.AuditQuery;
import io.jenkins.plugins.zendesk.oauth.broker.audit.AuditRecord;
import io.jenkins.plugins.zendesk.oauth.broker.fixture.Await;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Reading the audit trail back in the plugin tests. */
final class AuditFixture {
    private AuditFixture() {
    }

    /** Every record so far, oldest first, once the writer has written what was queued. */
    static List<AuditRecord> records() {
        ZendeskAuditTrail.get().flush();
        List<AuditRecord> all = new ArrayList<>();
        ZendeskAuditTrail.get().search().forEach(AuditQuery.all(), all::add);
        return all;
    }

    static List<AuditRecord> records(Predicate<AuditRecord> which) {
        return records().stream().filter(which).toList();
    }

    /** {@code event/ended_by/outcome} of each record, oldest first: the lifecycle at a glance. */
    static List<String> lifecycle() {
        return records().stream().map(r -> r.event() + "/" + r.endedBy() + "/" + r.outcome()).toList();
    }

    /** Waits until a record matches (sweeps run on timer threads) and returns the first. */
    static AuditRecord await(String what, Predicate<AuditRecord> which) {
        Await.until("an audit record " + what, () -> !records(which).isEmpty(), () -> "in " + lifecycle());
        return records(which).get(0);
    }
}
