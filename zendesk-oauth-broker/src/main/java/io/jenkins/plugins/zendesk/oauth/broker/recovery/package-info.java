/**
 * What nobody else will revoke: the sweeper retries pending revocations and ends the tokens of
 * owners that are gone, the reconciler finds tokens whose mint was never answered, and
 * {@link io.jenkins.plugins.zendesk.oauth.broker.recovery.BrokerRuntime} assembles the whole broker
 * for a host. The top layer: it may import every other broker package but {@code audit}, and none
 * imports it.
 */
package io.jenkins.plugins.zendesk.oauth.broker.recovery;
