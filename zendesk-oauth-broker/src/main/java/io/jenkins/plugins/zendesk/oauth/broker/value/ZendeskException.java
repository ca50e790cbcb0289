package io.jenkins.plugins.zendesk.oauth.broker.value;

/**
 * Root of the broker's exceptions. Messages are written for the Jenkins admin or Jenkinsfile
 * author who will read them in a build log: they say what failed and how to fix it, and never
 * contain a secret.
 */
public abstract class ZendeskException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected ZendeskException(String message) {
        super(message);
    }

    protected ZendeskException(String message, Throwable cause) {
        super(message, cause);
    }
}
