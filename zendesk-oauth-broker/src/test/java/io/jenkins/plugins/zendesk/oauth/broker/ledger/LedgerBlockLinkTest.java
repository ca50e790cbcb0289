package io.jenkins.plugins.zendesk.oauth.broker.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.zendesk.oauth.broker.value.ScopeSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The link between a block's generations (block id, generation) in the ledger, and entries written before it existed. */
class LedgerBlockLinkTest {
    private static final ScopeSet SCOPES = ScopeSet.parse("tickets:read", "scopes");

    @TempDir
    Path dir;

    private FileLeaseLedger open() {
        return new FileLeaseLedger(dir.resolve("ledger.json"), Clock.systemUTC());
    }

    private static LedgerEntry.Builder intent(String owner) {
        return LedgerEntry.builder().site("https://acme.zendesk.com").clientId(50328).owner(owner).authority("cred").scopes(SCOPES.asStrings());
    }

    @Test
    void aBlocksGenerationsSurviveAReloadFromTheJournalAndFromASnapshot() {
        FileLeaseLedger ledger = new FileLeaseLedger(dir.resolve("ledger.json"), Clock.systemUTC(), 3, FileLeaseLedger.Probe.NONE);
        LedgerEntry first = ledger.recordIntent(intent("job#1"));
        ledger.recordMinted(first.id(), 9001, Instant.parse("2026-12-03T10:00:00Z"), Optional.of(Instant.parse("2026-12-03T10:30:00Z")));
        LedgerEntry second = ledger.recordIntent(intent("job#1").blockId(first.id()).generation(2));
        ledger.recordMinted(second.id(), 9002, Instant.parse("2026-12-03T10:20:00Z"), Optional.of(Instant.parse("2026-12-03T10:50:00Z")));
        LedgerEntry third = ledger.recordIntent(intent("job#1").blockId(first.id()).generation(3)); // compaction after 3 records

        assertThat(first.blockId()).as("a block's first entry names its own block").isEqualTo(first.id());
        assertThat(first.generation()).isEqualTo(1);
        for (FileLeaseLedger reloaded : List.of(open(), open())) {
            assertThat(reloaded.entries()).containsExactlyElementsOf(ledger.entries());
            assertThat(reloaded.entries()).extracting(LedgerEntry::blockId).containsOnly(first.id());
            assertThat(reloaded.entries()).extracting(LedgerEntry::generation).containsExactly(1, 2, 3);
            assertThat(reloaded.find(third.id()).orElseThrow().state()).isEqualTo(LedgerEntry.State.MINTING);
            reloaded.close();
        }
        ledger.close();
    }

    @Test
    void entriesWrittenBeforeRenewalExistedAreBlocksOfTheirOwn() throws Exception {
        // A snapshot and a journal as the version before renewal wrote them: no "block", no "generation".
        Files.writeString(dir.resolve("ledger.json"), """
                {
                  "format" : 1,
                  "journal" : 4,
                  "count" : 1,
                  "entries" : [ {
                    "id" : "3c3b6f2e-6a43-4a36-9b39-1f0a7d0c2a11",
                    "site" : "https://acme.zendesk.com",
                    "clientId" : 50328,
                    "tokenId" : 9001,
                    "owner" : "folder/job#7",
                    "authority" : "zendesk-admin",
                    "scopes" : [ "tickets:read" ],
                    "intentAt" : "2026-11-30T10:00:00Z",
                    "mintedAt" : "2026-11-30T10:00:01Z",
                    "expiresAt" : "2026-11-30T10:30:01Z",
                    "state" : "LIVE",
                    "failures" : 0,
                    "nextAttempt" : "2026-11-30T10:00:00Z"
                  } ]
                }""");
        Files.writeString(dir.resolve("ledger.json.journal"), """
                {"journal":4}
                {"put":{"id":"9d1e5b7c-0f7e-4d2b-8a53-6c1d2e3f4a55","site":"https://acme.zendesk.com","clientId":50328,"owner":"folder/job#8","authority":"zendesk-admin","scopes":["read"],"intentAt":"2026-11-30T10:05:00Z","state":"MINTING","failures":0,"nextAttempt":"2026-11-30T10:05:00Z"}}
                """);

        FileLeaseLedger ledger = open();

        assertThat(ledger.entries()).hasSize(2).allSatisfy(e -> {
            assertThat(e.blockId()).isEqualTo(e.id());
            assertThat(e.generation()).isEqualTo(1);
        });
        LedgerEntry old = ledger.find("3c3b6f2e-6a43-4a36-9b39-1f0a7d0c2a11").orElseThrow();
        assertThat(old.expiresAt()).contains(Instant.parse("2026-11-30T10:30:01Z"));
        // Written back with the new fields, and read again alike.
        ledger.updateState(old.id(), LedgerEntry.State.REVOKE_PENDING);
        ledger.close();
        FileLeaseLedger reloaded = open();
        assertThat(reloaded.find(old.id()).orElseThrow().blockId()).isEqualTo(old.id());
        assertThat(reloaded.find(old.id()).orElseThrow().state()).isEqualTo(LedgerEntry.State.REVOKE_PENDING);
        assertThat(Files.readString(dir.resolve("ledger.json.journal"))).contains("\"block\":\"" + old.id() + "\"");
        reloaded.close();
    }

    @Test
    void theBuilderCopiesEveryFieldAndDefaultsTheBlockToTheEntry() {
        LedgerEntry entry = intent("job#3").id("e1").intentAt(Instant.EPOCH).nextAttempt(Instant.EPOCH).tokenId(9003).build();
        assertThat(entry.blockId()).isEqualTo("e1");
        assertThat(entry.toBuilder().build()).isEqualTo(entry);
        LedgerEntry.Builder builder = entry.toBuilder();
        LedgerEntry renewed = builder.copy().id("e2").blockId("e1").generation(2).build();
        assertThat(builder.build()).isEqualTo(entry);
        assertThat(renewed.blockId()).isEqualTo("e1");
        assertThat(renewed.generation()).isEqualTo(2);
        assertThat(renewed.tokenId()).contains(9003L);
    }
}
