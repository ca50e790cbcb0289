/**
 * What a user typed, validated: sites, scopes, OAuth client references, secrets that never print
 * themselves, and the broker's root exceptions. The bottom layer: it imports no other broker
 * package and does no I/O, so every other layer may use it.
 */
package io.jenkins.plugins.zendesk.oauth.broker.value;
