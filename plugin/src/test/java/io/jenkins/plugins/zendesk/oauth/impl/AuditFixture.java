package io.jenkins.plugins.zendesk.oauth.impl;

import io.jenkins.plugins.zendesk.oauth.ZendeskAuditTrail;
import io.jenkins.plugins.zendesk.oauth.broker.audit.AuditQuery;
import io.jenkins.plugins.zendesk.oauth.broker.audit.AuditRecord;
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

    /** Waits (polling, up to a minute) until a record matches: sweeps run on timer threads. */
    static AuditRecord await(String what, Predicate<AuditRecord> which) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofMinutes(1).toNanos();
        while (true) {
            List<AuditRecord> found = records(which);
            if (!found.isEmpty()) {
                return found.get(0);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no audit record " + what + " in " + lifecycle());
            }
            Thread.sleep(100);
        }
    }
}
