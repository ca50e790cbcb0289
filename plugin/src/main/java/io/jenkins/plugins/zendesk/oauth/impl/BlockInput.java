package io.jenkins.plugins.zendesk.oauth.impl;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Util;
import io.jenkins.plugins.zendesk.oauth.ZendeskAdminCredentials;
import io.jenkins.plugins.zendesk.oauth.broker.value.ScopeSet;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskInputException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** What a block asks for, checked before anything is sent: shared by the binding and the step. */
final class BlockInput {
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private static final int MAX_VARIABLE_LENGTH = 200;

    private BlockInput() {
    }

    /** Longest scopes text accepted (Zendesk's whole catalogue is far shorter). */
    static final int MAX_SCOPES_LENGTH = 2000;

    /**
     * The scopes as given in Pipeline, Declarative, JCasC or a form: a list ({@code ['tickets:read', 'users:read']}),
     * or one string separated by spaces or commas ({@code 'tickets:read users:read'}); null for none.
     *
     * @throws IllegalArgumentException naming {@code scopes} for anything else, or for an overlong value
     */
    @NonNull
    static List<String> scopesFrom(@CheckForNull Object scopes) {
        List<String> entries = new ArrayList<>();
        if (scopes instanceof CharSequence text) {
            entries.add(text.toString());
        } else if (scopes instanceof Collection<?> list) {
            for (Object entry : list) {
                if (entry != null) {
                    entries.add(entry.toString());
                }
            }
        } else if (scopes != null) {
            throw new IllegalArgumentException(Messages.ZendeskOAuthTokenBinding_badScopesType());
        }
        int length = 0;
        for (String entry : entries) {
            length += entry.length() + 1;
        }
        if (length > MAX_SCOPES_LENGTH) {
            throw new IllegalArgumentException(Messages.ZendeskOAuthTokenBinding_scopesTooLong(Integer.toString(MAX_SCOPES_LENGTH)));
        }
        return normalizeScopes(entries);
    }

    /** The variable given, trimmed, or {@link ZendeskOAuthTokenBinding#DEFAULT_VARIABLE} when blank. */
    @NonNull
    static String variableOrDefault(@CheckForNull String variable) {
        String trimmed = Util.fixEmptyAndTrim(variable);
        return trimmed == null ? ZendeskOAuthTokenBinding.DEFAULT_VARIABLE : trimmed;
    }

    /** Flattens entries and splits them on spaces and commas; drops blanks. Keeps the order given. */
    @NonNull
    static List<String> normalizeScopes(@CheckForNull Collection<String> scopes) {
        List<String> result = new ArrayList<>();
        if (scopes != null) {
            for (String entry : scopes) {
                if (entry == null) {
                    continue;
                }
                for (String part : entry.trim().split("[\\s,]+")) {
                    if (!part.isEmpty() && !result.contains(part)) {
                        result.add(part);
                    }
                }
            }
        }
        return result;
    }

    /**
     * The scopes to mint with: the requested ones, else the credential's default scopes. A scope the
     * plugin's catalogue does not know is accepted only when the credential's allowed scopes name it.
     *
     * @throws ZendeskInputException naming {@code scopes} when neither is set or a scope is invalid
     */
    @NonNull
    static ScopeSet resolveScopes(@NonNull List<String> requested, @NonNull ZendeskAdminCredentials credentials) {
        ScopeSet allowed = ScopeSet.parseAllowed(credentials.getAllowedScopes(), "allowedScopes");
        if (!requested.isEmpty()) {
            return ScopeSet.parse(requested, "scopes", allowed);
        }
        ScopeSet defaults = ScopeSet.parse(credentials.getDefaultScopes(), "defaultScopes", allowed);
        if (defaults.isEmpty()) {
            throw new ZendeskInputException("scopes", Messages.ZendeskOAuthTokenBinding_noScopes(credentials.getId()));
        }
        return defaults;
    }

    @NonNull
    static Optional<ScopeSet> ceilingOf(@NonNull ZendeskAdminCredentials credentials) {
        ScopeSet ceiling = ScopeSet.parseAllowed(credentials.getAllowedScopes(), "allowedScopes");
        return ceiling.isEmpty() ? Optional.empty() : Optional.of(ceiling);
    }

    /**
     * @throws AbortException naming {@code variable} when it is not a usable environment variable name
     */
    static void validateVariable(String variable) throws AbortException {
        if (variable == null || variable.length() > MAX_VARIABLE_LENGTH || !VARIABLE_NAME.matcher(variable).matches() || variable.equals(ZendeskOAuthTokenBinding.URL_VARIABLE)) {
            throw new AbortException(Messages.CredentialErrorText_field("variable",
                    Messages.ZendeskOAuthTokenBinding_badVariable(variable, ZendeskOAuthTokenBinding.URL_VARIABLE)));
        }
    }
}
