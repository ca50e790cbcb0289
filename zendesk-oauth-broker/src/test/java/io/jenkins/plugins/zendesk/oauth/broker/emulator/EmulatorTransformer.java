package io.jenkins.plugins.zendesk.oauth.broker.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The WireMock side of the emulator: every request reaches the single catch-all stub, whose response
 * this extension replaces with the answer of {@link ZendeskApi}, after latency and injected faults.
 * WireMock calls {@link #transform} on its Jetty request threads, concurrently.
 */
final class EmulatorTransformer implements ResponseDefinitionTransformerV2 {

    static final String NAME = "zendesk-emulator";

    private final ZendeskApi api;
    private final Traffic traffic;
    private final List<FaultPlan> faultPlans = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Duration latency = Duration.ZERO;

    EmulatorTransformer(ZendeskApi api, Traffic traffic) {
        this.api = api;
        this.traffic = traffic;
    }

    @Override
    public String getName() {
        return NAME;
    }

    /** Only the catch-all stub, which names this transformer, is transformed. */
    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        LoggedRequest logged = serveEvent.getRequest();
        ApiRequest request = ApiRequest.of(logged.getMethod().value(), logged.getUrl(),
                logged.getHeader("Authorization"), logged.getBodyAsString(), logged.getHeader("Content-Type"));
        traffic.started(request.method(), request.path());
        try {
            pause(latency);
            return respond(request);
        } finally {
            traffic.finished();
        }
    }

    private ResponseDefinition respond(ApiRequest request) {
        Optional<Fault> fault = claimFault(request);
        if (fault.isEmpty()) {
            return definition(api.handle(request));
        }
        Fault f = fault.get();
        if (f instanceof Fault.Status status) {
            return definition(status.jsonBody() == null ? ApiResponse.genericError(status.status())
                    : new ApiResponse(status.status(), ApiResponse.JSON, Map.of(), status.jsonBody()));
        }
        if (f instanceof Fault.RateLimited limited) {
            return definition(ApiResponse.error(429, "TooManyRequests", "You have exceeded the rate limit. Retry after "
                            + limited.retryAfterSeconds() + " seconds.")
                    .withHeader("Retry-After", Integer.toString(limited.retryAfterSeconds())));
        }
        if (f instanceof Fault.Html html) {
            return definition(ApiResponse.html(html.status()));
        }
        if (f instanceof Fault.ConnectionReset) {
            return connectionReset();
        }
        ApiResponse processed = api.handle(request);
        if (f instanceof Fault.Delay delay) {
            pause(delay.duration());
            return definition(processed);
        }
        if (f instanceof Fault.ProcessThenStatus then) {
            return definition(ApiResponse.genericError(then.status()));
        }
        if (f instanceof Fault.ProcessThenEdit edit) {
            return definition(edited(processed, edit));
        }
        return connectionReset(); // Fault.ProcessThenReset
    }

    private static ApiResponse edited(ApiResponse processed, Fault.ProcessThenEdit edit) {
        try {
            JsonNode body = ApiResponse.MAPPER.readTree(processed.body());
            int slash = edit.pointer().lastIndexOf('/');
            JsonNode parent = body.at(edit.pointer().substring(0, slash));
            if (parent instanceof ObjectNode object) {
                String field = edit.pointer().substring(slash + 1);
                if (edit.replacement() == null) {
                    object.remove(field);
                } else {
                    object.put(field, edit.replacement());
                }
            }
            return new ApiResponse(processed.status(), processed.contentType(), processed.headers(), body.toString());
        } catch (JsonProcessingException notJson) {
            return processed;
        }
    }

    // ---------------------------------------------------------------- faults and latency

    FaultPlan addFaultPlan(FaultPlan plan) {
        faultPlans.add(plan);
        return plan;
    }

    void clearFaultPlans() {
        faultPlans.forEach(FaultPlan::cancel);
        faultPlans.clear();
    }

    private Optional<Fault> claimFault(ApiRequest request) {
        for (FaultPlan plan : faultPlans) {
            if (plan.matches(request.method(), request.path()) && plan.tryClaim()) {
                faultPlans.removeIf(p -> p.remaining() == 0);
                return Optional.of(plan.fault());
            }
        }
        return Optional.empty();
    }

    void latency(Duration perRequest) {
        if (perRequest == null || perRequest.isNegative()) {
            throw new IllegalArgumentException("latency must be zero or positive: " + perRequest);
        }
        latency = perRequest;
    }

    /** Ends all pending waits at once: called when the emulator closes. */
    void close() {
        closed.countDown();
    }

    /** Waits {@code duration}, or less if the emulator closes meanwhile. */
    private void pause(Duration duration) {
        if (duration.isZero()) {
            return;
        }
        try {
            closed.await(duration.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- WireMock responses

    private static ResponseDefinition definition(ApiResponse response) {
        ResponseDefinitionBuilder builder = ResponseDefinitionBuilder.responseDefinition().withStatus(response.status());
        if (response.contentType() != null) {
            builder.withHeader("Content-Type", response.contentType());
        }
        response.headers().forEach(builder::withHeader);
        if (!response.body().isEmpty()) {
            builder.withBody(response.body());
        }
        return builder.build();
    }

    private static ResponseDefinition connectionReset() {
        return ResponseDefinitionBuilder.responseDefinition()
                .withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)
                .build();
    }
}
