package io.jenkins.plugins.zendesk.oauth.broker.zendesk;

import com.fasterxml.jackson.databind.JsonNode;

/** What came back: status and parsed JSON (a missing node for empty bodies). */
record ZendeskReply(int status, JsonNode json) {
}
