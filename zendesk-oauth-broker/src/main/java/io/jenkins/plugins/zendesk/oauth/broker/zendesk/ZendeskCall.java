package io.jenkins.plugins.zendesk.oauth.broker.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth;
import io.jenkins.plugins.zendesk.oauth.broker.value.SecretValue;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One API call. {@code body} is null for GET and DELETE. {@code grant} holds the credentials of the
 * client credentials grant, which sends no {@code Authorization} header: its credentials are in the body.
 *
 * <p>A DELETE carries {@code Content-Type: application/json} though it has no body: Zendesk's request-format
 * rule asks it of DELETE requests, its own curl samples omit it, and a Content-Type without content is valid
 * HTTP (RFC 9110 §8.3) that no server acts on. Sending it costs nothing and satisfies the stricter reading.
 */
record ZendeskCall(String method, URI uri, AdminAuth auth, JsonNode body, boolean idempotent, List<Integer> okStatuses,
            List<SecretValue> secrets, Optional<AdminAuth.ClientCredentials> grant) {
    ZendeskCall(String method, URI uri, AdminAuth auth, JsonNode body, boolean idempotent, List<Integer> okStatuses, List<SecretValue> secrets) {
        this(method, uri, auth, body, idempotent, okStatuses, secrets, Optional.empty());
    }

    /**
     * The client credentials grant. Retried like a read: a repeat after an unclear outcome can
     * only leave an extra control token, which no block depends on and which expires by itself.
     * The docs show 201, Zendesk's own CLI checks 200: both are a grant.
     */
    static ZendeskCall grant(URI uri, AdminAuth.ClientCredentials credentials, JsonNode body) {
        return new ZendeskCall("POST", uri, credentials, body, true, List.of(200, 201), List.of(credentials.secret()),
                Optional.of(credentials));
    }

    static ZendeskCall get(URI uri, AdminAuth auth) {
        return new ZendeskCall("GET", uri, auth, null, true, List.of(200), List.of(auth.secret()));
    }

    /** A revocation by id: a token that is already gone (404) counts as revoked. */
    static ZendeskCall delete(URI uri, AdminAuth auth) {
        return new ZendeskCall("DELETE", uri, auth, null, true, List.of(200, 204, 404), List.of(auth.secret()));
    }

    String describe() {
        return method + " " + uri.getRawPath();
    }

    /** The site's origin, e.g. {@code https://acme.zendesk.com}, as messages name it. */
    String origin() {
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority();
    }
}
