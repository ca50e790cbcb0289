package io.jenkins.plugins.zendesk.oauth.impl;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Util;
import hudson.model.ModelObject;
import hudson.util.FormValidation;
import io.jenkins.plugins.zendesk.oauth.ZendeskBrokerService;
import io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth;
import io.jenkins.plugins.zendesk.oauth.broker.value.OAuthClientRef;
import io.jenkins.plugins.zendesk.oauth.broker.value.ScopeCatalogue;
import io.jenkins.plugins.zendesk.oauth.broker.value.ScopeSet;
import io.jenkins.plugins.zendesk.oauth.broker.value.SecretValue;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The checks, as you type, of the fields {@link ZendeskAdminCredentialsImpl} has whatever its
 * authentication: site, client, email and scopes. Each applies the broker's own rule, names what is
 * wrong and how to fix it, and never calls Zendesk.
 */
final class CredentialFieldChecks {
    /** Longer than any valid site, email or client; a longer value is checked (and refused) by the broker. */
    private static final int BLANK_SCAN_LIMIT = 1024;

    private CredentialFieldChecks() {
    }

    /**
     * Runs {@code check} for a caller who may configure credentials in {@code context} (others get
     * HTTP 403), unless one of {@code parameters} was sent as a ciphertext: no field checked here holds
     * one, and a check that echoed it would show the decrypted secret.
     */
    @NonNull
    static FormValidation guarded(@CheckForNull ModelObject context, @NonNull Supplier<FormValidation> check, @NonNull String... parameters) {
        ContextPermissions.checkConfigure(context);
        if (FormSecret.anyCiphertext(parameters)) {
            return FormValidation.error(Messages.FormSecret_notAField());
        }
        return check.get();
    }

    @NonNull
    static FormValidation site(@CheckForNull String value) {
        // Nothing typed yet: no error on a new form; every use names the field if it stays empty.
        return unlessEmpty(value, FormValidation.ok(),
                () -> FormValidation.ok(Messages.ZendeskAdminCredentialsImpl_siteOk(ZendeskBrokerService.site(value).toString())));
    }

    @NonNull
    static FormValidation email(@CheckForNull String value) {
        // OAuth client credentials (the default) and a stored OAuth token need none.
        return unlessEmpty(value, FormValidation.ok(Messages.ZendeskAdminCredentialsImpl_emailEmpty()), () -> {
            // The broker's own rule, with a placeholder secret that is never sent.
            new AdminAuth.ApiToken(value, SecretValue.of("form-validation-only"));
            return FormValidation.ok();
        });
    }

    @NonNull
    static FormValidation client(@CheckForNull String value) {
        // Which kind is selected is not sent with this field: each use names the field if the kind needs it.
        return unlessEmpty(value, FormValidation.ok(Messages.ZendeskAdminCredentialsImpl_clientEmpty()),
                () -> OAuthClientRef.parse(value) instanceof OAuthClientRef.ById
                        ? FormValidation.ok()
                        : FormValidation.ok(Messages.ZendeskAdminCredentialsImpl_clientByIdentifier()));
    }

    @NonNull
    static FormValidation allowedScopes(@CheckForNull String value) {
        return refusing(() -> {
            ScopeSet ceiling = ScopeSet.parseAllowed(value, "allowedScopes");
            if (ceiling.isEmpty()) {
                return FormValidation.warning(Messages.ZendeskAdminCredentialsImpl_noCeilingWarning());
            }
            ScopeSet uncatalogued = ceiling.uncatalogued();
            return uncatalogued.isEmpty()
                    ? FormValidation.ok(Messages.ZendeskAdminCredentialsImpl_ceiling(ceiling.toString()))
                    : FormValidation.warning(uncataloguedWarning(uncatalogued, ceiling));
        });
    }

    @NonNull
    static FormValidation defaultScopes(@CheckForNull String value, @CheckForNull String allowedScopes) {
        ScopeSet ceiling;
        try {
            ceiling = ScopeSet.parseAllowed(allowedScopes, "allowedScopes");
        } catch (ZendeskInputException e) {
            // The allowed scopes field reports its own error; only the catalogue vouches then.
            ceiling = ScopeSet.parse("", "allowedScopes");
        }
        ScopeSet within = ceiling;
        return refusing(() -> {
            ScopeSet defaults = ScopeSet.parse(value, "defaultScopes", within);
            if (defaults.isEmpty()) {
                return FormValidation.ok(Messages.ZendeskAdminCredentialsImpl_noDefaultScopes());
            }
            if (!within.isEmpty()) {
                defaults.requireWithin(within, "defaultScopes");
            }
            return FormValidation.ok();
        });
    }

    /** {@code empty} when nothing is typed, else what {@link #refusing} answers for {@code check}. */
    private static FormValidation unlessEmpty(@CheckForNull String value, FormValidation empty, Supplier<FormValidation> check) {
        return trimmedUnlessLong(value) == null ? empty : refusing(check);
    }

    /**
     * {@link Util#fixEmptyAndTrim} for a value of a usual length; a longer one is returned as it is,
     * unread, for its check to refuse as too long: trimming would read a megabyte of spaces.
     */
    @CheckForNull
    static String trimmedUnlessLong(@CheckForNull String value) {
        return value != null && value.length() > BLANK_SCAN_LIMIT ? value : Util.fixEmptyAndTrim(value);
    }

    /** What {@code check} answers, or the broker's refusal of the value as the field's error. */
    private static FormValidation refusing(Supplier<FormValidation> check) {
        try {
            return check.get();
        } catch (ZendeskInputException e) {
            return FormValidation.error(formMessage(e));
        }
    }

    /** Allowed scopes the plugin's catalogue does not know: fine if Zendesk added them, a typo otherwise. */
    private static String uncataloguedWarning(ScopeSet uncatalogued, ScopeSet ceiling) {
        List<String> nearest = new ArrayList<>();
        for (String scope : uncatalogued.asStrings()) {
            ScopeCatalogue.standard().closest(scope).ifPresent(nearest::add);
        }
        return nearest.isEmpty()
                ? Messages.ZendeskAdminCredentialsImpl_uncatalogued(uncatalogued.toString(), ceiling.toString())
                : Messages.ZendeskAdminCredentialsImpl_uncataloguedSuggest(uncatalogued.toString(), String.join(" ", nearest),
                        ceiling.toString());
    }

    /** The broker's message without its {@code field: } prefix, which the form shows next to the field anyway. */
    private static String formMessage(ZendeskInputException e) {
        String prefix = e.field() + ": ";
        String message = e.getMessage();
        return message != null && message.startsWith(prefix) ? message.substring(prefix.length()) : String.valueOf(message);
    }
}
