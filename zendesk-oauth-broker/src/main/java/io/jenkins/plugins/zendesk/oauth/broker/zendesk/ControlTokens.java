package io.jenkins.plugins.zendesk.oauth.broker.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth;
import io.jenkins.plugins.zendesk.oauth.broker.auth.SecretHygiene;
import io.jenkins.plugins.zendesk.oauth.broker.value.SecretValue;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The short-lived admin tokens ("control tokens") that {@link AdminAuth.ClientCredentials} stand
 * for: obtained with the client credentials grant ({@code POST /oauth/tokens}, scope
 * {@code read write}), cached per site, client and secret until {@link #RENEW_BEFORE} before they
 * expire, and shared by every call. Concurrent callers share one grant (single flight per key). A
 * replaced token is revoked by id; {@link #revokeAll()} revokes the rest (Jenkins shutdown). The
 * token values live in memory only and never appear in a message, {@code toString} or the ledger.
 * Thread-safe.
 */
public final class ControlTokens {
    private static final Logger LOGGER = Logger.getLogger(ControlTokens.class.getName());
    /** A cached control token is replaced this long before Zendesk says it expires. */
    public static final Duration RENEW_BEFORE = Duration.ofMinutes(1);

    /** Hears nothing: until a broker observes the control tokens, nobody audits them. */
    private static final ControlTokenListener UNHEARD = new ControlTokenListener() {
        @Override
        public void granted(String origin, String client, ControlToken token, Duration took) {
        }

        @Override
        public void revoked(String origin, String client, ControlToken token, String reason, Duration took, Optional<String> error) {
        }
    };

    private final ZendeskTransport transport;
    private final Map<Key, Slot> slots = new ConcurrentHashMap<>();
    private volatile ControlTokenListener listener = UNHEARD;

    ControlTokens(ZendeskTransport transport) {
        this.transport = transport;
    }

    /** Who hears of grants and revocations (the audit trail); replaces the previous listener. */
    public void observe(ControlTokenListener observer) {
        this.listener = Objects.requireNonNull(observer, "observer");
    }

    ControlTokenListener listener() {
        return listener;
    }

    /**
     * One control token. {@link #value()} is the secret; {@link #toString()} never shows it.
     *
     * @param client    the unique identifier of the OAuth client it was granted to
     * @param id        its Zendesk token id ({@code current.json}), so it can be revoked and is never taken for an orphan
     * @param expiresAt when Zendesk expires it
     * @param granted   the lifetime Zendesk granted ({@code expires_in}, or what was asked when Zendesk does not say)
     */
    public record ControlToken(String client, SecretValue value, Optional<Long> id, Instant expiresAt, Duration granted) {
        @Override
        public String toString() {
            return "ControlToken[id=" + id.map(String::valueOf).orElse("unknown") + ", expiresAt=" + expiresAt + ", granted=" + granted + "]";
        }
    }

    private record Key(String origin, String identifier, SecretValue secret) {
        @Override
        public String toString() {
            return origin + " client '" + identifier + "'";
        }
    }

    /** Guards the token of one key: the lock is what makes concurrent callers share one grant. */
    private static final class Slot {
        private ControlToken current;
        /** Zendesk refused {@link #current} (401): replace it on next use. */
        private boolean refused;
    }

    /**
     * The control token for these credentials on the site at {@code origin}, granted or renewed if needed; a grant
     * waits for the rate limit as {@code admission} says.
     */
    ControlToken token(String origin, AdminAuth.ClientCredentials credentials, Admission admission) {
        Key key = new Key(origin, credentials.identifier(), credentials.secret());
        Slot slot = slots.computeIfAbsent(key, k -> new Slot());
        ControlToken replaced;
        ControlToken fresh;
        synchronized (slot) {
            ControlToken current = slot.current;
            if (current != null && !slot.refused && transport.clock().instant().isBefore(current.expiresAt().minus(RENEW_BEFORE))) {
                return current;
            }
            fresh = grant(origin, credentials, admission);
            replaced = current;
            slot.current = fresh;
            slot.refused = false;
        }
        if (replaced != null) {
            // Revoked with the new token: the old one may be refused already (expired early, or revoked).
            // Only if the rate limit allows it now: the caller is waiting for its own call, and the old token expires anyway.
            revokeQuietly(key, replaced, fresh, "replaced by a newer control token",
                    Admission.background().withMaxWait(Duration.ZERO, ""));
        }
        return fresh;
    }

    /**
     * Zendesk refused {@code used} (401): it was revoked or expired early. Marks it for replacement,
     * unless a newer token has replaced it already, so that the next call gets a new one.
     */
    void invalidate(String origin, AdminAuth.ClientCredentials credentials, SecretValue used) {
        Slot slot = slots.get(new Key(origin, credentials.identifier(), credentials.secret()));
        if (slot != null) {
            synchronized (slot) {
                if (slot.current != null && slot.current.value().equals(used)) {
                    slot.refused = true;
                }
            }
        }
    }

    /** Ids of the control tokens in use: reconciliation must never revoke them as orphans. */
    public Set<Long> ids() {
        return slots.values().stream().map(ControlTokens::current).flatMap(Optional::stream)
                .map(ControlToken::id).flatMap(Optional::stream).collect(Collectors.toUnmodifiableSet());
    }

    /** Revokes every cached control token by id (best effort) and forgets them: at shutdown, or when a host replaces its broker. */
    public int revokeAll() {
        int revoked = 0;
        List<Map.Entry<Key, ControlToken>> all = new ArrayList<>();
        for (Map.Entry<Key, Slot> e : slots.entrySet()) {
            synchronized (e.getValue()) {
                if (e.getValue().current != null) {
                    all.add(Map.entry(e.getKey(), e.getValue().current));
                    e.getValue().current = null;
                }
            }
        }
        for (Map.Entry<Key, ControlToken> e : all) {
            if (revokeQuietly(e.getKey(), e.getValue(), e.getValue(), "no longer needed", Admission.revocation())) {
                revoked++;
            }
        }
        return revoked;
    }

    private static Optional<ControlToken> current(Slot slot) {
        synchronized (slot) {
            return Optional.ofNullable(slot.current);
        }
    }

    /** {@code POST /oauth/tokens}, then {@code GET /api/v2/oauth/tokens/current.json} for its id. */
    private ControlToken grant(String origin, AdminAuth.ClientCredentials credentials, Admission admission) {
        ObjectNode body = ZendeskTransport.JSON.createObjectNode();
        body.put("grant_type", "client_credentials");
        body.put("client_id", credentials.identifier());
        body.put("client_secret", credentials.secret().reveal());
        body.put("scope", "read write");
        body.put("expires_in", credentials.controlLifetime().toSeconds());
        Instant asked = transport.clock().instant();
        ZendeskReply reply = transport.send(ZendeskCall.grant(URI.create(origin + "/oauth/tokens"), credentials, body), admission);
        String accessToken = reply.json().path("access_token").asText("");
        if (accessToken.isBlank() || !SecretHygiene.isHeaderSafe(accessToken)) {
            throw new ZendeskApiException(reply.status(), ZendeskApiException.Reason.UNEXPECTED_RESPONSE, "POST /oauth/tokens on " + origin
                    + ": Zendesk answered HTTP " + reply.status() + " without a usable access_token. Is a proxy or gateway answering instead of Zendesk?");
        }
        SecretValue value = SecretValue.of(accessToken);
        // expires_in may be missing: then Zendesk granted what was asked.
        JsonNode expiresIn = reply.json().path("expires_in");
        Duration granted = expiresIn.canConvertToLong() && expiresIn.asLong() > 0 ? Duration.ofSeconds(expiresIn.asLong())
                : credentials.controlLifetime();
        Instant expiresAt = asked.plus(granted);
        Optional<Long> id = Optional.empty();
        try {
            JsonNode token = transport.send(ZendeskCall.get(URI.create(origin + "/api/v2/oauth/tokens/current.json"),
                    new AdminAuth.Bearer(value)), admission).json().path("token");
            if (token.path("id").canConvertToLong()) {
                id = Optional.of(token.path("id").asLong());
            }
            // Its expires_at is Zendesk's clock; the relative expires_in on ours decides renewal, so clock skew
            // cannot make every call renew. A token Zendesk expires early answers 401 and is replaced then.
        } catch (ZendeskException lookupFailed) {
            // Still usable; without its id it cannot be revoked early and simply expires.
            LOGGER.log(Level.WARNING, "could not look up the id of the control token of {0}: {1}",
                    new Object[] {new Key(origin, credentials.identifier(), credentials.secret()), lookupFailed.getMessage()});
        }
        ControlToken fresh = new ControlToken(credentials.identifier(), value, id, expiresAt, granted);
        tell(l -> l.granted(origin, credentials.identifier(), fresh, Duration.between(asked, transport.clock().instant())));
        return fresh;
    }

    /** Revokes {@code token} by id, authenticated with {@code using} (a control token acts as an admin with scope write). */
    private boolean revokeQuietly(Key key, ControlToken token, ControlToken using, String why, Admission admission) {
        if (token.id().isEmpty()) {
            return false;
        }
        String origin = key.origin();
        Instant start = transport.clock().instant();
        try {
            transport.send(ZendeskCall.delete(URI.create(origin + "/api/v2/oauth/tokens/" + token.id().get() + ".json"),
                    new AdminAuth.Bearer(using.value())), admission);
            tell(l -> l.revoked(origin, key.identifier(), token, why, Duration.between(start, transport.clock().instant()), Optional.empty()));
            return true;
        } catch (ZendeskException e) {
            LOGGER.log(Level.FINE, "could not revoke control token " + token.id().get() + " on " + origin + " (" + why
                    + "); it expires at " + token.expiresAt() + ": " + e.getMessage());
            tell(l -> l.revoked(origin, key.identifier(), token, why, Duration.between(start, transport.clock().instant()),
                    Optional.of(String.valueOf(e.getMessage()))));
            return false;
        }
    }

    private void tell(Consumer<ControlTokenListener> event) {
        try {
            event.accept(listener);
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "control token listener failed", e);
        }
    }
}
