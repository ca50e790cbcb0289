/**
 * Durable storage of every token that may be live: an intent is written before a mint leaves, the
 * token id before the token reaches its user, and the entry goes only after Zendesk confirms the
 * revocation. It imports only {@code value}; {@code lease} and {@code recovery} build on it
 * (value → ledger → lease).
 */
package io.jenkins.plugins.zendesk.oauth.broker.ledger;
