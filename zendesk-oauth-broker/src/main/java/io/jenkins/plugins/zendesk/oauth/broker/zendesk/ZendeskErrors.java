package io.jenkins.plugins.zendesk.oauth.broker.zendesk;

import io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth;
import io.jenkins.plugins.zendesk.oauth.broker.zendesk.ZendeskApiException.Reason;

/** Turns a final non-success status into a message that says what to fix. */
final class ZendeskErrors {
    private ZendeskErrors() {
    }

    static ZendeskApiException forStatus(ZendeskTransport.Call call, int status, String zendeskText) {
        String where = call.describe() + " on " + ZendeskTransport.origin(call) + ": ";
        String said = " Zendesk said: " + zendeskText + ".";
        return switch (status) {
            case 401 -> new ZendeskApiException(status, Reason.AUTHENTICATION, where + "Zendesk rejected the " + call.auth().describe()
                    + " (HTTP 401)." + said + " " + authenticationFix(call.auth()));
            case 403 -> new ZendeskApiException(status, Reason.PERMISSION, where + "the Zendesk user is not allowed to do this (HTTP 403)."
                    + said + " Only Zendesk admins can manage OAuth tokens: use an admin (ideally a dedicated robot admin) "
                    + "and check that the OAuth client allows the requested scopes.");
            case 404 -> new ZendeskApiException(status, Reason.NOT_FOUND, where + "not found (HTTP 404)." + said
                    + " Check the Zendesk site and the OAuth client id.");
            case 400, 422 -> new ZendeskApiException(status, Reason.VALIDATION, where + "Zendesk refused the request (HTTP " + status + ")."
                    + said + " Check the requested scopes and that the OAuth client allows them.");
            default -> status >= 300 && status < 400
                    ? new ZendeskApiException(status, Reason.OTHER, where + "Zendesk answered with a redirect (HTTP " + status
                            + "), which is never followed because it would resend the admin credentials. Use the site's "
                            + "https://<subdomain>.zendesk.com address.")
                    : new ZendeskApiException(status, Reason.OTHER, where + "unexpected HTTP " + status + "." + said);
        };
    }

    private static String authenticationFix(AdminAuth auth) {
        if (auth instanceof AdminAuth.ApiToken) {
            return "Check the admin email and API token of the credential, and that API token access is enabled in "
                    + "Admin Center > Apps and integrations > APIs > Zendesk API (it is disabled by default in new accounts).";
        }
        if (auth instanceof AdminAuth.Password) {
            return "Check the admin email and password, and that password access is enabled in Admin Center > Apps and "
                    + "integrations > APIs > Zendesk API (it is disabled by default; SSO users have no password: use an API token).";
        }
        return "The admin OAuth access token is expired, revoked or invalid: replace it in the credential.";
    }
}
