package io.jenkins.plugins.zendesk.oauth.impl;

import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsStore;
import com.cloudbees.plugins.credentials.domains.Domain;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.ModelObject;
import hudson.util.Secret;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskInputException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Function;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.Stapler;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * A secret sent by a form button (Test connection) as a plain parameter. A stored secret is shown in
 * the form as Jenkins' ciphertext ({@code {AQAAAB...}}), and a {@link Secret} parameter would decrypt
 * any such value, so anyone who can see a ciphertext somewhere could have Jenkins use it. Here a
 * ciphertext is accepted only when a credential of the same kind stored in the context's own stores
 * holds that very secret: the caller, who may configure those stores (checked before), edits it.
 * Anything else must be typed in plain text.
 */
final class FormSecret {
    private FormSecret() {
    }

    /**
     * @param context the store's context, as {@code @ContextInPath} found it (null: the root)
     * @param raw     the parameter as sent (not as Stapler converted it: a {@code String} parameter would be decrypted)
     * @param field   the form field, named in the error
     * @param kind    the authentication kind the secret belongs to
     * @param stored  reads that kind's stored secret
     * @return the secret, or null when none was sent
     * @throws ZendeskInputException naming {@code field} when a ciphertext matches no secret stored there
     */
    @CheckForNull
    static <A extends ZendeskAuthentication> Secret resolve(@CheckForNull ModelObject context, @CheckForNull String raw,
                                                            @NonNull String field, @NonNull Class<A> kind,
                                                            @NonNull Function<A, Secret> stored) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        Secret decrypted = Secret.decrypt(raw);
        if (decrypted == null) {
            return Secret.fromString(raw); // plain text, as typed
        }
        if (!isStoredIn(context == null ? Jenkins.get() : context, decrypted, kind, stored)) {
            throw new ZendeskInputException(field, Messages.FormSecret_notStoredHere());
        }
        return decrypted;
    }

    /**
     * Whether any of these parameters was sent as a ciphertext. Fields that are not secrets never
     * hold one; a check that echoed such a value in its message would show the decrypted secret.
     */
    static boolean anyCiphertext(@NonNull String... parameters) {
        StaplerRequest2 request = Stapler.getCurrentRequest2();
        if (request == null) {
            return false;
        }
        for (String parameter : parameters) {
            String raw = request.getParameter(parameter);
            if (raw != null && Secret.decrypt(raw) != null) {
                return true;
            }
        }
        return false;
    }

    private static <A extends ZendeskAuthentication> boolean isStoredIn(ModelObject context, Secret secret, Class<A> kind,
                                                                       Function<A, Secret> stored) {
        byte[] wanted = secret.getPlainText().getBytes(StandardCharsets.UTF_8);
        for (CredentialsStore store : CredentialsProvider.lookupStores(context)) {
            if (store.getContext() != context) {
                continue; // a parent's store: the caller was not checked there
            }
            for (Domain domain : store.getDomains()) {
                for (Credentials c : store.getCredentials(domain)) {
                    if (c instanceof ZendeskAdminCredentialsImpl admin && kind.isInstance(admin.getAuthentication())) {
                        Secret held = stored.apply(kind.cast(admin.getAuthentication()));
                        if (held != null && MessageDigest.isEqual(wanted, held.getPlainText().getBytes(StandardCharsets.UTF_8))) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }
}
