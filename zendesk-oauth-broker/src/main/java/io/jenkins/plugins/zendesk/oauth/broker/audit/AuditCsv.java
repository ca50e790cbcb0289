package io.jenkins.plugins.zendesk.oauth.broker.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;

/**
 * Audit records as CSV (RFC 4180), one row per record, for spreadsheets and SIEM imports. A cell
 * that a spreadsheet would run as a formula ({@code = + - @}, tab, carriage return) is prefixed
 * with {@code '}: job names and error texts come from users and servers.
 */
public final class AuditCsv {
    private static final List<String> COLUMNS = List.of("time", "event", "site", "token_id", "previous_token_id", "entry_id", "client_id", "client", "scopes",
            "expires_at", "credential_id", "job", "build", "build_url", "causes", "node", "ended_by", "actor", "took_ms", "held_ms",
            "outcome", "error");

    private final Writer out;

    public AuditCsv(Writer out) {
        this.out = out;
    }

    public AuditCsv header() {
        return row(COLUMNS);
    }

    public AuditCsv record(AuditRecord r) {
        return row(List.of(r.time().toString(), r.event(), r.site(), number(r.tokenId()), number(r.previousTokenId()), r.entryId(), number(r.clientId()), r.client(),
                String.join(" ", r.scopes()), r.expiresAt().map(Object::toString).orElse(""), r.credentialId(), r.job(), number(r.build()),
                r.buildUrl(), String.join(" ", r.causes()), r.node(), r.endedBy(), r.actor(), Long.toString(r.tookMs()),
                r.heldMs().map(String::valueOf).orElse(""), r.outcome(), r.error()));
    }

    private AuditCsv row(List<String> cells) {
        try {
            for (int i = 0; i < cells.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.write(cell(cells.get(i)));
            }
            out.write("\r\n");
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String cell(String value) {
        String v = value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            return '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }

    private static String number(long n) {
        return n == 0 ? "" : Long.toString(n);
    }
}
