package io.jenkins.plugins.zendesk.oauth;

import com.cloudbees.plugins.credentials.CredentialsNameProvider;
import com.cloudbees.plugins.credentials.NameWith;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Util;
import io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth;
import io.jenkins.plugins.zendesk.oauth.broker.value.OAuthClientRef;

/**
 * A Zendesk admin credential from which short-lived OAuth tokens are minted. Deliberately not a
 * string or username/password credential: no job can bind the admin secret itself, only tokens
 * minted from it by {@code withZendeskToken} or the {@code zendeskOAuthToken} binding.
 */
@NameWith(ZendeskAdminCredentials.NameProvider.class)
public interface ZendeskAdminCredentials extends StandardCredentials {

    /** The Zendesk site as entered: a subdomain ({@code acme}) or URL ({@code https://acme.zendesk.com}). */
    @NonNull
    String getSite();

    /** The OAuth client to mint with: its numeric id or its unique identifier. */
    @NonNull
    String getClient();

    /** The most any pipeline may ask for, space separated; empty for no ceiling. */
    @NonNull
    String getAllowedScopes();

    /** Scopes used when a step names none, space separated; may be empty. */
    @NonNull
    String getDefaultScopes();

    /**
     * The admin authentication. A reference to a Secret text credential is resolved through
     * {@code secrets}, which applies the caller's context and permissions.
     *
     * @throws io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskInputException when a referenced credential is missing
     */
    @NonNull
    AdminAuth adminAuth(@NonNull SecretTextResolver secrets);

    /**
     * The OAuth client that mints block tokens: {@link #getClient()}, parsed; implementations may
     * fall back to the authentication's own client when it is empty.
     *
     * @throws io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskInputException naming {@code client} when it is invalid
     */
    @NonNull
    default OAuthClientRef mintingClient() {
        return OAuthClientRef.parse(getClient());
    }

    /** Zendesk's end of support for this credential's kind of authentication, or null when it has none. */
    @CheckForNull
    default String deprecationNotice() {
        return null;
    }

    /** Names the credential by its description, else its site. */
    class NameProvider extends CredentialsNameProvider<ZendeskAdminCredentials> {
        @NonNull
        @Override
        public String getName(@NonNull ZendeskAdminCredentials c) {
            String description = Util.fixEmptyAndTrim(c.getDescription());
            return description != null ? description : Messages.ZendeskAdminCredentials_name(c.getSite());
        }
    }
}
