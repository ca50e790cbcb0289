package io.jenkins.plugins.zendesk.oauth.broker.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jenkins.plugins.zendesk.oauth.broker.value.ScopeSet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileLeaseLedgerTest {
    private static final ScopeSet SCOPES = ScopeSet.parse("tickets:read users:read", "scopes");

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("ledger.json");
    }

    private FileLeaseLedger open() {
        return new FileLeaseLedger(file(), Clock.systemUTC());
    }

    @Test
    void everyStateSurvivesAReload() {
        FileLeaseLedger ledger = open();
        LedgerEntry minting = ledger.recordIntent("https://acme.zendesk.com", 50328, "job#1", "cred", SCOPES);
        LedgerEntry live = ledger.recordIntent("https://acme.zendesk.com", 50328, "job#2", "cred", SCOPES);
        ledger.recordMinted(live.id(), 9001, Instant.parse("2030-01-01T00:00:00Z"), Optional.empty());
        LedgerEntry uncertain = ledger.recordIntent("https://acme.zendesk.com", 50328, "job#3", "cred", SCOPES);
        ledger.recordFailure(uncertain.id(), LedgerEntry.State.UNCERTAIN, "timeout", Instant.parse("2030-01-01T00:01:00Z"));
        LedgerEntry pending = ledger.recordIntent("https://beta.zendesk.com", 7, "job#4", "cred2", SCOPES);
        ledger.recordMinted(pending.id(), 9002, Instant.parse("2030-01-01T00:00:00Z"), Optional.empty());
        ledger.recordFailure(pending.id(), LedgerEntry.State.REVOKE_PENDING, "HTTP 503", Instant.parse("2030-01-01T00:02:00Z"));
        LedgerEntry removed = ledger.recordIntent("https://acme.zendesk.com", 50328, "job#5", "cred", SCOPES);
        ledger.remove(removed.id());

        FileLeaseLedger reloaded = open();

        assertThat(reloaded.entries()).containsExactlyElementsOf(ledger.entries()).hasSize(4);
        assertThat(reloaded.find(minting.id())).get().extracting(LedgerEntry::state).isEqualTo(LedgerEntry.State.MINTING);
        assertThat(reloaded.find(live.id()).orElseThrow().tokenId()).contains(9001L);
        LedgerEntry reloadedPending = reloaded.find(pending.id()).orElseThrow();
        assertThat(reloadedPending.state()).isEqualTo(LedgerEntry.State.REVOKE_PENDING);
        assertThat(reloadedPending.failures()).isEqualTo(1);
        assertThat(reloadedPending.lastError()).contains("HTTP 503");
        assertThat(reloadedPending.scopes()).containsExactly("tickets:read", "users:read");
        assertThat(reloaded.find(removed.id())).isEmpty();
    }

    @Test
    void aFailedWriteRecordsNothingInMemoryEither() throws Exception {
        FileLeaseLedger ledger = open();
        LedgerEntry kept = ledger.recordIntent("https://acme.zendesk.com", 50328, "job#1", "cred", SCOPES);
        // Directories where the journal and the temporary file must go make every later write fail:
        // appends to the journal, and the compaction the ledger tries after a failed append.
        Files.createDirectory(dir.resolve("ledger.json.tmp"));
        Files.delete(ledger.journal()); // holds only its header: the first write went into the snapshot
        Files.createDirectory(ledger.journal());

        assertThatThrownBy(() -> ledger.recordIntent("https://acme.zendesk.com", 50328, "job#2", "cred", SCOPES))
                .isInstanceOf(LedgerException.class)
                .hasMessageContaining("cannot write the token ledger");
        assertThatThrownBy(() -> ledger.recordMinted(kept.id(), 9001, Instant.parse("2030-01-01T00:00:00Z"), Optional.empty()))
                .isInstanceOf(LedgerException.class);
        assertThatThrownBy(() -> ledger.remove(kept.id())).isInstanceOf(LedgerException.class);

        assertThat(ledger.entries()).containsExactly(kept);
        Files.delete(dir.resolve("ledger.json.tmp"));
        Files.delete(ledger.journal());
        assertThat(open().entries()).containsExactly(kept);
    }

    @Test
    void aFailedWriteNamesItsRealCauseNeverNull() throws Exception {
        FileLeaseLedger ledger = open();
        ledger.recordIntent("https://acme.zendesk.com", 50328, "job#1", "cred", SCOPES);
        Files.createDirectory(dir.resolve("ledger.json.tmp"));
        Files.delete(ledger.journal());
        Files.createDirectory(ledger.journal());

        assertThatThrownBy(() -> ledger.recordIntent("https://acme.zendesk.com", 50328, "job#2", "cred", SCOPES))
                .isInstanceOf(LedgerException.class)
                .hasMessageStartingWith("cannot write the token ledger " + file() + ": ")
                .hasMessageNotContaining("null");
    }

    @Test
    void aLedgerWrittenByEarlierVersionsLoads() throws Exception {
        // Format 1 exactly as the FileLeaseLedger before the journal wrote it: no journal field, no journal file.
        String earlier = """
                {
                  "format" : 1,
                  "count" : 2,
                  "entries" : [ {
                    "id" : "3c3b6f2e-6a43-4a36-9b39-1f0a7d0c2a11",
                    "site" : "https://acme.zendesk.com",
                    "clientId" : 50328,
                    "tokenId" : 9001,
                    "owner" : "folder/job#7",
                    "authority" : "zendesk-admin folder/job",
                    "scopes" : [ "tickets:read" ],
                    "intentAt" : "2026-11-30T10:00:00Z",
                    "mintedAt" : "2026-11-30T10:00:01Z",
                    "state" : "LIVE",
                    "failures" : 0,
                    "nextAttempt" : "2026-11-30T10:00:00Z"
                  }, {
                    "id" : "9d1e5b7c-0f7e-4d2b-8a53-6c1d2e3f4a55",
                    "site" : "https://acme.zendesk.com",
                    "clientId" : 50328,
                    "owner" : "folder/job#8",
                    "authority" : "zendesk-admin",
                    "scopes" : [ "tickets:read", "users:read" ],
                    "intentAt" : "2026-11-30T10:05:00Z",
                    "state" : "UNCERTAIN",
                    "failures" : 1,
                    "lastError" : "timeout",
                    "nextAttempt" : "2026-11-30T10:06:00Z"
                  } ]
                }""";
        Files.writeString(file(), earlier);

        FileLeaseLedger ledger = open();
        assertThat(ledger.entries()).extracting(LedgerEntry::owner).containsExactly("folder/job#7", "folder/job#8");
        LedgerEntry live = ledger.find("3c3b6f2e-6a43-4a36-9b39-1f0a7d0c2a11").orElseThrow();
        assertThat(live.tokenId()).contains(9001L);
        assertThat(live.state()).isEqualTo(LedgerEntry.State.LIVE);
        assertThat(ledger.find("9d1e5b7c-0f7e-4d2b-8a53-6c1d2e3f4a55").orElseThrow().lastError()).contains("timeout");

        ledger.remove(live.id());
        LedgerEntry added = ledger.recordIntent("https://acme.zendesk.com", 50328, "job#9", "cred", SCOPES);
        assertThat(open().entries()).extracting(LedgerEntry::id).containsExactly("9d1e5b7c-0f7e-4d2b-8a53-6c1d2e3f4a55", added.id());
        assertThat(Files.readString(file())).contains("\"format\" : 1");
    }

    @Test
    void aTornFinalJournalRecordIsDroppedAtEveryCut() throws Exception {
        FileLeaseLedger ledger = open();
        LedgerEntry first = ledger.recordIntent("https://acme.zendesk.com", 50328, "job#1", "cred", SCOPES); // the snapshot
        LedgerEntry minted = ledger.recordMinted(first.id(), 9001, Instant.parse("2030-01-01T00:00:00Z"), Optional.empty()); // journal
        LedgerEntry second = ledger.recordIntent("https://acme.zendesk.com", 50328, "job#2", "cred", SCOPES); // journal, last
        byte[] journal = Files.readAllBytes(ledger.journal());
        int lastStart = lastLineStart(journal);
        assertThat(new String(journal, lastStart, journal.length - lastStart, StandardCharsets.UTF_8)).contains(second.id());

        for (int cut = lastStart; cut < journal.length; cut++) {
            Files.write(ledger.journal(), Arrays.copyOf(journal, cut));
            FileLeaseLedger reloaded = open();
            assertThat(reloaded.entries()).as("cut at %d of %d", cut, journal.length).containsExactly(minted);
        }
        // The next write must not land after the torn tail.
        FileLeaseLedger reloaded = open();
        LedgerEntry third = reloaded.recordIntent("https://acme.zendesk.com", 50328, "job#3", "cred", SCOPES);
        reloaded.recordMinted(third.id(), 9003, Instant.parse("2030-01-01T00:00:00Z"), Optional.empty());
        assertThat(open().entries()).extracting(LedgerEntry::id).containsExactly(first.id(), third.id());
    }

    @Test
    void aDamagedJournalRecordBeforeTheLastIsCorrupt() throws Exception {
        FileLeaseLedger ledger = open();
        LedgerEntry first = ledger.recordIntent("https://acme.zendesk.com", 50328, "job#1", "cred", SCOPES);
        ledger.recordMinted(first.id(), 9001, Instant.parse("2030-01-01T00:00:00Z"), Optional.empty());
        ledger.recordIntent("https://acme.zendesk.com", 50328, "job#2", "cred", SCOPES);
        String text = Files.readString(ledger.journal());
        String damaged = text.replaceFirst("\"tokenId\":9001,", "\"tokenId\":90");
        assertThat(damaged).isNotEqualTo(text);
        Files.writeString(ledger.journal(), damaged);

        assertThatThrownBy(this::open).isInstanceOf(LedgerException.class)
                .hasMessageContaining(ledger.journal().toString()).hasMessageContaining("corrupt or truncated")
                .hasMessageContaining("left untouched");
        assertThat(Files.readString(ledger.journal())).isEqualTo(damaged);
    }

    @Test
    void aJournalWithoutHeaderOrNewerThanTheSnapshotIsCorrupt() throws Exception {
        FileLeaseLedger ledger = open();
        ledger.recordIntent("https://acme.zendesk.com", 50328, "job#1", "cred", SCOPES);
        String header = Files.readString(ledger.journal());
        assertThat(header).isEqualTo("{\"journal\":1}\n");

        Files.writeString(ledger.journal(), "{\"journal\":2}\n");
        assertThatThrownBy(this::open).isInstanceOf(LedgerException.class).hasMessageContaining("corrupt");
        Files.writeString(ledger.journal(), "{\"remove\":\"x\"}\n");
        assertThatThrownBy(this::open).isInstanceOf(LedgerException.class).hasMessageContaining("corrupt");
        assertThat(Files.readString(ledger.journal())).isEqualTo("{\"remove\":\"x\"}\n");
    }

    @Test
    void aJournalOfAnOlderGenerationIsAlreadyInTheSnapshot() throws Exception {
        // What a process killed between a compaction's rename and the start of the new journal leaves.
        FileLeaseLedger ledger = new FileLeaseLedger(file(), Clock.systemUTC(), 3, FileLeaseLedger.Probe.NONE);
        LedgerEntry a = ledger.recordIntent("https://acme.zendesk.com", 50328, "job#1", "cred", SCOPES);
        ledger.recordMinted(a.id(), 9001, Instant.now(), Optional.empty());
        byte[] oldJournal = Files.readAllBytes(ledger.journal()); // generation 1: the minted record
        LedgerEntry b = ledger.recordIntent("https://acme.zendesk.com", 50328, "job#2", "cred", SCOPES);
        ledger.remove(a.id());
        ledger.recordMinted(b.id(), 9002, Instant.now(), Optional.empty()); // the fourth record: compaction, generation 2
        assertThat(Files.readString(ledger.journal())).isEqualTo("{\"journal\":2}\n");
        Files.write(ledger.journal(), oldJournal);

        assertThat(open().entries()).containsExactlyElementsOf(ledger.entries()).extracting(LedgerEntry::id).containsExactly(b.id());
    }

    @Test
    void compactionKeepsEveryChangeAndBoundsTheJournal() throws Exception {
        FileLeaseLedger ledger = new FileLeaseLedger(file(), Clock.systemUTC(), 5, FileLeaseLedger.Probe.NONE);
        for (int i = 0; i < 40; i++) {
            LedgerEntry e = ledger.recordIntent("https://acme.zendesk.com", 50328, "job#" + i, "cred", SCOPES);
            ledger.recordMinted(e.id(), 9000 + i, Instant.now(), Optional.empty());
            if (i % 3 != 0) {
                ledger.remove(e.id());
            }
            assertThat(Files.readAllLines(ledger.journal())).hasSizeLessThanOrEqualTo(1 + 5);
        }
        assertThat(open().entries()).containsExactlyElementsOf(ledger.entries()).hasSize(14);
    }

    @Test
    void anInterruptedCallerStopsWaitingWhileItsGroupIsWrittenForEveryone() throws Exception {
        CountDownLatch appended = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        AtomicBoolean hold = new AtomicBoolean();
        FileLeaseLedger ledger = new FileLeaseLedger(file(), Clock.systemUTC(), 1000, step -> {
            if (step == FileLeaseLedger.Step.JOURNAL_APPENDED && hold.get()) {
                appended.countDown();
                awaitQuietly(proceed);
            }
        });
        LedgerEntry before = ledger.recordIntent("https://acme.zendesk.com", 50328, "job#0", "cred", SCOPES); // the snapshot
        hold.set(true);
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try {
            Future<LedgerEntry> interrupted = callers.submit(() -> ledger.recordMinted(before.id(), 9001, Instant.now(), Optional.empty()));
            assertThat(appended.await(30, TimeUnit.SECONDS)).isTrue();
            // A second caller joins the group behind the one being written, then the first caller is interrupted.
            Future<LedgerEntry> other = callers.submit(() -> ledger.recordIntent("https://acme.zendesk.com", 50328, "job#1", "cred", SCOPES));
            awaitEntries(ledger, 2);
            interrupted.cancel(true);
            Future<Throwable> seen = callers.submit(() -> {
                Thread.currentThread().interrupt();
                return catchThrowable(() -> ledger.updateState(before.id(), LedgerEntry.State.REVOKE_PENDING));
            });
            Throwable failure = seen.get(30, TimeUnit.SECONDS);
            assertThat(failure).isInstanceOf(LedgerInterruptedException.class)
                    .hasMessageContaining("interrupted while waiting for the ledger").hasMessageContaining(before.id());
            assertThat(((LedgerInterruptedException) failure).entryId()).isEqualTo(before.id());
            proceed.countDown();

            LedgerEntry second = other.get(30, TimeUnit.SECONDS);
            awaitTrue(() -> open().find(before.id()).map(LedgerEntry::state).orElseThrow() == LedgerEntry.State.REVOKE_PENDING);
            FileLeaseLedger reloaded = open();
            assertThat(reloaded.find(before.id()).orElseThrow().tokenId()).contains(9001L);
            assertThat(reloaded.find(second.id())).isPresent();
        } finally {
            proceed.countDown();
            callers.shutdownNow();
        }
    }

    @Test
    void forgetDoesNotWaitAndCloseWritesWhatIsPending() {
        FileLeaseLedger ledger = open();
        LedgerEntry e = ledger.recordIntent("https://acme.zendesk.com", 50328, "job#1", "cred", SCOPES);
        ledger.forget(e.id());
        assertThat(ledger.entries()).isEmpty();
        ledger.close();
        assertThat(open().entries()).isEmpty();
        assertThatThrownBy(() -> ledger.recordIntent("https://acme.zendesk.com", 50328, "job#2", "cred", SCOPES))
                .isInstanceOf(LedgerException.class).hasMessageContaining("closed");
        assertThat(ledger.entries()).isEmpty();
    }

    private static int lastLineStart(byte[] bytes) {
        int i = bytes.length - 2; // the final byte is the last record's newline
        while (i >= 0 && bytes[i] != '\n') {
            i--;
        }
        return i + 1;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            throw new AssertionError("the writer thread must never be interrupted", e);
        }
    }

    private static void awaitEntries(FileLeaseLedger ledger, int count) throws InterruptedException {
        awaitTrue(() -> ledger.entries().size() == count);
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 3000 && !condition.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }

    @Test
    void concurrentWritersLoseNothing() throws Exception {
        FileLeaseLedger ledger = open();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<List<String>>> kept = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            int thread = t;
            kept.add(pool.submit(() -> {
                List<String> mine = new ArrayList<>();
                for (int i = 0; i < 25; i++) {
                    LedgerEntry e = ledger.recordIntent("https://acme.zendesk.com", 50328, "job#" + thread + "." + i, "cred", SCOPES);
                    ledger.recordMinted(e.id(), thread * 1000L + i, Instant.now(), Optional.empty());
                    if (i % 2 == 0) {
                        ledger.remove(e.id());
                    } else {
                        mine.add(e.id());
                    }
                }
                return mine;
            }));
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        List<String> expected = new ArrayList<>();
        for (Future<List<String>> f : kept) {
            expected.addAll(f.get());
        }

        FileLeaseLedger reloaded = open();
        assertThat(reloaded.entries()).extracting(LedgerEntry::id).containsExactlyInAnyOrderElementsOf(expected).hasSize(16 * 12);
        assertThat(reloaded.entries()).allSatisfy(e -> assertThat(e.state()).isEqualTo(LedgerEntry.State.LIVE));
    }

    @Test
    void corruptFileIsReportedAndLeftUntouched() throws Exception {
        byte[] garbage = "{\"format\": 1, \"count\": 1, \"entries\": [{\"id\": \"x\", \"tokenId\": 9000".getBytes(StandardCharsets.UTF_8);
        Files.write(file(), garbage);

        assertThatThrownBy(this::open).isInstanceOf(LedgerException.class)
                .hasMessageContaining(file().toString()).hasMessageContaining("corrupt or truncated").hasMessageContaining("left untouched");
        assertThat(Files.readAllBytes(file())).isEqualTo(garbage);
    }

    @Test
    void entryWithMissingFieldsIsCorrupt() throws Exception {
        byte[] content = "{\"format\": 1, \"count\": 1, \"entries\": [{\"id\": \"x\"}]}".getBytes(StandardCharsets.UTF_8);
        Files.write(file(), content);

        assertThatThrownBy(this::open).isInstanceOf(LedgerException.class);
        assertThat(Files.readAllBytes(file())).isEqualTo(content);
    }

    @Test
    void truncatedFileIsReportedAndLeftUntouched() throws Exception {
        FileLeaseLedger ledger = open();
        for (int i = 0; i < 5; i++) {
            LedgerEntry e = ledger.recordIntent("https://acme.zendesk.com", 50328, "job#" + i, "cred", SCOPES);
            ledger.recordMinted(e.id(), 9000 + i, Instant.now(), Optional.empty());
        }
        byte[] full = Files.readAllBytes(file());
        for (int cut : new int[] {0, 1, full.length / 2, full.length - 2}) {
            byte[] truncated = Arrays.copyOf(full, cut);
            Files.write(file(), truncated);

            assertThatThrownBy(this::open).as("cut at %d of %d bytes", cut, full.length).isInstanceOf(LedgerException.class);
            assertThat(Files.readAllBytes(file())).isEqualTo(truncated);
        }
    }

    @Test
    void entryCountMismatchIsCorrupt() throws Exception {
        FileLeaseLedger ledger = open();
        ledger.recordIntent("https://acme.zendesk.com", 50328, "job#1", "cred", SCOPES);
        String text = Files.readString(file()).replace("\"count\" : 1", "\"count\" : 2");
        Files.writeString(file(), text);

        assertThatThrownBy(this::open).isInstanceOf(LedgerException.class);
        assertThat(Files.readString(file())).isEqualTo(text);
    }

    @Test
    void leftoverTemporaryFileIsIgnored() throws Exception {
        FileLeaseLedger ledger = open();
        LedgerEntry kept = ledger.recordIntent("https://acme.zendesk.com", 50328, "job#1", "cred", SCOPES);
        // What a process killed mid-write leaves: a half-written temporary file beside the ledger.
        Path temp = dir.resolve("ledger.json.tmp");
        Files.writeString(temp, "{\"format\": 1, \"count\": 7, \"entr");

        FileLeaseLedger reloaded = open();
        assertThat(reloaded.entries()).containsExactly(kept);

        LedgerEntry next = reloaded.recordIntent("https://acme.zendesk.com", 50328, "job#2", "cred", SCOPES);
        assertThat(open().entries()).containsExactly(kept, next);
        assertThat(temp).doesNotExist();
    }

    @Test
    void missingFileStartsEmptyAndMissingDirectoryIsCreated() {
        FileLeaseLedger ledger = new FileLeaseLedger(dir.resolve("sub/dir/ledger.json"), Clock.systemUTC());
        assertThat(ledger.entries()).isEmpty();
        ledger.recordIntent("https://acme.zendesk.com", 50328, "job#1", "cred", SCOPES);
        assertThat(dir.resolve("sub/dir/ledger.json")).exists();
    }

    @Test
    void unknownEntriesAreRejectedAndRemovingTwiceIsHarmless() {
        FileLeaseLedger ledger = open();
        assertThatThrownBy(() -> ledger.recordMinted("nope", 1, Instant.now(), Optional.empty())).isInstanceOf(IllegalArgumentException.class);
        LedgerEntry e = ledger.recordIntent("https://acme.zendesk.com", 50328, "job#1", "cred", SCOPES);
        ledger.remove(e.id());
        ledger.remove(e.id());
        assertThat(open().entries()).isEmpty();
    }
}
