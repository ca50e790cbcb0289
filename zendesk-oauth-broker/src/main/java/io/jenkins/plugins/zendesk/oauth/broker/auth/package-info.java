/**
 * How the broker proves to Zendesk that it acts for an admin: the sealed {@link
 * io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth} kinds (OAuth client credentials, an API token,
 * a stored admin OAuth token), their input checks, and {@link io.jenkins.plugins.zendesk.oauth.broker.auth.SecretHygiene},
 * which cleans a secret before it can become a header. Each kind says how it authorizes a call and what to
 * check when Zendesk rejects it; the transport answers through {@code AdminAuth.Authorizer}. This layer does
 * no I/O and depends only on {@code value}: never on {@code zendesk} or anything above it.
 */
package io.jenkins.plugins.zendesk.oauth.broker.auth;
