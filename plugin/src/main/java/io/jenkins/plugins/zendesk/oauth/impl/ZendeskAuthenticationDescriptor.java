package io.jenkins.plugins.zendesk.oauth.impl;

import com.cloudbees.plugins.credentials.ContextInPath;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Descriptor;
import hudson.model.ModelObject;
import hudson.util.FormValidation;
import hudson.util.Secret;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskInputException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jvnet.localizer.Localizable;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * Describes a kind of {@link ZendeskAuthentication}, as credentials-binding's {@code BindingDescriptor}
 * does for bindings: what every kind's form has in common. A kind declares here, once, its deprecation
 * notice (shown by its form, Test connection, the build log and the administrative monitor) and the
 * fields its Test connection button sends; it contributes only how to build itself from those fields.
 * The Jelly fragments every kind's {@code config.jelly} includes (the notice, the button) are in the
 * {@code ZendeskAuthentication} resource folder, which Stapler searches after the kind's own; a help
 * file put there would serve every kind the same way ({@code Descriptor.getHelpFile} walks the
 * describable's class hierarchy).
 */
public abstract class ZendeskAuthenticationDescriptor extends Descriptor<ZendeskAuthentication> {
    @CheckForNull
    private final Localizable deprecation;
    private final List<String> formFields;

    /**
     * @param deprecation what Zendesk does to this kind, and by when; null for a lasting kind
     * @param formFields  the form fields Test connection sends, among the credential's {@code site},
     *                    {@code email}, {@code client} and the kind's own
     */
    protected ZendeskAuthenticationDescriptor(@CheckForNull Localizable deprecation, @NonNull String... formFields) {
        this.deprecation = deprecation;
        this.formFields = List.of(formFields);
    }

    /** This kind's end of support in Zendesk, or null when it has none. */
    @CheckForNull
    public final String getDeprecationNotice() {
        return deprecation == null ? null : deprecation.toString();
    }

    /** The {@code with} list of the Test connection button. */
    @NonNull
    public final String getTestConnectionFields() {
        return String.join(",", formFields);
    }

    /**
     * Builds the authentication from the values of the form, after Test connection checked the
     * caller's permission. Secrets are read through {@link Form#secret}.
     *
     * @throws ZendeskInputException naming the field at fault
     */
    @NonNull
    abstract ZendeskAuthentication fromForm(@NonNull Form form);

    /** Test connection with the values in the form; see {@link TestConnection#run}. */
    @POST
    @Restricted(NoExternalUse.class)
    public final FormValidation doTestConnection(@ContextInPath ModelObject context, StaplerRequest2 request) {
        // The raw parameters: Stapler would decrypt a ciphertext given to a String parameter (see FormSecret).
        Map<String, String> values = new HashMap<>();
        for (String field : formFields) {
            values.put(field, request.getParameter(field));
        }
        return testConnection(context, values);
    }

    /** {@link #doTestConnection} with the form's values as sent (a field not sent is absent or null). */
    final FormValidation testConnection(@CheckForNull ModelObject context, @NonNull Map<String, String> values) {
        Form form = new Form(context, values);
        return TestConnection.run(context, form.text("site"), form.text("email"), form.text("client"), () -> fromForm(form));
    }

    /** The values of a Test connection request, with the store's context that secrets are checked against. */
    static final class Form {
        @CheckForNull
        private final ModelObject context;
        private final Map<String, String> values;

        Form(@CheckForNull ModelObject context, @NonNull Map<String, String> values) {
            this.context = context;
            this.values = new HashMap<>(values); // a field not sent is null, which Map.copyOf refuses
        }

        /** A field as sent, or null when it was not. */
        @CheckForNull
        String text(@NonNull String field) {
            return values.get(field);
        }

        /** A field as sent, trimmed (untouched when over 1,024 characters, for its check to refuse), or null when it was not sent or is blank. */
        @CheckForNull
        String trimmed(@NonNull String field) {
            return CredentialFieldChecks.trimmedUnlessLong(values.get(field));
        }

        /**
         * A secret field: typed in plain text, or the ciphertext of a credential of kind {@code kind} stored in
         * this context ({@link FormSecret}).
         *
         * @param field  the field's path in the credential, named in an error ({@code authentication.apiToken})
         * @param stored reads that kind's stored secret
         * @throws ZendeskInputException naming {@code field} when a ciphertext matches no secret stored there
         */
        @CheckForNull
        <A extends ZendeskAuthentication> Secret secret(@NonNull String field, @NonNull Class<A> kind,
                                                               @NonNull Function<A, Secret> stored) {
            String parameter = field.substring(field.lastIndexOf('.') + 1);
            return FormSecret.resolve(context, values.get(parameter), field, kind, stored);
        }
    }
}
