package io.jenkins.plugins.zendesk.oauth.impl;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Util;
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
import java.util.Optional;
import java.util.function.Supplier;
import jenkins.model.Jenkins;

/** The credential form's "Test connection" button, shared by every kind of admin authentication. */
final class TestConnection {
    private TestConnection() {
    }

    /**
     * Test connection: authenticates as the admin ({@code GET /api/v2/users/me.json}), resolves
     * the minting OAuth client, and reports both (with client credentials, also the control token's
     * lifetime Zendesk granted). Never mints a block token; a deprecated kind answers with a warning. Reached through each authentication
     * kind's button ({@link ZendeskAuthenticationDescriptor#doTestConnection}), which alone knows which kind is selected in the
     * drop-down (the drop-down's {@code <select>} has no name a validate button could send).
     * <p>
     * Checks the permission first: anonymous and read-only callers get HTTP 403 and cause no
     * request to Zendesk. Only then is the authentication built from the form ({@code authentication}):
     * an encrypted secret is accepted only when stored in this context ({@link FormSecret}), and a
     * Secret text reference is only resolved for a user who may use credentials in the context. A site
     * outside {@code *.zendesk.com} (allowed by the {@code allowAnyHost} switch) needs
     * {@link Jenkins#ADMINISTER}: the secret would go to a host that anyone could run.
     */
    static FormValidation run(@CheckForNull ModelObject context, @CheckForNull String site, @CheckForNull String email,
                              @CheckForNull String client, @NonNull Supplier<ZendeskAuthentication> form) {
        ContextPermissions.checkConfigure(context);
        if (FormSecret.anyCiphertext("site", "email", "client", "clientId", "credentialsId", "clientSecretCredentialsId",
                "controlTokenMinutes")) {
            return FormValidation.error(Messages.FormSecret_notAField());
        }
        ZendeskTransport transport = null;
        try {
            ZendeskSite zendeskSite = ZendeskBrokerService.site(site);
            if (!isZendeskHost(zendeskSite) && !Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
                return FormValidation.error(Messages.TestConnection_foreignHostNeedsAdminister());
            }
            ZendeskAuthentication authentication = form.get();
            OAuthClientRef clientRef = authentication.mintingClient(client);
            AdminAuth auth = authentication.toAdminAuth(email, ContextPermissions.resolverFor(context));
            // Control tokens of its own: a wrong secret typed in the form never disturbs the tokens builds use, and the
            // one it obtains is revoked before it answers. (It fails with a ZendeskException on a corrupt ledger.)
            transport = ZendeskBrokerService.get().transportWithOwnControlTokens();
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
            Optional<ControlTokens.ControlToken> control = api.controlToken();
            if (control.isPresent()) {
                return success(Messages.ZendeskAdminCredentialsImpl_connectedClientCredentials(me.name(), me.email(),
                        control.get().client(), Long.toString(control.get().granted().toMinutes()), String.valueOf(clientId)));
            }
            String connected = Messages.ZendeskAdminCredentialsImpl_connected(me.name(), me.email(), String.valueOf(clientId));
            String notice = authentication.deprecationNotice();
            return notice == null ? success(connected) : FormValidation.warning(connected + ". " + notice);
        } catch (ZendeskException e) {
            // Input errors name their field; broker messages say what failed and how to fix it, and never contain a secret.
            return FormValidation.error(CredentialErrorText.forForm(e));
        } finally {
            if (transport != null) {
                transport.controlTokens().revokeAll();
            }
        }
    }

    /** A plain OK renders in the secondary text colour, like a hint: a connection that works is shown as a success. */
    static FormValidation success(String message) {
        return FormValidation.okWithMarkup("<span class=\"jenkins-!-success-color zendesk-connection-ok\">" + Util.escape(message) + "</span>");
    }

    private static boolean isZendeskHost(ZendeskSite site) {
        try {
            return ZendeskSite.parse(site.toString(), ZendeskSite.HostPolicy.ZENDESK_ONLY).equals(site);
        } catch (ZendeskException notZendesk) {
            return false;
        }
    }
}
