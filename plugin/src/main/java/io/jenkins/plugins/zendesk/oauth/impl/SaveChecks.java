package io.jenkins.plugins.zendesk.oauth.impl;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Util;
import io.jenkins.plugins.zendesk.oauth.broker.value.ScopeSet;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskInputException;
import net.sf.json.JSONObject;

/**
 * What a Zendesk admin credential cannot be saved with, each refusal naming the field by its
 * label: a scope that is not valid, default scopes outside the allowed scopes, and a control token
 * lifetime that is no whole number of minutes within Zendesk's bounds.
 */
final class SaveChecks {
    private SaveChecks() {
    }

    /**
     * The scopes of a credential field, normalized (well-formed, deduplicated, sorted). Whether the
     * catalogue knows each one is checked where they are used: an allowed scope may vouch for a newer one.
     *
     * @throws FieldRefusal naming {@code field} when a scope is not valid
     */
    @NonNull
    static String scopes(@CheckForNull String text, @NonNull String field) {
        try {
            return ScopeSet.parseAllowed(text, field).toString();
        } catch (ZendeskInputException e) {
            throw new FieldRefusal(field, CredentialErrorText.forForm(e));
        }
    }

    /**
     * Default scopes outside a non-empty ceiling cannot be saved: every block relying on them would fail.
     *
     * @throws FieldRefusal naming {@code defaultScopes}
     */
    static void requireDefaultsWithin(@NonNull String defaults, @NonNull String ceiling) {
        ScopeSet limit = ScopeSet.parseAllowed(ceiling, "allowedScopes");
        if (limit.isEmpty()) {
            return;
        }
        try {
            ScopeSet.parseAllowed(defaults, "defaultScopes").requireWithin(limit, "defaultScopes");
        } catch (ZendeskInputException e) {
            throw new FieldRefusal("defaultScopes", CredentialErrorText.forForm(e));
        }
    }

    /**
     * Checks a submitted credential form, as typed: Stapler ignores what setters throw, and turns a
     * lifetime that is no number into null (the default) before any setter sees it.
     *
     * @param src            the credential's JSON from the form
     * @param authentication the authentication bound from it
     * @throws FieldRefusal naming the first field that cannot be saved
     */
    static void check(@NonNull JSONObject src, @CheckForNull ZendeskAuthentication authentication) {
        String allowed = scopes(src.optString("allowedScopes", ""), "allowedScopes");
        requireDefaultsWithin(scopes(src.optString("defaultScopes", ""), "defaultScopes"), allowed);
        JSONObject kind = src.optJSONObject("authentication");
        if (authentication instanceof ClientCredentialsAuthentication && kind != null && !kind.isNullObject()) {
            String minutes = Util.fixEmptyAndTrim(kind.optString("controlTokenMinutes", ""));
            String problem = minutes == null ? null : ClientCredentialsAuthentication.minutesProblem(minutes);
            if (problem != null) {
                throw new FieldRefusal("controlTokenMinutes",
                        Messages.CredentialErrorText_field(Messages.CredentialErrorText_label_controlTokenMinutes(), problem));
            }
        }
    }
}
