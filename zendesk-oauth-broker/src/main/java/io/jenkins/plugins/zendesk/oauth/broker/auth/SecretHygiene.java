package io.jenkins.plugins.zendesk.oauth.broker.auth;

import io.jenkins.plugins.zendesk.oauth.broker.value.InputLimits;
import io.jenkins.plugins.zendesk.oauth.broker.value.SecretValue;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskInputException;

/**
 * Cleans a secret before it goes into a header or a request body. A secret read from a file
 * (JCasC, Kubernetes secrets) often ends with a line break: that is trimmed. A control character
 * inside it is refused with a fixed text naming the field, because the JDK's own refusal of such a
 * header quotes the whole header, secret included.
 */
public final class SecretHygiene {
    private SecretHygiene() {
    }

    /**
     * The secret without surrounding whitespace.
     *
     * @throws ZendeskInputException naming {@code field} when it is too long, blank, or holds a control character; never quoting it
     */
    public static SecretValue clean(SecretValue secret, String field, String what) {
        String value = secret.reveal();
        InputLimits.require(value, InputLimits.SECRET, field, what);
        String stripped = value.strip();
        if (stripped.isEmpty()) {
            throw new ZendeskInputException(field, what + " is empty; enter it in the credential");
        }
        for (int i = 0; i < stripped.length(); i++) {
            if (Character.isISOControl(stripped.charAt(i))) {
                throw new ZendeskInputException(field, what + " contains a control character (such as a line break or a tab) inside it;"
                        + " enter it again as a single line");
            }
        }
        return stripped.equals(value) ? secret : SecretValue.of(stripped);
    }

    /** Whether {@code value} may be sent as an HTTP header value: the JDK refuses control characters and characters beyond Latin-1. */
    public static boolean isHeaderSafe(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0xFF || (c < 0x20 && c != '\t') || c == 0x7F) {
                return false;
            }
        }
        return true;
    }
}
