package io.jenkins.plugins.zendesk.oauth.broker.ledger;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.logging.Logger;

/**
 * The ledger's single writer thread and its queue: every change waiting when the thread comes
 * round is written as one group with one sync (group commit). Callers never touch the files, so
 * an interrupt of a caller cannot close a file channel under another caller's write; the thread
 * itself belongs to this writer, so nobody interrupts it.
 *
 * <p>The queue is guarded by the ledger's state lock, not by a lock of its own: a change enters
 * memory and the queue under one lock, so the files see the changes in memory's order.
 */
final class LedgerWriter {
    // The name FileLeaseLedger always logged under, so that existing logging configuration still applies.
    private static final Logger LOGGER = Logger.getLogger(FileLeaseLedger.class.getName());
    /** How long a removal nobody waits for may wait for a write that someone waits for, to share its sync. */
    private static final long LAZY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final Path file;
    private final LedgerStore store;
    /** The ledger's state lock; guards {@link #pending}, {@link #awaitedPending}, {@link #draining} and {@link #closing}. */
    private final Object lock;
    /** Told of a group that failed, or that can no longer be written because the writer is closed. */
    private final BiConsumer<List<LedgerChange>, LedgerException> onFailure;
    /** One thread at most, created on demand, gone after a minute idle; never shared, never interrupted by us. */
    private final ThreadPoolExecutor executor;

    private List<LedgerChange> pending = new ArrayList<>();
    /** Changes in {@link #pending} that a caller waits for. */
    private int awaitedPending;
    private boolean draining;
    /** Set by {@link #close()}: a removal held back for company is written at once. */
    private boolean closing;

    LedgerWriter(Path file, LedgerStore store, Object lock, BiConsumer<List<LedgerChange>, LedgerException> onFailure) {
        this.file = file;
        this.store = store;
        this.lock = lock;
        this.onFailure = onFailure;
        String name = "Zendesk token ledger writer (" + file.getFileName() + ")";
        executor = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread t = new Thread(task, name);
            t.setDaemon(true); // pending writes are awaited by their callers and by close(), not by JVM exit
            return t;
        });
        executor.allowCoreThreadTimeOut(true);
    }

    /**
     * Queues {@code change} behind every change queued before. The caller holds the lock, and
     * calls {@link #start()} after releasing it when this returns true.
     */
    boolean enqueue(LedgerChange change) {
        pending.add(change);
        if (change.awaited()) {
            awaitedPending++;
            lock.notifyAll(); // a writer holding back a removal writes now
        }
        boolean start = !draining;
        draining = true;
        return start;
    }

    /** Starts the writer thread on the queue; once closed, fails everything queued instead. */
    void start() {
        try {
            executor.execute(this::drain);
        } catch (RejectedExecutionException closed) {
            List<LedgerChange> batch;
            synchronized (lock) {
                batch = pending;
                pending = new ArrayList<>();
                awaitedPending = 0;
                draining = false;
            }
            onFailure.accept(batch, new LedgerException("the token ledger " + file + " is closed", closed));
        }
    }

    /** Writes what is queued, then stops the thread. Later changes fail. */
    void close() {
        executor.shutdown();
        synchronized (lock) {
            closing = true;
            lock.notifyAll(); // a removal held back for company is written now
        }
        try {
            if (!executor.awaitTermination(1, TimeUnit.MINUTES)) {
                LOGGER.warning("the token ledger " + file + " is still writing after a minute; not waiting longer");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the writer goes on on its own: it is never interrupted
        }
    }

    /**
     * The writer thread's loop: one group per pass, until nothing is pending. A group of removals
     * only (nobody waits for them) is held back a little for a change that someone waits for, so
     * that both share one sync: a lease's removal then costs the next lease's intent nothing.
     */
    private void drain() {
        while (true) {
            List<LedgerChange> batch;
            synchronized (lock) {
                long deadline = System.nanoTime() + LAZY_NANOS;
                while (!pending.isEmpty() && awaitedPending == 0 && !closing) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    try {
                        TimeUnit.NANOSECONDS.timedWait(lock, left);
                    } catch (InterruptedException e) {
                        break; // nobody should interrupt this thread; if someone does, write now (write() clears it)
                    }
                }
                batch = pending;
                pending = new ArrayList<>();
                awaitedPending = 0;
                if (batch.isEmpty()) {
                    draining = false;
                    return;
                }
            }
            try {
                store.write(batch);
            } catch (LedgerException e) {
                onFailure.accept(batch, e);
                continue;
            } catch (RuntimeException | Error e) {
                onFailure.accept(batch, new LedgerException("cannot write the token ledger " + file + ": "
                        + ErrorText.describe(e), e));
                continue;
            }
            for (LedgerChange c : batch) {
                c.done().complete(c.next());
            }
        }
    }
}
