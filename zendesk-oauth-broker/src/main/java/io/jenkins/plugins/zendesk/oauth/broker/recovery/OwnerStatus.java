package io.jenkins.plugins.zendesk.oauth.broker.recovery;

/**
 * Whether the owner of a lease (e.g. a Jenkins run) may still be using its token. The sweeper
 * never revokes a {@code LIVE} token whose owner is active.
 */
@FunctionalInterface
public interface OwnerStatus {

    /** True while {@code owner} may still use its token; when unsure, answer true. */
    boolean isActive(String owner);
}
