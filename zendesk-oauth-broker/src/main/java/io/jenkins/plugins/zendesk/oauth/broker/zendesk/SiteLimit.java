package io.jenkins.plugins.zendesk.oauth.broker.zendesk;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The rate limit of one site, i.e. one Zendesk account: the queue of calls waiting for it, and the
 * budget its answers report ({@link SiteBudget}). Calls go in order of {@link Admission.Priority} and, within one, of
 * arrival. Only the first in line decides, so nobody jumps the queue and no herd forms:
 * <ul>
 *   <li>after a 429 nobody goes until {@code Retry-After} has passed; then one call probes and
 *       the others wait for its answer, which tells how many may follow;</li>
 *   <li>while the budget is unknown (the first call, a window that has just reset), one call at a time;</li>
 *   <li>calls go as long as the reported remaining budget, less the calls in flight, allows; the
 *       last tenth of a window's budget is spread over the time left in the window;</li>
 *   <li>with the budget used up, the first in line waits for the window to reset, if known, or
 *       probes alone (Zendesk's 429 then says when it resets).</li>
 * </ul>
 * Only the first in line sleeps (on the {@link Sleeper}), so an injected sleeper sees one wait at a
 * time per site. Thread-safe.
 */
final class SiteLimit {
    /** Waits shorter than this are pacing, not worth telling a build about. */
    private static final Duration TELL_FROM = Duration.ofSeconds(1);
    /** Upper bound on one wait for a signal, so a lost signal costs a second, not a hang. */
    private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String origin;
    private final Clock clock;
    private final Sleeper sleeper;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final TreeSet<Ticket> queue = new TreeSet<>();
    private long issued;
    /** What the answers said; guarded by {@link #lock}. */
    private final SiteBudget budget;
    private boolean sleeping;
    /** The end of the last pause the first in line slept: time has come at least that far, whatever the clock says. */
    private Instant sleptUntil = Instant.EPOCH;

    SiteLimit(String origin, Clock clock, Sleeper sleeper, Duration window) {
        this.origin = origin;
        this.clock = clock;
        this.sleeper = sleeper;
        this.budget = new SiteBudget(window);
    }

    /** A place in the queue: priority first, then arrival. */
    private record Ticket(int priority, long seq) implements Comparable<Ticket> {
        @Override
        public int compareTo(Ticket other) {
            return priority != other.priority ? Integer.compare(priority, other.priority) : Long.compare(seq, other.seq);
        }
    }

    /** One call's turns: every attempt of the call keeps the place in line it got first. */
    final class Waiter {
        private final Admission admission;
        private Ticket ticket;
        private Instant firstWait;
        private boolean told;
        private long grant;

        Waiter(Admission admission) {
            this.admission = admission;
        }

        /**
         * Waits for this call's turn, then counts it in flight; {@link #answered} or
         * {@link #unanswered} must follow.
         *
         * @return how long it waited
         * @throws ZendeskApiException       when the wait would pass {@link Admission#maxWait()}
         * @throws ZendeskTransportException when interrupted while waiting (nothing was sent)
         */
        Duration await() {
            lock.lock();
            try {
                Instant start = now();
                if (firstWait == null) {
                    firstWait = start;
                }
                Instant deadline = firstWait.plus(admission.maxWait());
                if (ticket == null) {
                    ticket = new Ticket(admission.priority().ordinal(), issued++);
                }
                queue.add(ticket);
                return waitForTurn(start, deadline);
            } catch (InterruptedException e) {
                leave();
                Thread.currentThread().interrupt();
                throw new ZendeskTransportException("interrupted while waiting for Zendesk's rate limit on " + origin
                        + "; nothing was sent", e);
            } catch (RuntimeException e) {
                leave();
                throw e;
            } finally {
                lock.unlock();
            }
        }

        private Duration waitForTurn(Instant start, Instant deadline) throws InterruptedException {
            while (true) {
                Instant now = now();
                boolean first = queue.first().equals(ticket);
                Duration wait = first ? budget.decide(now) : null; // null: until those ahead move or an answer comes
                if (wait != null && wait.isZero()) {
                    queue.remove(ticket);
                    grant = budget.grant(now);
                    changed.signalAll();
                    return Duration.between(start, now);
                }
                if (!now.isBefore(deadline) || (wait != null && now.plus(wait).isAfter(deadline))) {
                    throw tooLong(now, wait);
                }
                if (!told) {
                    int ahead = queue.headSet(ticket).size();
                    Duration expected = budget.expected(now, wait, ahead);
                    if (expected.compareTo(TELL_FROM) >= 0) {
                        told = true;
                        lock.unlock();
                        try {
                            admission.observer().waiting(origin, expected, ahead);
                        } catch (RuntimeException observerFailed) {
                            // the wait goes on; an observer cannot stop it
                        } finally {
                            lock.lock();
                        }
                        continue;
                    }
                }
                if (wait != null && !sleeping) {
                    sleeping = true;
                    lock.unlock();
                    try {
                        sleeper.sleep(wait);
                    } finally {
                        lock.lock();
                        sleeping = false;
                        changed.signalAll();
                    }
                    Instant woke = now.plus(wait);
                    if (woke.isAfter(sleptUntil)) {
                        sleptUntil = woke;
                    }
                } else {
                    long untilDeadline = Duration.between(now, deadline).toNanos();
                    changed.awaitNanos(Math.max(1, Math.min(untilDeadline, RECHECK_NANOS)));
                }
            }
        }

        /** Gives up the place in line (under the lock). */
        private void leave() {
            if (ticket != null && queue.remove(ticket)) {
                changed.signalAll();
            }
        }

        /** The call's answer came: its status and headers update the budget. */
        void answered(int status, HttpHeaders headers, Optional<Duration> retryAfter) {
            lock.lock();
            try {
                budget.answered(status, RateLimitHeaders.of(headers), retryAfter, now(), grant);
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /** The call got no answer (connection failed, timeout): it may have counted, so count it. */
        void unanswered() {
            lock.lock();
            try {
                budget.unanswered();
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        private ZendeskApiException tooLong(Instant now, Duration wait) {
            String setting = admission.maxWaitSetting().isEmpty() ? "" : " (" + admission.maxWaitSetting() + ")";
            String how = now.isBefore(firstWait.plus(admission.maxWait()))
                    ? " would keep this call waiting about " + Backoff.human(roundUp(Duration.between(firstWait, now)
                            .plus(budget.expected(now, wait, queue.headSet(ticket).size())))) + " in all, longer than " : " kept this call waiting ";
            return new ZendeskApiException(429, ZendeskApiException.Reason.RATE_LIMITED, "Zendesk's rate limit on " + origin
                    + budget.describeLimit() + how + Backoff.human(admission.maxWait()) + ", the longest wait allowed" + setting
                    + ". Retry later, or spread the builds that call Zendesk" + (setting.isEmpty() ? "" : ", or raise that setting") + ".");
        }
    }

    /**
     * The clock, but never before the end of a pause already slept: a sleeper that returns early
     * (an injected one in tests, a spurious wake-up) cannot make the first in line sleep again.
     */
    private Instant now() {
        Instant clockNow = clock.instant();
        return clockNow.isBefore(sleptUntil) ? sleptUntil : clockNow;
    }

    Waiter waiter(Admission admission) {
        return new Waiter(admission);
    }

    private static Duration roundUp(Duration d) {
        return Duration.ofSeconds(d.getSeconds() + (d.getNano() > 0 ? 1 : 0));
    }

    /** Calls waiting now, for tests and figures. */
    int waiting() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }
}
