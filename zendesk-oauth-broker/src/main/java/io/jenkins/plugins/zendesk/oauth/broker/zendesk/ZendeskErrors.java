package io.jenkins.plugins.zendesk.oauth.broker.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth;
import io.jenkins.plugins.zendesk.oauth.broker.value.Redaction;
import io.jenkins.plugins.zendesk.oauth.broker.value.Sentences;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.ZendeskApiException.Reason;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Optional;

/** Reads Zendesk's error answers: its own error text, and a message for a final non-success status that says what to fix. */
final class ZendeskErrors {
    private ZendeskErrors() {
    }

    static ZendeskApiException forStatus(ZendeskCall call, int status, String zendeskText) {
        String where = call.describe() + " on " + call.origin() + ": ";
        String said = " Zendesk said: " + Sentences.end(zendeskText);
        if (call.grant().isPresent() && status >= 400 && status < 500) {
            return forGrant(call.grant().get(), status, zendeskText, where, said);
        }
        if (status == 400 || status == 422) {
            Optional<ZendeskApiException> outside = outsideAllowedScopes(call, status, zendeskText, where, said);
            if (outside.isPresent()) {
                return outside.get();
            }
        }
        return switch (status) {
            case 401 -> new ZendeskApiException(status, Reason.AUTHENTICATION, where + "Zendesk rejected the " + call.auth().describe()
                    + " (HTTP 401)." + said + " " + call.auth().rejectionAdvice());
            case 403 -> new ZendeskApiException(status, Reason.PERMISSION, where + "the Zendesk user is not allowed to do this (HTTP 403)."
                    + said + " Only Zendesk admins can manage OAuth tokens: use an admin (ideally a dedicated robot admin) "
                    + "and check that the OAuth client allows the requested scopes.");
            case 404 -> new ZendeskApiException(status, Reason.NOT_FOUND, where + "not found (HTTP 404)." + said
                    + " Check the Zendesk site and the OAuth client id.");
            case 400, 422 -> new ZendeskApiException(status, Reason.VALIDATION, where + "Zendesk refused the request (HTTP " + status + ")."
                    + said + (isAboutClient(zendeskText)
                            ? " Check the credential's OAuth client: it must exist on this site (Admin Center > Apps and integrations"
                                    + " > APIs > OAuth clients) and be enabled."
                            : " Check the requested scopes and that the OAuth client allows them."));
            default -> status >= 300 && status < 400
                    ? new ZendeskApiException(status, Reason.OTHER, where + "Zendesk answered with a redirect (HTTP " + status
                            + "), which is never followed because it would resend the admin credentials. Use the site's "
                            + "https://<subdomain>.zendesk.com address.")
                    : new ZendeskApiException(status, Reason.OTHER, where + "unexpected HTTP " + status + "." + said);
        };
    }

    /** The client credentials grant ({@code POST /oauth/tokens}) refused: OAuth error codes name the cause. */
    private static ZendeskApiException forGrant(AdminAuth.ClientCredentials credentials, int status, String zendeskText, String where,
                                                String said) {
        String client = "client '" + credentials.identifier() + "'";
        String code = zendeskText.toLowerCase(Locale.ROOT);
        if (code.startsWith("invalid_scope")) {
            return new ZendeskApiException(status, Reason.PERMISSION, where + "Zendesk refused scope 'read write' for the control token of "
                    + client + " (HTTP " + status + ")." + said + " Allow read and write on " + client + " in Admin Center > Apps and"
                    + " integrations > APIs > OAuth clients (its allowed scopes): Jenkins needs them to mint and revoke block tokens.");
        }
        if (code.startsWith("unauthorized_client") || code.contains("confidential")) {
            return new ZendeskApiException(status, Reason.AUTHENTICATION, where + "Zendesk does not let " + client + " use the client"
                    + " credentials grant (HTTP " + status + ")." + said + " Only confidential clients may: create a confidential OAuth"
                    + " client for Jenkins in Admin Center > Apps and integrations > APIs > OAuth clients.");
        }
        if (code.startsWith("invalid_client") || status == 401) {
            return new ZendeskApiException(status, Reason.AUTHENTICATION, where + "Zendesk rejected the identifier or secret of " + client
                    + " (HTTP " + status + ")." + said + " Check the client's unique identifier and secret in the credential; a secret"
                    + " regenerated in Admin Center > Apps and integrations > APIs > OAuth clients replaces the old one.");
        }
        return new ZendeskApiException(status, Reason.VALIDATION, where + "Zendesk refused the client credentials grant of " + client
                + " (HTTP " + status + ")." + said + " Check the credential's OAuth client and its control token lifetime.");
    }

    /**
     * A block token with scopes the minting client does not allow: since 2026-08-10 an OAuth client may have
     * allowed scopes, and a request outside them fails with 400 and the OAuth error code {@code invalid_scope}
     * (Zendesk's announcement "Announcing more granular OAuth client scopes"); 422 is accepted too, as Zendesk
     * answers other scope errors of Create Token with it.
     */
    private static Optional<ZendeskApiException> outsideAllowedScopes(ZendeskCall call, int status, String zendeskText,
                                                                    String where, String said) {
        if (!call.describe().startsWith("POST /api/v2/oauth/tokens") || !"invalid_scope".equals(errorCode(zendeskText))) {
            return Optional.empty();
        }
        String client = call.body() == null ? "the minting OAuth client" : "OAuth client " + call.body().path("token").path("client_id").asText("?");
        String scopes = call.body() == null ? "" : " " + call.body().path("token").path("scopes").toString();
        return Optional.of(new ZendeskApiException(status, Reason.VALIDATION, where + "scopes" + scopes + " are outside the allowed scopes of "
                + client + " (HTTP " + status + " invalid_scope)." + said + " Add them to the allowed scopes of " + client
                + " in Admin Center > Apps and integrations > APIs > OAuth clients, or ask for fewer scopes."));
    }

    /**
     * The OAuth error code that {@link #errorText} puts first ({@code "invalid_scope: ..."}), lower case; empty
     * when the text does not start with one.
     */
    static String errorCode(String zendeskText) {
        int end = zendeskText.indexOf(':');
        String code = (end < 0 ? zendeskText : zendeskText.substring(0, end)).trim();
        if (code.isEmpty() || code.length() > 40) {
            return "";
        }
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c == '_')) {
                return "";
            }
        }
        return code;
    }

    /** Zendesk names the field at fault, e.g. {@code "Client cannot be blank"} or {@code details.client}. */
    private static boolean isAboutClient(String zendeskText) {
        String text = zendeskText.toLowerCase(Locale.ROOT);
        return text.contains("client") && !text.contains("scope");
    }

    static Optional<JsonNode> parseJson(HttpResponse<String> response) {
        try {
            JsonNode node = ZendeskTransport.JSON.readTree(response.body());
            return node != null && node.isContainerNode() ? Optional.of(node) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Zendesk's own error text, or a sanitized excerpt of a non-JSON body. */
    static String errorText(ZendeskCall call, HttpResponse<String> response) {
        Optional<JsonNode> json = parseJson(response);
        if (json.isEmpty()) {
            String body = response.body() == null ? "" : response.body();
            return body.isBlank() ? "empty body" : contentType(response) + " body '" + Redaction.excerpt(body, call.secrets(), ZendeskTransport.EXCERPT) + "'";
        }
        JsonNode node = json.get();
        StringBuilder text = new StringBuilder();
        JsonNode error = node.path("error");
        if (error.isObject()) {
            append(text, error.path("title").asText(""));
            append(text, error.path("message").asText(""));
        } else {
            append(text, error.asText(""));
        }
        append(text, node.path("description").asText(""));
        append(text, node.path("error_description").asText(""));
        if (node.has("details")) {
            append(text, node.get("details").toString());
        }
        return text.length() == 0 ? "no error text" : Redaction.excerpt(text.toString(), call.secrets(), ZendeskTransport.EXCERPT * 2);
    }

    private static void append(StringBuilder text, String part) {
        if (!part.isBlank()) {
            if (text.length() > 0) {
                text.append(": ");
            }
            text.append(part);
        }
    }

    static String contentType(HttpResponse<String> response) {
        return response.headers().firstValue("Content-Type").map(t -> t.split(";")[0].trim()).orElse("no content type");
    }
}
