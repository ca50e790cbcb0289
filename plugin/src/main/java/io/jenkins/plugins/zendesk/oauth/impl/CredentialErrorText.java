package io.jenkins.plugins.zendesk.oauth.impl;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Util;
import io.jenkins.plugins.zendesk.oauth.ZendeskAdminCredentials;
import io.jenkins.plugins.zendesk.oauth.broker.value.InputLimits;
import io.jenkins.plugins.zendesk.oauth.broker.value.OAuthClientRef;
import io.jenkins.plugins.zendesk.oauth.broker.value.Redaction;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskException;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskInputException;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.ZendeskApiException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How errors caused by a Zendesk admin credential read in a build log and in the credential form.
 * A build error names the Jenkins credential id and its OAuth client, which the Jenkinsfile author
 * passes on to an admin; the broker's field paths ({@code authentication.clientSecret}) become the
 * form's labels; a numeric id or a display name typed where the unique identifier belongs is called
 * what it is.
 */
final class CredentialErrorText {
    /** A display name has a space or another character that no unique identifier has. */
    private static final Pattern NOT_IDENTIFIER_CHARACTER = Pattern.compile("[^A-Za-z0-9_.\\-]");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,30}");

    private CredentialErrorText() {
    }

    /**
     * The build-log message for {@code e}, raised while minting with {@code credentials}.
     *
     * @param credentialsId  the Jenkins credential id the step or binding named
     * @param credentials    the credential found for it
     * @param e              the broker's error; its message never holds a secret
     * @param usedDefaults   whether the block named no scopes, so that the credential's default scopes were used
     */
    @NonNull
    static String forBuild(@NonNull String credentialsId, @NonNull ZendeskAdminCredentials credentials, @NonNull ZendeskException e,
                           boolean usedDefaults) {
        String text = withoutFieldPath(e);
        String identifier = clientIdentifier(credentials);
        String hint = identifierHint(identifier, credentials, e);
        if (hint != null) {
            text = hint;
        }
        if (usedDefaults && isAboutScopes(e)) {
            text = Messages.CredentialErrorText_defaultScopes(credentials.getDefaultScopes(), text);
        }
        String client = shownClient(identifier != null ? identifier : Util.fixEmptyAndTrim(credentials.getClient()));
        return client == null
                ? Messages.CredentialErrorText_credential(credentialsId, text)
                : Messages.CredentialErrorText_credentialAndClient(credentialsId, client, text);
    }

    /**
     * The client as a build log may show it: only a well-formed id or identifier, and a token-like one
     * masked, since what is typed into a client field may be a secret pasted into the wrong field (issue 14).
     */
    @CheckForNull
    private static String shownClient(@CheckForNull String client) {
        if (client == null) {
            return null;
        }
        try {
            OAuthClientRef.parse(client);
        } catch (ZendeskException notAClient) {
            return null;
        }
        return Redaction.shown(client);
    }

    /** The form's wording of {@code e} (Test connection, field checks): labels instead of field paths. */
    @NonNull
    static String forForm(@NonNull ZendeskException e) {
        return withoutFieldPath(e);
    }

    /**
     * What a value typed as the OAuth client's unique identifier really is, when it is plainly
     * something else: its numeric id or its display name. Null when it may be an identifier.
     */
    @CheckForNull
    static String identifierMistake(@CheckForNull String typed) {
        String value = CredentialFieldChecks.trimmedUnlessLong(typed);
        if (value == null || value.length() > InputLimits.CLIENT) {
            return null; // the broker refuses it as too long, without reading it
        }
        if (DIGITS.matcher(value).matches()) {
            return Messages.CredentialErrorText_numericId();
        }
        // One character class, searched once: linear. The value is not quoted back: it might be a pasted secret.
        if (NOT_IDENTIFIER_CHARACTER.matcher(value).find()) {
            return Messages.CredentialErrorText_displayName();
        }
        return null;
    }

    /** The broker's message with its {@code field: } prefix replaced by the field's label in the form. */
    @NonNull
    private static String withoutFieldPath(@NonNull ZendeskException e) {
        String message = String.valueOf(e.getMessage());
        if (!(e instanceof ZendeskInputException input)) {
            return message;
        }
        String prefix = input.field() + ": ";
        String rest = message.startsWith(prefix) ? message.substring(prefix.length()) : message;
        return Messages.CredentialErrorText_field(label(input.field()), rest);
    }

    /** The form label of a broker field path; the step's own parameters keep their names. */
    @NonNull
    static String label(@NonNull String field) {
        return switch (field) {
            case "site" -> Messages.CredentialErrorText_label_site();
            case "client" -> Messages.CredentialErrorText_label_client();
            case "email" -> Messages.CredentialErrorText_label_email();
            case "allowedScopes" -> Messages.CredentialErrorText_label_allowedScopes();
            case "defaultScopes" -> Messages.CredentialErrorText_label_defaultScopes();
            case "authentication.clientId" -> Messages.CredentialErrorText_label_clientId();
            case "authentication.clientSecret" -> Messages.CredentialErrorText_label_clientSecret();
            case "authentication.clientSecretCredentialsId", "authentication.credentialsId" ->
                    Messages.CredentialErrorText_label_secretText();
            case "authentication.controlTokenMinutes" -> Messages.CredentialErrorText_label_controlTokenMinutes();
            case "authentication.apiToken" -> Messages.CredentialErrorText_label_apiToken();
            case "authentication.accessToken" -> Messages.CredentialErrorText_label_accessToken();
            case "authentication.password" -> Messages.CredentialErrorText_label_password();
            case "authentication" -> Messages.CredentialErrorText_label_authentication();
            default -> field;
        };
    }

    /** The client credentials' identifier, when the credential uses that kind. */
    @CheckForNull
    private static String clientIdentifier(@NonNull ZendeskAdminCredentials credentials) {
        if (credentials instanceof ZendeskAdminCredentialsImpl impl
                && impl.getAuthentication() instanceof ClientCredentialsAuthentication clientCredentials) {
            return Util.fixEmptyAndTrim(clientCredentials.getClientId());
        }
        return null;
    }

    /**
     * When the identifier is refused (by its format, or by Zendesk as an unknown client) and it
     * is plainly a numeric id or a display name, say so instead.
     */
    @CheckForNull
    private static String identifierHint(@CheckForNull String identifier, @NonNull ZendeskAdminCredentials credentials,
                                         @NonNull ZendeskException e) {
        // An empty client field mints with the identifier's client, so a "client" error is then about the identifier.
        boolean mintsWithIt = Util.fixEmptyAndTrim(credentials.getClient()) == null;
        boolean refused = e instanceof ZendeskInputException input
                        && (input.field().equals("authentication.clientId") || mintsWithIt && input.field().equals("client"))
                || e instanceof ZendeskApiException api && api.reason() == ZendeskApiException.Reason.AUTHENTICATION;
        String mistake = refused ? identifierMistake(identifier) : null;
        return mistake == null ? null : Messages.CredentialErrorText_field(Messages.CredentialErrorText_label_clientId(), mistake);
    }

    private static boolean isAboutScopes(@NonNull ZendeskException e) {
        if (e instanceof ZendeskInputException input) {
            return input.field().equals("scopes") || input.field().equals("defaultScopes");
        }
        return e instanceof ZendeskApiException api && api.reason() == ZendeskApiException.Reason.VALIDATION
                && String.valueOf(api.getMessage()).toLowerCase(Locale.ROOT).contains("scope");
    }
}
