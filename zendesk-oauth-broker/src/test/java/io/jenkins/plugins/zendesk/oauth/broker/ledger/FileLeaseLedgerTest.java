package io.jenkins.plugins.zendesk.oauth.broker.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.zendesk.oauth.broker.value.ScopeSet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
        // A directory where the temporary file must go makes every later write fail.
        Files.createDirectory(dir.resolve("ledger.json.tmp"));

        assertThatThrownBy(() -> ledger.recordIntent("https://acme.zendesk.com", 50328, "job#2", "cred", SCOPES))
                .isInstanceOf(LedgerException.class)
                .hasMessageContaining("cannot write the token ledger");
        assertThatThrownBy(() -> ledger.recordMinted(kept.id(), 9001, Instant.parse("2030-01-01T00:00:00Z"), Optional.empty()))
                .isInstanceOf(LedgerException.class);
        assertThatThrownBy(() -> ledger.remove(kept.id())).isInstanceOf(LedgerException.class);

        assertThat(ledger.entries()).containsExactly(kept);
        Files.delete(dir.resolve("ledger.json.tmp"));
        assertThat(open().entries()).containsExactly(kept);
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
