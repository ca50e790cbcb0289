package io.jenkins.plugins.zendesk.oauth.broker.value;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The linear rewrite of tag stripping and secret masking keeps what the patterns did, and bounds what it reads. */
class RedactionTest {
    private static final SecretValue SECRET = SecretValue.of("s3cr3t-value-that-is-long-enough");

    @Test
    void stripsTagsScriptsAndStyles() {
        assertThat(Redaction.excerpt("<html><head><style>p{color:red}</style><script>var x = '<b>';</script></head>"
                + "<body><p>Bad <b>gateway</b></p></body></html>", List.of(), 200)).isEqualTo("Bad gateway");
    }

    @Test
    void aLoneAngleBracketStays() {
        assertThat(Redaction.excerpt("a < b and c > d", List.of(), 200)).isEqualTo("a d");
        assertThat(Redaction.excerpt("a < b", List.of(), 200)).isEqualTo("a < b");
        assertThat(Redaction.excerpt("<script>never closed", List.of(), 200)).isEqualTo("never closed");
    }

    @Test
    void masksSecretsAndTokenLikeRuns() {
        assertThat(Redaction.excerpt("key " + SECRET.reveal() + " and " + "A".repeat(40) + " end", List.of(SECRET), 200))
                .isEqualTo("key **** and **** end");
    }

    @Test
    void aSecretAcrossTheCutIsMaskedAndNoPrefixOfATokenSurvives() {
        String padding = "x ".repeat(Redaction.MAX_SCANNED / 2 - 5);
        String text = padding + SECRET.reveal() + " tail";
        assertThat(Redaction.excerpt(text, List.of(SECRET), Integer.MAX_VALUE)).doesNotContain("s3cr3t").doesNotContain("-v")
                .endsWith("x");
        String spaced = padding + "s3cr3t value " + " tail";
        SecretValue withSpace = SecretValue.of("s3cr3t value");
        assertThat(Redaction.excerpt(spaced, List.of(withSpace), Integer.MAX_VALUE)).doesNotContain("s3cr3t").doesNotContain("val")
                .endsWith("****");
        String token = "0123456789abcdef".repeat(4);
        assertThat(Redaction.excerpt(padding + "  " + token, List.of(), Integer.MAX_VALUE)).doesNotContain("0123");
    }

    @Test
    void readsAtMostMaxScannedCharacters() {
        String text = "y ".repeat(Redaction.MAX_SCANNED) + "LATE";
        assertThat(Redaction.excerpt(text, List.of(), Integer.MAX_VALUE)).doesNotContain("LATE").hasSizeLessThanOrEqualTo(Redaction.MAX_SCANNED);
    }

    @Test
    void shownMasksTokenLikeIdentifiers() {
        assertThat(Redaction.shown("jenkins_ci")).isEqualTo("jenkins_ci");
        assertThat(Redaction.shown("Adm1nApiT0kenXyZ9876543210abcdefGHIJKLmn")).isEqualTo("****");
    }
}
