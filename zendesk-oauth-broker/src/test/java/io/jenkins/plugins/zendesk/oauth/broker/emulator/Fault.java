package io.jenkins.plugins.zendesk.oauth.broker.emulator;

import java.time.Duration;
import java.util.Objects;

/**
 * A failure injected by {@link ZendeskEmulator#failNext}. Create one with the static factories.
 *
 * <p>Two families:
 * <ul>
 *   <li><em>Instead of processing</em> ({@link #status}, {@link #rateLimited}, {@link #html},
 *       {@link #connectionReset}): the request never reaches the emulated Zendesk state, so e.g. no
 *       token is minted or revoked.</li>
 *   <li><em>After processing</em> ({@link #delay}, {@link #processThenReset},
 *       {@link #processThenStatus}, {@link #processThenEdit}): the request is handled normally (a token
 *       really is minted or revoked) and only the answer is delayed, lost, replaced or edited.</li>
 * </ul>
 */
public sealed interface Fault {

    /**
     * Answers {@code status} with {@code jsonBody} (served as {@code application/json; charset=utf-8})
     * without processing the request.
     *
     * @param jsonBody the body; {@code null} for a Zendesk-like {@code {"error": ..., "description": ...}}
     */
    static Fault status(int status, String jsonBody) {
        return new Status(status, jsonBody);
    }

    /** Like {@link #status(int, String)} with a Zendesk-like JSON error body for that status. */
    static Fault status(int status) {
        return new Status(status, null);
    }

    /**
     * Answers {@code 429 Too Many Requests} with header {@code Retry-After: retryAfterSeconds} and body
     * {@code {"error":"TooManyRequests","description":"..."}} without processing the request.
     */
    static Fault rateLimited(int retryAfterSeconds) {
        return new RateLimited(retryAfterSeconds);
    }

    /**
     * Answers {@code status} with a {@code text/html} page such as
     * {@code <html><body><h1>502 Bad Gateway</h1>...</body></html>}, as a load balancer in front of
     * Zendesk would, without processing the request.
     */
    static Fault html(int status) {
        return new Html(status);
    }

    /**
     * Processes the request normally (the effect, e.g. a mint, happens at once) but sends the answer
     * only after {@code duration}: use it to make a client time out after the server acted.
     * {@link ZendeskEmulator#close()} cuts the wait short.
     */
    static Fault delay(Duration duration) {
        return new Delay(duration);
    }

    /**
     * Drops the connection (TCP reset) without processing the request.
     *
     * <p>Beware: {@code java.net.http.HttpClient} silently retries a {@code GET} (not {@code POST},
     * {@code PUT} or {@code DELETE}) once when the connection is dropped before any answer byte, so arm
     * {@code times >= 2} to make a {@code GET} really fail for such a client. The same holds for
     * {@link #processThenReset()}.
     */
    static Fault connectionReset() {
        return new ConnectionReset();
    }

    /**
     * Processes the request normally (e.g. really mints the token) and then drops the connection
     * (TCP reset) instead of answering: "the mint reached Zendesk but the answer was lost".
     */
    static Fault processThenReset() {
        return new ProcessThenReset();
    }

    /**
     * Processes the request normally (e.g. really mints the token) and then answers {@code status}
     * with a Zendesk-like JSON error body instead of the real answer.
     */
    static Fault processThenStatus(int status) {
        return new ProcessThenStatus(status);
    }

    /**
     * Processes the request normally (e.g. really mints the token) and answers with the real answer edited:
     * the field at {@code pointer} (a JSON Pointer such as {@code /token/full_token}) set to the text
     * {@code replacement}, or removed when {@code replacement} is null. For answers Zendesk's schema does not
     * promise, such as a Create Token answer without {@code full_token}.
     */
    static Fault processThenEdit(String pointer, String replacement) {
        return new ProcessThenEdit(pointer, replacement);
    }

    /** @see Fault#status(int, String) */
    record Status(int status, String jsonBody) implements Fault {
        public Status {
            requireHttpStatus(status);
        }
    }

    /** @see Fault#rateLimited(int) */
    record RateLimited(int retryAfterSeconds) implements Fault {
        public RateLimited {
            if (retryAfterSeconds < 0) {
                throw new IllegalArgumentException("retryAfterSeconds must be >= 0: " + retryAfterSeconds);
            }
        }
    }

    /** @see Fault#html(int) */
    record Html(int status) implements Fault {
        public Html {
            requireHttpStatus(status);
        }
    }

    /** @see Fault#delay(Duration) */
    record Delay(Duration duration) implements Fault {
        public Delay {
            Objects.requireNonNull(duration, "duration");
            if (duration.isNegative()) {
                throw new IllegalArgumentException("duration must not be negative: " + duration);
            }
        }
    }

    /** @see Fault#connectionReset() */
    record ConnectionReset() implements Fault {
    }

    /** @see Fault#processThenReset() */
    record ProcessThenReset() implements Fault {
    }

    /** @see Fault#processThenStatus(int) */
    record ProcessThenStatus(int status) implements Fault {
        public ProcessThenStatus {
            requireHttpStatus(status);
        }
    }

    /** @see Fault#processThenEdit(String, String) */
    record ProcessThenEdit(String pointer, String replacement) implements Fault {
        public ProcessThenEdit {
            if (pointer == null || !pointer.startsWith("/") || pointer.endsWith("/")) {
                throw new IllegalArgumentException("not a JSON Pointer to a field: " + pointer);
            }
        }
    }

    private static void requireHttpStatus(int status) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
    }
}
