package io.jenkins.plugins.zendesk.oauth.impl;

import java.util.HashMap;
import java.util.Map;

/** The fields a Test connection button sends, for calling a kind's Test connection directly. */
final class TestConnectionForm {
    private TestConnectionForm() {
    }

    /** @param namesAndValues field name, value (null: not sent), field name, value, ... */
    static Map<String, String> of(String... namesAndValues) {
        Map<String, String> form = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            form.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return form;
    }
}
