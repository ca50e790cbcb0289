package io.jenkins.plugins.zendesk.oauth.impl;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Util;
import hudson.model.Item;
import hudson.util.FormValidation;
import io.jenkins.plugins.zendesk.oauth.broker.value.ScopeSet;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskInputException;
import java.io.PrintWriter;
import java.util.List;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;

/**
 * The Snippet Generator's checks of a {@code withZendeskToken} block: the scopes and the variable
 * as you type, and no snippet without a credential. They reveal nothing but the grammar, so
 * reading the job (or Jenkins, for the global generator) is enough.
 */
final class SnippetChecks {
    /** Longer input is no scope list a person typed. */
    private static final int MAX_INPUT = 4096;

    private SnippetChecks() {
    }

    @NonNull
    static FormValidation scopes(@CheckForNull Item item, @CheckForNull String value) {
        checkRead(item);
        String text = Util.fixNull(value);
        if (text.length() > MAX_INPUT) {
            return FormValidation.error(Messages.SnippetChecks_tooLong(MAX_INPUT));
        }
        List<String> scopes = BlockInput.normalizeScopes(List.of(text));
        if (scopes.isEmpty()) {
            return FormValidation.ok(Messages.SnippetChecks_noScopes());
        }
        try {
            ScopeSet.parse(scopes, "scopes");
            return FormValidation.ok();
        } catch (ZendeskInputException e) {
            return FormValidation.error(CredentialErrorText.forForm(e));
        }
    }

    @NonNull
    static FormValidation variable(@CheckForNull Item item, @CheckForNull String value) {
        checkRead(item);
        String name = Util.fixEmptyAndTrim(value);
        if (name == null) {
            return FormValidation.ok();
        }
        if (name.length() > MAX_INPUT) {
            return FormValidation.error(Messages.SnippetChecks_tooLong(MAX_INPUT));
        }
        try {
            BlockInput.validateVariable(name);
            return FormValidation.ok();
        } catch (AbortException e) {
            return FormValidation.error(Messages.ZendeskOAuthTokenBinding_badVariable(name, ZendeskOAuthTokenBinding.URL_VARIABLE));
        }
    }

    /**
     * Refuses a form without a credential. The Snippet Generator shows an exception thrown here as
     * its text (Jenkins prints a throwable that overrides {@code printStackTrace} as it says), so
     * the author reads one sentence instead of a snippet that fails when run.
     */
    static void requireCredentialsId(@CheckForNull JSONObject formData) {
        String id = formData == null ? null : Util.fixEmptyAndTrim(formData.optString("credentialsId", ""));
        if (id == null) {
            throw new Refusal(Messages.SnippetChecks_noCredentialsId());
        }
    }

    private static void checkRead(@CheckForNull Item item) {
        if (item == null) {
            Jenkins.get().checkPermission(Jenkins.READ);
        } else {
            item.checkPermission(Item.READ);
        }
    }

    /** A refusal whose printed form is its message alone. */
    static final class Refusal extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        Refusal(String message) {
            super(message);
        }

        @Override
        public void printStackTrace(PrintWriter s) {
            s.println(getMessage());
        }
    }
}
