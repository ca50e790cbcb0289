/**
 * One token per block: {@link io.jenkins.plugins.zendesk.oauth.broker.lease.TokenBroker} mints
 * under the ledger's protocol, renews, resumes after a restart and revokes, and tells a
 * {@link io.jenkins.plugins.zendesk.oauth.broker.lease.LeaseListener} what it did. It imports
 * {@code value}, {@code auth}, {@code zendesk} and {@code ledger}, never {@code recovery} or
 * {@code audit} (what settles an unknown mint is injected as a {@code MintSettler}).
 */
package io.jenkins.plugins.zendesk.oauth.broker.lease;
