package org.plenum.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plenum.stage.Event;
import org.plenum.stage.Ids;
import org.plenum.stage.Poll;
import org.plenum.stage.Stage;

/**
 * The contract against the memory engine: in memory only for most tests, with a journal in a
 * temporary directory where a test restarts the engine.
 */
class MemoryEngineContractTest extends EngineContractTest {
  @TempDir
  Path dataDir;

  @Override
  protected Engine newEngine(Vertx vertx) {
    return new MemoryEngine(vertx, vertx.getOrCreateContext(), null, false, ACTION_ID_TTL_MILLIS);
  }

  @Override
  protected Engine newDurableEngine(Vertx vertx) {
    return new MemoryEngine(vertx, vertx.getOrCreateContext(), journal().toString(), false, ACTION_ID_TTL_MILLIS);
  }

  /** The journal generation the engine appends to (the newest {@code journal-NNNNNN.jsonl}). */
  private Path journal() {
    try (var files = java.nio.file.Files.list(dataDir)) {
      return files.filter(f -> f.getFileName().toString().matches("journal-\\d{6}\\.jsonl")).sorted()
          .reduce((a, b) -> b).orElse(dataDir.resolve("journal.jsonl"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void tornLastJournalLineIsDropped(VertxTestContext test) {
    tornTail(test, "{\"op\":\"vote\",\"stage\":\"st");
  }

  @Test
  void unreadableLastJournalLineIsDropped(VertxTestContext test) {
    tornTail(test, "{\"op\":\"vote\",\"sta\n");
  }

  /**
   * A crash mid-append leaves {@code tail} at the end of the journal: the engine starts without it,
   * keeps everything before it, and appends cleanly after it (so a second restart reads both).
   */
  private void tornTail(VertxTestContext test, String tail) {
    run(test, () -> {
      Instant now = now();
      Event event = new Event(Ids.newId("ev"), "Congress", now, java.util.List.of());
      Stage stage = new Stage(Ids.newId("st"), event.id(), "Main", Ids.newJoinCode(), now, org.plenum.stage.StageSettings.DEFAULT);
      Poll poll = single(2, true).toPoll(Ids.newId("po"), stage.id(), now);
      Engine first = newDurableEngine(vertx);
      return started(first)
          .compose(e -> e.createEvent(event))
          .compose(x -> first.createStage(stage))
          .compose(x -> first.savePoll(poll))
          .compose(x -> first.vote(choose(poll, "alice", "1", "a")))
          .compose(x -> stopped(first))
          .compose(x -> append(tail))
          .compose(x -> started(newDurableEngine(vertx)))
          .compose(second -> second.vote(choose(poll, "alice", "1", "a"))
              .map(r -> assertThat(r).isEqualTo(new VoteReceipt(true, 1)))
              .compose(x -> second.vote(choose(poll, "bob", "1", "b")))
              .map(r -> assertThat(r).isEqualTo(new VoteReceipt(false, 2)))
              .compose(x -> stopped(second)))
          .compose(x -> started(newDurableEngine(vertx)))
          .compose(third -> third.stageByCode(stage.code())
              .map(s -> assertThat(s).contains(stage))
              .compose(x -> third.results(poll)))
          .map(results -> {
            assertThat(results.counts()).containsExactly(Map.entry("a", 1L), Map.entry("b", 1L));
            assertThat(results.version()).isEqualTo(2);
            return null;
          });
    });
  }

  /**
   * A congress leaves a long journal: 200,000 votes written by a first engine (one real vote,
   * repeated with other participants and action ids in the engine's own record format) are all
   * counted after a restart, and neither reading nor replaying them holds an event loop (this
   * test's Vert.x fails on a loop blocked for more than a second).
   */
  @Test
  void aLongJournalIsReplayedWithoutHoldingAnEventLoop(VertxTestContext test) {
    int votes = 200_000;
    run(test, () -> {
      Instant now = now();
      Event event = new Event(Ids.newId("ev"), "Congress", now, java.util.List.of());
      Stage stage = new Stage(Ids.newId("st"), event.id(), "Main", Ids.newJoinCode(), now, org.plenum.stage.StageSettings.DEFAULT);
      Poll poll = single(2, true).toPoll(Ids.newId("po"), stage.id(), now);
      Engine first = newDurableEngine(vertx);
      return started(first)
          .compose(e -> e.createEvent(event))
          .compose(x -> first.createStage(stage))
          .compose(x -> first.savePoll(poll))
          .compose(x -> first.vote(choose(poll, "voter-0", "act-0", "a")))
          .compose(x -> stopped(first))
          .compose(x -> vertx.fileSystem().readFile(journal().toString()))
          .compose(content -> vertx.executeBlocking(() -> moreVotesLike(content.toString(), votes - 1)))
          .compose(this::append)
          .compose(x -> started(newDurableEngine(vertx)))
          .compose(second -> second.results(poll))
          .map(results -> {
            assertThat(results.voters()).isEqualTo(votes);
            assertThat(results.counts()).containsEntry("a", (long) votes);
            return null;
          });
    });
  }

  /** {@code n} copies of the journal's vote record, each from another participant with another action id. */
  private static String moreVotesLike(String journal, int n) {
    JsonObject vote = journal.lines().map(JsonObject::new).filter(r -> "vote".equals(r.getString("op")))
        .findFirst().orElseThrow();
    String participant = "\"" + vote.getString("p") + "\"";
    String action = "\"" + vote.getString("a") + "\"";
    String line = vote.encode();
    StringBuilder out = new StringBuilder(n * (line.length() + 8));
    for (int i = 1; i <= n; i++) {
      out.append(line.replace(participant, "\"voter-" + i + "\"").replace(action, "\"act-" + i + "\"")).append('\n');
    }
    return out.toString();
  }

  @Test
  void corruptRecordBeforeTheLastRefusesToStart(VertxTestContext test) {
    run(test, () -> {
      Engine first = newDurableEngine(vertx);
      return started(first)
          .compose(e -> e.createEvent(new Event(Ids.newId("ev"), "Congress", now(), java.util.List.of())))
          .compose(x -> stopped(first))
          .compose(x -> append("not json\n{\"op\":\"event\",\"event\":{\"id\":\"ev2\",\"name\":\"x\",\"createdAt\":null}}\n"))
          .compose(x -> refused(newDurableEngine(vertx).start()))
          .map(t -> assertThat(t).hasMessageContaining("corrupt"));
    });
  }

  private Future<Void> append(String text) {
    return vertx.fileSystem().open(journal().toString(), new OpenOptions().setAppend(true).setWrite(true))
        .compose(file -> file.write(Buffer.buffer(text)).eventually(file::close));
  }
}
