package io.jenkins.plugins.zendesk.oauth.broker.emulator;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Request counters of the emulator: per method and path, and requests in flight. Thread-safe. */
final class Traffic {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    void started(String method, String path) {
        counts.computeIfAbsent(key(method, path), k -> new LongAdder()).increment();
        int now = inFlight.incrementAndGet();
        peak.accumulateAndGet(now, Math::max);
    }

    void finished() {
        inFlight.decrementAndGet();
    }

    /** Requests received with {@code method} (any when {@code null} or {@code "*"}) on a path starting with {@code pathPrefix}. */
    int count(String method, String pathPrefix) {
        String prefix = pathPrefix == null ? "" : pathPrefix;
        boolean anyMethod = method == null || method.equals("*");
        long total = 0;
        for (Map.Entry<String, LongAdder> entry : counts.entrySet()) {
            int space = entry.getKey().indexOf(' ');
            String entryMethod = entry.getKey().substring(0, space);
            String entryPath = entry.getKey().substring(space + 1);
            if ((anyMethod || entryMethod.equalsIgnoreCase(method)) && entryPath.startsWith(prefix)) {
                total += entry.getValue().sum();
            }
        }
        return Math.toIntExact(total);
    }

    int peak() {
        return peak.get();
    }

    int inFlight() {
        return inFlight.get();
    }

    void reset() {
        counts.clear();
        peak.set(inFlight.get());
    }

    private static String key(String method, String path) {
        return method.toUpperCase(Locale.ROOT) + " " + path;
    }
}
