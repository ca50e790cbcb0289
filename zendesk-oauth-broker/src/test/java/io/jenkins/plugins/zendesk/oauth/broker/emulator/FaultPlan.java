package io.jenkins.plugins.zendesk.oauth.broker.emulator;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Handle on a fault armed with {@link ZendeskEmulator#failNext}: the next {@code times} requests
 * whose method and path match get {@link #fault()} instead of (or after) normal handling.
 * Thread-safe: concurrent requests never consume more than {@code times} faults.
 */
public final class FaultPlan {

    private final String method;
    private final String pathPrefix;
    private final Fault fault;
    private final AtomicInteger remaining;

    FaultPlan(String method, String pathPrefix, int times, Fault fault) {
        if (times < 0) {
            throw new IllegalArgumentException("times must be >= 0: " + times);
        }
        if (fault == null) {
            throw new IllegalArgumentException("fault is required");
        }
        this.method = method == null || method.equals("*") ? null : method.toUpperCase(Locale.ROOT);
        this.pathPrefix = pathPrefix == null ? "" : pathPrefix;
        this.fault = fault;
        this.remaining = new AtomicInteger(times);
    }

    /** How many more matching requests will get the fault. */
    public int remaining() {
        return remaining.get();
    }

    /** Disarms the plan: no further request gets the fault. */
    public void cancel() {
        remaining.set(0);
    }

    /** The injected fault. */
    public Fault fault() {
        return fault;
    }

    /** The HTTP method matched (upper case), or {@code null} for any method. */
    public String method() {
        return method;
    }

    /** The request path prefix matched (query string excluded). */
    public String pathPrefix() {
        return pathPrefix;
    }

    boolean matches(String requestMethod, String requestPath) {
        return (method == null || method.equalsIgnoreCase(requestMethod)) && requestPath.startsWith(pathPrefix);
    }

    /** Takes one use of the fault, if any is left. */
    boolean tryClaim() {
        return remaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    @Override
    public String toString() {
        return "FaultPlan[" + (method == null ? "*" : method) + " " + pathPrefix + " -> " + fault
                + ", remaining=" + remaining() + "]";
    }
}
