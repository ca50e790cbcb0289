package io.jenkins.plugins.zendesk.oauth.broker.audit;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of the audit trail: what happened to one token, and who held it. Ids, names, scopes and
 * times only: never a token, a secret or an {@code Authorization} header. Text fields are empty,
 * and numbers 0, when unknown. Build one with {@link #builder(Instant, String)}.
 *
 * @param time         when it happened
 * @param event        see {@link AuditEvents}
 * @param site         the Zendesk site origin
 * @param tokenId      Zendesk's token id
 * @param previousTokenId the token a renewal replaced (renewals only)
 * @param entryId      the ledger entry that recorded the token (block tokens)
 * @param clientId     the numeric OAuth client that minted it
 * @param client       the OAuth client's unique identifier (control tokens)
 * @param scopes       the token's scopes
 * @param expiresAt    when Zendesk expires it on its own, if it said so
 * @param credentialId the Jenkins credential that minted it
 * @param job          the full name of the job whose build held it
 * @param build        that build's number
 * @param buildUrl     that build's URL
 * @param causes       why that build ran: {@code user:<id>}, {@code upstream:<job>#<n>}, {@code timer}, {@code scm}, {@code replay:<n>}, ...
 * @param node         the node the build ran the block on, where known
 * @param endedBy      what ended the token (end events): {@code block_end}, {@code sweeper}, {@code admin}, ...
 * @param actor        the user on whose behalf the broker acted (e.g. the admin who pressed Revoke now)
 * @param tookMs       how long the Zendesk call took
 * @param heldMs       how long the token lived, from its creation to this end event
 * @param outcome      {@code ok}, {@code already_gone} or {@code failed}
 * @param error        what went wrong (server text is redacted before it gets here)
 */
public record AuditRecord(Instant time, String event, String site, long tokenId, long previousTokenId, String entryId, long clientId, String client,
                          List<String> scopes, Optional<Instant> expiresAt, String credentialId, String job, int build, String buildUrl,
                          List<String> causes, String node, String endedBy, String actor, long tookMs, Optional<Long> heldMs,
                          String outcome, String error) {

    public AuditRecord {
        Objects.requireNonNull(time, "time");
        event = text(event);
        site = text(site);
        entryId = text(entryId);
        client = text(client);
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
        expiresAt = expiresAt == null ? Optional.empty() : expiresAt;
        credentialId = text(credentialId);
        job = text(job);
        buildUrl = text(buildUrl);
        causes = causes == null ? List.of() : List.copyOf(causes);
        node = text(node);
        endedBy = text(endedBy);
        actor = text(actor);
        heldMs = heldMs == null ? Optional.empty() : heldMs;
        outcome = text(outcome);
        error = text(error);
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    public static Builder builder(Instant time, String event) {
        return new Builder(time, event);
    }

    /** A copy to change, field by field. */
    public Builder toBuilder() {
        Builder b = new Builder(time, event);
        b.site = site;
        b.tokenId = tokenId;
        b.previousTokenId = previousTokenId;
        b.entryId = entryId;
        b.clientId = clientId;
        b.client = client;
        b.scopes = scopes;
        b.expiresAt = expiresAt;
        b.credentialId = credentialId;
        b.job = job;
        b.build = build;
        b.buildUrl = buildUrl;
        b.causes = causes;
        b.node = node;
        b.endedBy = endedBy;
        b.actor = actor;
        b.tookMs = tookMs;
        b.heldMs = heldMs;
        b.outcome = outcome;
        b.error = error;
        return b;
    }

    /** Fills a record field by field; a field left alone stays empty. Not thread-safe. */
    public static final class Builder {
        private final Instant time;
        private final String event;
        private String site;
        private long tokenId;
        private long previousTokenId;
        private String entryId;
        private long clientId;
        private String client;
        private List<String> scopes;
        private Optional<Instant> expiresAt = Optional.empty();
        private String credentialId;
        private String job;
        private int build;
        private String buildUrl;
        private List<String> causes;
        private String node;
        private String endedBy;
        private String actor;
        private long tookMs;
        private Optional<Long> heldMs = Optional.empty();
        private String outcome;
        private String error;

        private Builder(Instant time, String event) {
            this.time = time;
            this.event = event;
        }

        public Builder site(String value) {
            site = value;
            return this;
        }

        public Builder tokenId(long value) {
            tokenId = value;
            return this;
        }

        public Builder previousTokenId(long value) {
            previousTokenId = value;
            return this;
        }

        public Builder entryId(String value) {
            entryId = value;
            return this;
        }

        public Builder clientId(long value) {
            clientId = value;
            return this;
        }

        public Builder client(String value) {
            client = value;
            return this;
        }

        public Builder scopes(List<String> value) {
            scopes = value;
            return this;
        }

        public Builder expiresAt(Optional<Instant> value) {
            expiresAt = value;
            return this;
        }

        public Builder credentialId(String value) {
            credentialId = value;
            return this;
        }

        public Builder job(String value) {
            job = value;
            return this;
        }

        public Builder build(int value) {
            build = value;
            return this;
        }

        public Builder buildUrl(String value) {
            buildUrl = value;
            return this;
        }

        public Builder causes(List<String> value) {
            causes = value;
            return this;
        }

        public Builder node(String value) {
            node = value;
            return this;
        }

        public Builder endedBy(String value) {
            endedBy = value;
            return this;
        }

        public Builder actor(String value) {
            actor = value;
            return this;
        }

        public Builder tookMs(long value) {
            tookMs = value;
            return this;
        }

        public Builder heldMs(Optional<Long> value) {
            heldMs = value;
            return this;
        }

        public Builder outcome(String value) {
            outcome = value;
            return this;
        }

        public Builder error(String value) {
            error = value;
            return this;
        }

        public AuditRecord build() {
            return new AuditRecord(time, event, site, tokenId, previousTokenId, entryId, clientId, client, scopes, expiresAt, credentialId, job, build,
                    buildUrl, causes, node, endedBy, actor, tookMs, heldMs, outcome, error);
        }
    }
}
