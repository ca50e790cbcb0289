package io.jenkins.plugins.zendesk.oauth.impl;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Descriptor;
import jakarta.servlet.ServletException;
import java.io.IOException;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.StaplerResponse2;

/**
 * A value a form, JCasC or the Java API may not save, thrown by a {@code @DataBoundSetter}. Jenkins
 * swallows a {@link Descriptor.FormException} from a nested {@code newInstance} and binds the value
 * anyway, so the setter refuses it: an {@link IllegalArgumentException} for JCasC and Java callers,
 * rendered by Stapler as Jenkins' form error page (the field's label and the fix) for a form.
 */
final class FieldRefusal extends IllegalArgumentException implements HttpResponse {
    private static final long serialVersionUID = 1L;

    private final String field;

    /**
     * @param field   the form field, e.g. {@code defaultScopes}
     * @param message the field's label and what to enter instead; never a secret
     */
    FieldRefusal(@NonNull String field, @NonNull String message) {
        super(message);
        this.field = field;
    }

    @NonNull
    String field() {
        return field;
    }

    @Override
    public void generateResponse(StaplerRequest2 req, StaplerResponse2 rsp, Object node) throws IOException, ServletException {
        new Descriptor.FormException(getMessage(), field).generateResponse(req, rsp, node);
    }
}
