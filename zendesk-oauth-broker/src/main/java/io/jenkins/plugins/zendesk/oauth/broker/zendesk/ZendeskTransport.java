package io.jenkins.plugins.zendesk.oauth.broker.zendesk;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.zendesk.oauth.broker.auth.AdminAuth;
import io.jenkins.plugins.zendesk.oauth.broker.value.ZendeskSite;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/**
 * Sends requests to Zendesk with the retry rules, timeouts and error mapping shared by every
 * endpoint. Thread-safe; one instance serves every site and credential.
 *
 * <p>Idempotent requests (GET, DELETE) are retried on 429, 5xx and transport errors. A
 * non-idempotent request (the mint) is retried only when it certainly did not take effect: 429,
 * or a connection that never opened. Anything else that leaves its outcome open raises
 * {@link MintOutcomeUnknownException} rather than risking a second token.
 *
 * <p>Every attempt first waits for its turn in the site's {@link RateLimiter}: a 429 is not a
 * failure but a wait, as long as the call's {@link Admission} allows.
 *
 * <p>This class holds the send loop; an attempt's header comes from {@link CallAuthorization}, its
 * request from {@link HttpRequests}, and {@link CallFailures} says what went wrong.
 */
public final class ZendeskTransport {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int EXCERPT = 200;

    private final HttpClient http;
    private final RetryPolicy policy;
    private final Clock clock;
    private final Sleeper sleeper;
    private final RandomGenerator random;
    private final Backoff backoff;
    private final RateLimiter rateLimiter;
    private final CallFailures failures;
    private final ControlTokens controlTokens = new ControlTokens(this);

    /**
     * @param http an HTTP client that does not follow redirects (it would resend credentials)
     */
    public ZendeskTransport(HttpClient http, RetryPolicy policy, Clock clock, Sleeper sleeper, RandomGenerator random) {
        this(http, policy, clock, sleeper, random, new RateLimiter(clock, sleeper));
    }

    /**
     * @param http        an HTTP client that does not follow redirects (it would resend credentials)
     * @param rateLimiter shared by every transport that calls the same Zendesk accounts
     */
    ZendeskTransport(HttpClient http, RetryPolicy policy, Clock clock, Sleeper sleeper, RandomGenerator random, RateLimiter rateLimiter) {
        if (http.followRedirects() != HttpClient.Redirect.NEVER) {
            throw new IllegalArgumentException("the HTTP client must not follow redirects: they would resend the admin credentials");
        }
        this.http = http;
        this.policy = policy;
        this.clock = clock;
        this.sleeper = sleeper;
        this.random = random;
        this.rateLimiter = rateLimiter;
        this.backoff = new Backoff(policy, clock, random);
        this.failures = new CallFailures(policy, clock);
    }

    /** Threads of {@link #httpExecutor}: the JDK client's executor only completes exchanges, it never waits on the network. */
    public static final int HTTP_THREADS = 4;

    /**
     * A bounded executor for {@link HttpClient.Builder#executor}. Without one the JDK client uses a
     * cached pool that starts a thread per concurrent exchange in a burst (85 seen for 200
     * simultaneous leases). Named daemon threads that end after 30 s idle, so a client dropped
     * without a shutdown leaves none behind; owners that can, shut it down.
     */
    public static ExecutorService httpExecutor(String name, int threads) {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    public RetryPolicy policy() {
        return policy;
    }

    public Clock clock() {
        return clock;
    }

    /** The control tokens of {@link AdminAuth.ClientCredentials}, cached for every call of this transport. */
    public ControlTokens controlTokens() {
        return controlTokens;
    }

    /**
     * The same transport with control tokens of its own, e.g. for Test connection: what it obtains is
     * not shared with, nor replaces, the tokens that running builds use. Revoke them with
     * {@code controlTokens().revokeAll()} when done.
     */
    public ZendeskTransport withOwnControlTokens() {
        ZendeskTransport own = new ZendeskTransport(http, policy, clock, sleeper, random, rateLimiter); // Zendesk's limit is per account
        own.controlTokens.observe(controlTokens.listener()); // its grants and revocations are audited alike
        return own;
    }

    RateLimiter rateLimiter() {
        return rateLimiter;
    }

    /** The admin API of one site, authenticated with {@code auth}. */
    public ZendeskAdminApi admin(ZendeskSite site, AdminAuth auth) {
        return new ZendeskAdminApi(this, site, auth, Admission.build());
    }

    ZendeskReply send(ZendeskCall call, Admission admission) {
        Instant start = clock.instant();
        Instant deadline = start.plus(policy.deadline());
        Exception lastFailure = null;
        String lastProblem = "";
        boolean regranted = false;
        SiteLimit.Waiter turn = rateLimiter.waiter(call.origin(), admission);
        for (int attempt = 1; ; attempt++) {
            Duration remaining = Duration.between(clock.instant(), deadline);
            if (remaining.isNegative() || remaining.isZero()) {
                throw failures.gaveUp(call, "the overall deadline of " + Backoff.human(policy.deadline()) + " passed after " + (attempt - 1)
                        + " attempt(s)" + lastProblem, lastFailure);
            }
            CallAuthorization authorization = CallAuthorization.of(call, controlTokens, admission);
            // Built before the turn is taken: a request the JDK refuses never holds up the site's queue.
            HttpRequest request = HttpRequests.of(call, authorization, min(policy.requestTimeout(), remaining));
            // The deadline bounds Zendesk's answers and our retries, not the wait for the rate limit (the admission bounds that).
            deadline = deadline.plus(turn.await());
            HttpResponse<String> response;
            try {
                response = exchange(request, turn);
            } catch (HttpConnectTimeoutException | ConnectException e) {
                // The request never left: retrying is safe even for the mint.
                lastFailure = e;
                lastProblem = "; last error: could not connect to " + call.uri().getHost() + " (" + e.getClass().getSimpleName() + ")";
                backoffOrGiveUp(call, attempt, deadline, lastProblem, e);
                continue;
            } catch (IOException e) {
                if (CappedBody.isTooLarge(e)) {
                    throw failures.tooLarge(call, start);
                }
                lastFailure = e;
                lastProblem = "; last error: " + CallFailures.transportProblem(e);
                if (!call.idempotent()) {
                    throw failures.uncertain(call, start, CallFailures.transportProblem(e), e);
                }
                backoffOrGiveUp(call, attempt, deadline, lastProblem, e);
                continue;
            } catch (RuntimeException e) {
                throw failures.refused(call, start, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failures.interrupted(call, start, e);
            }
            int status = response.statusCode();
            if (call.okStatuses().contains(status)) {
                return new ZendeskReply(status, failures.successJson(call, response, start));
            }
            if (status == 429) {
                // Nothing was done. The rate limiter now holds every call to the site until Retry-After has passed;
                // this one keeps its place in line. Not an attempt: the admission's longest wait bounds these.
                attempt--;
                continue;
            }
            if (status >= 500) {
                lastProblem = "; last answer: HTTP " + status;
                if (!call.idempotent()) {
                    throw failures.uncertain(call, start, "Zendesk answered HTTP " + status + " (" + ZendeskErrors.errorText(call, response) + ")",
                            null);
                }
                Optional<Duration> wait = backoff.next(attempt, deadline);
                if (wait.isEmpty()) {
                    throw failures.serverError(call, response, attempt);
                }
                pause(call, wait.get());
                continue;
            }
            if (status == 401 && !regranted && authorization.retireRefusedControlToken(controlTokens, call.origin())) {
                regranted = true;
                continue;
            }
            throw ZendeskErrors.forStatus(call, status, ZendeskErrors.errorText(call, response));
        }
    }

    /** One HTTP exchange in the call's turn; the answer, or its absence, goes back to the rate limiter at once. */
    private HttpResponse<String> exchange(HttpRequest request, SiteLimit.Waiter turn) throws IOException, InterruptedException {
        HttpResponse<String> response;
        try {
            response = http.send(request, CappedBody.handler(CappedBody.MAX_BYTES));
        } catch (Throwable noAnswer) {
            turn.unanswered();
            throw noAnswer;
        }
        turn.answered(response.statusCode(), response.headers(),
                response.statusCode() == 429 ? backoff.retryAfter(response) : Optional.empty());
        return response;
    }

    private void backoffOrGiveUp(ZendeskCall call, int attempt, Instant deadline, String problem, Exception cause) {
        Optional<Duration> wait = backoff.next(attempt, deadline);
        if (wait.isEmpty()) {
            throw failures.gaveUp(call, backoff.exhausted(attempt) + problem, cause);
        }
        pause(call, wait.get());
    }

    private void pause(ZendeskCall call, Duration wait) {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // While waiting to retry nothing is in flight: a mint that was refused has not happened.
            throw new ZendeskTransportException(call.describe() + " on " + call.origin() + " was interrupted while waiting to retry", e);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
