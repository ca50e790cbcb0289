package io.jenkins.plugins.zendesk.oauth.broker.value;

import java.util.Objects;

/**
 * A secret string (admin API token, password, minted OAuth token) that never shows itself in
 * {@link #toString()}, so it cannot leak through logs, exception messages or debuggers' summaries.
 * Deliberately not {@link java.io.Serializable}: secrets are persisted only by the caller's own
 * encrypted type (Jenkins' {@code Secret}).
 */
public final class SecretValue {
    private final String value;

    private SecretValue(String value) {
        this.value = value;
    }

    /** Wraps a non-blank secret. */
    public static SecretValue of(String value) {
        Objects.requireNonNull(value, "secret value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("a secret must not be blank");
        }
        return new SecretValue(value);
    }

    /** The plain value: call only where the secret is sent over the wire or handed to the pipeline. */
    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "****";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecretValue other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
