package io.jenkins.plugins.zendesk.oauth.broker.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An answer of the emulated Zendesk, independent of WireMock.
 *
 * @param status      HTTP status
 * @param contentType the {@code Content-Type}, or {@code null} for no body
 * @param headers     extra headers
 * @param body        the body ({@code ""} for none)
 */
record ApiResponse(int status, String contentType, Map<String, String> headers, String body) {

    static final String JSON = "application/json; charset=utf-8";
    static final String HTML = "text/html; charset=utf-8";
    static final ObjectMapper MAPPER = new ObjectMapper();

    ApiResponse {
        headers = Map.copyOf(headers);
    }

    static ApiResponse json(int status, ObjectNode body) {
        try {
            return new ApiResponse(status, JSON, Map.of(), MAPPER.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** RFC 6749's error shape, which Zendesk's OAuth endpoints use. */
    static ApiResponse oauthError(int status, String error, String description) {
        return json(status, MAPPER.createObjectNode().put("error", error).put("error_description", description));
    }

    static ApiResponse noContent() {
        return new ApiResponse(204, null, Map.of(), "");
    }

    /** Zendesk's error shape: {@code {"error": error, "description": description}}. */
    static ApiResponse error(int status, String error, String description) {
        ObjectNode body = MAPPER.createObjectNode().put("error", error);
        if (description != null) {
            body.put("description", description);
        }
        return json(status, body);
    }

    /** A generic Zendesk-like error for {@code status}, e.g. {@code {"error":"ServiceUnavailable",...}}. */
    static ApiResponse genericError(int status) {
        String reason = reasonPhrase(status);
        return error(status, reason.replace(" ", ""), reason);
    }

    static ApiResponse html(int status) {
        String title = status + " " + reasonPhrase(status);
        String page = "<html><head><title>" + title + "</title></head><body><h1>" + title
                + "</h1><hr><center>nginx</center></body></html>";
        return new ApiResponse(status, HTML, Map.of(), page);
    }

    ApiResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new ApiResponse(status, contentType, more, body);
    }

    static String reasonPhrase(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            case 422 -> "Unprocessable Entity";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> status >= 500 ? "Server Error" : "Error";
        };
    }
}
