/**
 * Zendesk's HTTP API as the broker uses it. {@link io.jenkins.plugins.zendesk.oauth.broker.zendesk.ZendeskTransport}
 * sends every call with its timeouts, retries, the site's rate limit (waited for as the call's
 * {@link io.jenkins.plugins.zendesk.oauth.broker.zendesk.Admission} says) and, for client credentials, a cached
 * control token; {@link io.jenkins.plugins.zendesk.oauth.broker.zendesk.ZendeskAdminApi} covers the OAuth admin
 * endpoints of one site. Failures are exceptions whose messages say what to fix and never hold a secret. It
 * depends on {@code value}, {@code auth}, the JDK's HTTP client and Jackson; it knows nothing of leases, the
 * ledger or Jenkins.
 */
package io.jenkins.plugins.zendesk.oauth.broker.zendesk;
