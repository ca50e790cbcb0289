package io.jenkins.plugins.zendesk.oauth.broker.audit;

import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskInputException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * Which records to show. Every criterion is optional; the ones given must all match.
 *
 * @param text       the one search box: a number finds that token id (or build number); other text is
 *                   looked for in the job, credential, ledger entry and build URL
 * @param job        part of the job's full name (case-insensitive), or all of it when {@code jobExact}
 * @param jobExact   whether {@code job} is the whole full name
 * @param build      that build number of the job, 0 for any
 * @param tokenId    Zendesk's token id, 0 for any
 * @param credential the credential id, exactly
 * @param event      the event name, exactly (see {@link AuditEvents})
 * @param from       first day (UTC), inclusive
 * @param to         last day (UTC), inclusive
 */
public record AuditQuery(String text, String job, boolean jobExact, int build, long tokenId, String credential, String event, Optional<LocalDate> from,
                         Optional<LocalDate> to) {
    /** The longest text any criterion accepts: more is not a name any Jenkins job or credential has. */
    static final int MAX_TEXT = 512;

    public AuditQuery {
        text = bounded("text", text).toLowerCase(Locale.ROOT);
        job = bounded("job", job);
        credential = bounded("credential", credential);
        event = bounded("event", event);
        from = from == null ? Optional.empty() : from;
        to = to == null ? Optional.empty() : to;
    }

    public static AuditQuery all() {
        return new AuditQuery("", "", false, 0, 0, "", "", Optional.empty(), Optional.empty());
    }

    /** The records of one build. */
    public static AuditQuery build(String jobFullName, int number, LocalDate since) {
        return new AuditQuery("", jobFullName, true, number, 0, "", "", Optional.of(since), Optional.empty());
    }

    /**
     * Parses what a user typed: names the field at fault.
     *
     * @throws ZendeskInputException for a token id, build or date that is not one
     */
    public static AuditQuery parse(String text, String job, String tokenId, String credential, String event, String from, String to) {
        return new AuditQuery(text, job, false, 0, number("token", tokenId), credential, event, day("from", from), day("to", to));
    }

    /** True when the record matches every criterion given. */
    public boolean matches(AuditRecord r) {
        if (tokenId != 0 && r.tokenId() != tokenId) {
            return false;
        }
        if (build != 0 && r.build() != build) {
            return false;
        }
        if (!job.isEmpty() && !(jobExact ? r.job().equals(job)
                : r.job().toLowerCase(Locale.ROOT).contains(job.toLowerCase(Locale.ROOT)))) {
            return false;
        }
        if (!credential.isEmpty() && !r.credentialId().equals(credential)) {
            return false;
        }
        if (!event.isEmpty() && !r.event().equals(event)) {
            return false;
        }
        LocalDate day = r.time().atZone(ZoneOffset.UTC).toLocalDate();
        if (from.isPresent() && day.isBefore(from.get()) || to.isPresent() && day.isAfter(to.get())) {
            return false;
        }
        return text.isEmpty() || matchesText(r);
    }

    private boolean matchesText(AuditRecord r) {
        if (text.chars().allMatch(Character::isDigit) && text.length() <= 18) {
            long n = Long.parseLong(text);
            return r.tokenId() == n || r.build() == n;
        }
        return r.job().toLowerCase(Locale.ROOT).contains(text) || r.credentialId().toLowerCase(Locale.ROOT).contains(text)
                || r.entryId().toLowerCase(Locale.ROOT).contains(text) || r.buildUrl().toLowerCase(Locale.ROOT).contains(text);
    }

    /** A cheap test on the raw line before it is parsed: false only when the line cannot match. */
    boolean mayMatch(String line) {
        if (tokenId != 0) {
            return line.contains("\"token_id\":" + tokenId);
        }
        if (build != 0) {
            return line.contains("\"build\":" + build);
        }
        return true;
    }

    private static String bounded(String field, String value) {
        String v = value == null ? "" : value.trim();
        if (v.length() > MAX_TEXT) {
            throw new ZendeskInputException(field, "is longer than " + MAX_TEXT + " characters; shorten it");
        }
        return v;
    }

    private static long number(String field, String value) {
        String v = bounded(field, value);
        if (v.isEmpty()) {
            return 0;
        }
        if (v.length() > 18 || !v.chars().allMatch(Character::isDigit)) {
            throw new ZendeskInputException(field, "'" + v.substring(0, Math.min(v.length(), 40)) + "' is not a token id; enter digits only, e.g. 12345");
        }
        return Long.parseLong(v);
    }

    private static Optional<LocalDate> day(String field, String value) {
        String v = bounded(field, value);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(v));
        } catch (DateTimeParseException e) {
            throw new ZendeskInputException(field, "'" + v.substring(0, Math.min(v.length(), 40)) + "' is not a date; use YYYY-MM-DD, e.g. 2026-12-03");
        }
    }
}
