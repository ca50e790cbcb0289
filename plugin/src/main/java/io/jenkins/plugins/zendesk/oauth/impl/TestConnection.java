package io.jenkins.plugins.zendesk.oauth.impl;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.ModelObject;
import hudson.util.FormValidation;
import io.jenkins.plugins.zendesk.oauth.ZendeskBrokerService;
import io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth;
import io.jenkins.plugins.zendesk.oauth.broker.value.OAuthClientRef;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskException;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskSite;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.Admission;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.ControlTokens;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.OAuthClientInfo;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.ZendeskAdminApi;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.ZendeskTransport;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.ZendeskUser;
import java.time.Duration;

/** The credential form's "Test connection" button, shared by every kind of admin authentication. */
final class TestConnection {
    private TestConnection() {
    }

    /**
     * Test connection: authenticates as the admin ({@code GET /api/v2/users/me.json}), resolves
     * the minting OAuth client, and reports both (with client credentials, also the control token's
     * lifetime Zendesk granted). Never mints a block token; a deprecated kind answers with a warning. Reached through each authentication
     * kind's {@code doTestConnection} button, which alone knows which kind is selected in the
     * drop-down (the drop-down's {@code <select>} has no name a validate button could send).
     * <p>
     * Checks the permission first: anonymous and read-only callers get HTTP 403 and cause no
     * request to Zendesk. A Secret text reference is only resolved for a user who may use
     * credentials in the context.
     */
    static FormValidation run(@CheckForNull ModelObject context, @CheckForNull String site, @CheckForNull String email,
                              @CheckForNull String client, @NonNull ZendeskAuthentication authentication) {
        ContextPermissions.checkConfigure(context);
        ZendeskTransport transport = null;
        try {
            ZendeskSite zendeskSite = ZendeskBrokerService.site(site);
            OAuthClientRef clientRef = authentication.mintingClient(client);
            AdminAuth auth = authentication.toAdminAuth(email, ContextPermissions.resolverFor(context));
            // Control tokens of its own: a wrong secret typed in the form never disturbs the tokens builds use, and the
            // one it obtains is revoked before it answers. (broker() fails with a ZendeskException on a corrupt ledger.)
            transport = ZendeskBrokerService.get().broker().transport().withOwnControlTokens();
            // A form button: it waits for Zendesk's rate limit a little, never as long as a build may.
            ZendeskAdminApi api = transport.admin(zendeskSite, auth).waitingAs(Admission.build().withMaxWait(Duration.ofSeconds(30), ""));
            ZendeskUser me = api.me();
            long clientId = api.resolveClientId(clientRef);
            if (clientRef instanceof OAuthClientRef.ById) {
                // A numeric id needs no lookup to mint, so confirm it exists here.
                boolean listed = false;
                for (OAuthClientInfo info : api.listClients()) {
                    listed |= info.id() == clientId;
                }
                if (!listed) {
                    return FormValidation.warning(Messages.ZendeskAdminCredentialsImpl_clientNotListed(me.name(), me.email(),
                            String.valueOf(clientId), zendeskSite.toString()));
                }
            }
            if (auth instanceof AdminAuth.ClientCredentials credentials) {
                ControlTokens.ControlToken control = transport.controlTokens().token(zendeskSite.toString(), credentials);
                return FormValidation.ok(Messages.ZendeskAdminCredentialsImpl_connectedClientCredentials(me.name(), me.email(),
                        credentials.identifier(), Long.toString(control.granted().toMinutes()), String.valueOf(clientId)));
            }
            String connected = Messages.ZendeskAdminCredentialsImpl_connected(me.name(), me.email(), String.valueOf(clientId));
            String notice = authentication.deprecationNotice();
            return notice == null ? FormValidation.ok(connected) : FormValidation.warning(connected + ". " + notice);
        } catch (ZendeskException e) {
            // Input errors name their field; broker messages say what failed and how to fix it, and never contain a secret.
            return FormValidation.error(e.getMessage());
        } finally {
            if (transport != null) {
                transport.controlTokens().revokeAll();
            }
        }
    }
}
