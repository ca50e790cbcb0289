package io.jenkins.plugins.zendesk.oauth.impl;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Util;
import hudson.model.Describable;
import hudson.util.Secret;
import io.jenkins.plugins.zendesk.oauth.SecretTextResolver;
import io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth;
import io.jenkins.plugins.zendesk.oauth.broker.auth.SecretHygiene;
import io.jenkins.plugins.zendesk.oauth.broker.value.OAuthClientRef;
import io.jenkins.plugins.zendesk.oauth.broker.value.SecretValue;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskInputException;
import java.io.Serializable;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * How a {@link ZendeskAdminCredentialsImpl} authenticates as the Zendesk admin. A describable
 * hierarchy so that the form shows a drop-down and JCasC gets one symbol per kind. Holds only
 * {@link Secret}s and strings: it is stored in {@code credentials.xml}.
 */
public abstract class ZendeskAuthentication implements Describable<ZendeskAuthentication>, Serializable {
    private static final long serialVersionUID = 1L;

    @NonNull
    @Override
    public ZendeskAuthenticationDescriptor getDescriptor() {
        return (ZendeskAuthenticationDescriptor) Jenkins.get().getDescriptorOrDie(getClass());
    }

    /**
     * The broker's admin authentication.
     *
     * @param email   the admin's login email (ignored by kinds that have none)
     * @param secrets resolves Secret text credentials in the caller's context
     * @throws ZendeskInputException naming the {@code authentication.*} field at fault
     */
    @NonNull
    public abstract AdminAuth toAdminAuth(@CheckForNull String email, @NonNull SecretTextResolver secrets);

    /**
     * The client that mints block tokens when the credential names none: the client credentials'
     * own client. Null for kinds that need the credential's client field.
     */
    @CheckForNull
    public String defaultMintingClient() {
        return null;
    }

    /**
     * The client that mints block tokens: {@code configured} (the credential's client field), or
     * {@link #defaultMintingClient()} when that is empty and this kind has one.
     *
     * @throws ZendeskInputException naming {@code client} when neither is set or the field is invalid
     */
    @NonNull
    public final OAuthClientRef mintingClient(@CheckForNull String configured) {
        String fallback = defaultMintingClient();
        return Util.fixEmptyAndTrim(configured) == null && fallback != null ? OAuthClientRef.parse(fallback) : OAuthClientRef.parse(configured);
    }

    /**
     * What the form, Test connection, the build log and the administrative monitor say about this
     * kind's end of support in Zendesk, or null when it has none: declared by the kind's descriptor.
     */
    @CheckForNull
    public final String deprecationNotice() {
        return getDescriptor().getDeprecationNotice();
    }

    /**
     * The secret held by a Secret text credential, resolved in the caller's context.
     *
     * @throws ZendeskInputException naming {@code field} when it is not selected, not found or empty
     */
    @NonNull
    static SecretValue secretText(@NonNull SecretTextResolver secrets, @CheckForNull String credentialsId, @NonNull String field,
                                  @NonNull String what) {
        if (credentialsId == null) {
            throw new ZendeskInputException(field, Messages.ZendeskAuthentication_noSecretText(what));
        }
        StringCredentials found = secrets.find(credentialsId);
        if (found == null) {
            throw new ZendeskInputException(field, Messages.ZendeskAuthentication_secretTextNotFound(credentialsId, what));
        }
        // Cleaned here, so that a line break in the referenced secret is reported on this field, not on the secret's.
        String credential = Messages.ZendeskAuthentication_theSecretText(credentialsId);
        return SecretHygiene.clean(required(found.getSecret(), field, credential), field, credential);
    }

    /**
     * The plain value of a required secret, checked before anything is sent.
     *
     * @throws ZendeskInputException naming {@code field} when it is missing
     */
    @NonNull
    static SecretValue required(@CheckForNull Secret secret, @NonNull String field, @NonNull String what) {
        String plain = secret == null ? "" : secret.getPlainText();
        if (plain.isBlank()) {
            throw new ZendeskInputException(field, Messages.ZendeskAuthentication_empty(what));
        }
        return SecretValue.of(plain);
    }
}
