/**
 * The token audit trail: a {@code LeaseListener} that queues each lease event and writes it, with
 * what the host adds, to daily JSON-lines files, which it then searches and exports. It imports
 * only {@code value} and {@code lease}; no other broker package imports it, the host plugs it in
 * as a listener.
 */
package io.jenkins.plugins.zendesk.oauth.broker.audit;
