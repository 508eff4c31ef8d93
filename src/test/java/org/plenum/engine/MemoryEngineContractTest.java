package org.plenum.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.plenum.metrics.PlenumMetrics;
import org.plenum.protocol.ErrorCode;
import org.plenum.stage.Post;
import org.plenum.stage.PostKind;
import org.plenum.stage.StageSettings;
import org.junit.jupiter.api.io.TempDir;
import org.plenum.stage.Event;
import org.plenum.stage.Ids;
import org.plenum.stage.Poll;
import org.plenum.stage.Presentation;
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
    return Engines.confined(new MemoryEngine(vertx, vertx.getOrCreateContext(), null, false, ACTION_ID_TTL_MILLIS));
  }

  @Override
  protected Engine newDurableEngine(Vertx vertx) {
    return Engines.confined(new MemoryEngine(vertx, vertx.getOrCreateContext(), journal().toString(), false,
        ACTION_ID_TTL_MILLIS));
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

  // ---- durability: failed writes, racing retries, torn tails, snapshots, privacy ------------

  private final PlenumMetrics metrics = new PlenumMetrics();

  @AfterEach
  void healTheDisk() {
    Journal.faults = file -> { };
  }

  private Engine durable(MemoryEngine.Options options) {
    return durable(options, metrics);
  }

  /** A memory engine on the data directory, as {@link Engines} builds it (behind its {@link ConfinedEngine}). */
  private Engine durable(MemoryEngine.Options options, PlenumMetrics m) {
    return Engines.confined(new MemoryEngine(vertx, vertx.getOrCreateContext(), dataDir, false, options, m));
  }

  private static Future<Void> snapshotNow(Engine e) {
    return ((MemoryEngine) ((ConfinedEngine) e).inner()).snapshotNow();
  }

  private static MemoryEngine.Options options(int window, long snapshotEveryRecords, long afterDeleteMillis) {
    return new MemoryEngine.Options(window, ACTION_ID_TTL_MILLIS, snapshotEveryRecords, 64L << 20, afterDeleteMillis);
  }

  private static final MemoryEngine.Options DEFAULTS = options(256, 100_000, 60_000);

  private record Setup(Stage stage, Poll poll) {}

  private Future<Setup> setUp(Engine e) {
    Instant now = now();
    Event event = new Event(Ids.newId("ev"), "Congress", now, List.of());
    Stage stage = new Stage(Ids.newId("st"), event.id(), "Main", Ids.newJoinCode(), now, StageSettings.DEFAULT);
    Poll poll = single(2, true).toPoll(Ids.newId("po"), stage.id(), now);
    return e.createEvent(event).compose(x -> e.createStage(stage)).compose(x -> e.savePoll(poll))
        .map(x -> new Setup(stage, poll));
  }

  /** A talk's survey and its responses are in the snapshot, and responses after it are replayed on top (issue 12). */
  @Test
  void surveysAreKeptBySnapshots(VertxTestContext test) {
    run(test, () -> {
      Engine first = durable(DEFAULTS);
      return started(first).compose(e -> setUp(e)).compose(s -> {
        org.plenum.stage.Talk talk = talk(s.stage(), "Eröffnung", "2026-11-22T09:00:00Z", 30);
        org.plenum.stage.Survey open = talkSurvey(s.stage(), talk).open(now());
        return first.saveTalk(talk).compose(x -> first.saveSurvey(open))
            .compose(x -> first.respond(response(open, "alice", "s1", 5, null, "Vor dem Snapshot")))
            .compose(x -> snapshotNow(first))
            .compose(x -> first.respond(response(open, "bob", "s2", 2, List.of("c"), "Danach")))
            .compose(x -> stopped(first))
            .compose(x -> started(durable(DEFAULTS)))
            .compose(second -> second.surveyResults(open).compose(r -> {
              assertThat(r.respondents()).isEqualTo(2);
              assertThat(r.version()).isEqualTo(2);
              assertThat(r.questions().get(0).distribution().mean()).isEqualTo(3.5);
              assertThat(r.questions().get(2).texts()).containsExactly("Vor dem Snapshot", "Danach");
              return stopped(second);
            }));
      });
    });
  }

  /** Quiz standings and nicknames are in the snapshot; answers after it come from the tail, each once. */
  @Test
  void quizStandingsAreKeptBySnapshotsAndTheTailAddsOnlyWhatCameAfter(VertxTestContext test) {
    run(test, () -> {
      Engine first = durable(DEFAULTS);
      return started(first).compose(e -> setUp(e)).compose(s -> {
        Poll q1 = quiz(s.stage(), 1000, false);
        Poll q2 = quiz(s.stage(), 500, false);
        return first.savePoll(q1).compose(x -> first.savePoll(q2))
            .compose(x -> first.answer(choose(q1, "alice", "1", "b"), q1))
            .compose(x -> first.setNickname(s.stage().id(), "alice", new org.plenum.stage.Nickname("Alice", true)))
            .compose(x -> snapshotNow(first))
            .compose(x -> first.answer(choose(q2, "alice", "2", "b"), q2))
            .compose(x -> first.answer(choose(q1, "bob", "1", "a"), q1))
            .compose(x -> stopped(first))
            .compose(x -> started(durable(DEFAULTS)))
            .compose(second -> second.leaderboard(s.stage().id(), 10).map(board -> {
              assertThat(board.scored()).isEqualTo(3);
              assertThat(board.entries()).extracting(e -> e.nickname() + "=" + e.points() + "/" + e.correct())
                  .containsExactly("Alice=1500/2", org.plenum.stage.Nickname.generated("bob") + "=0/0");
              return null;
            }).compose(x -> second.standing(s.stage().id(), "alice", List.of(q1.id(), q2.id())))
                .map(st -> assertThat(st.answers()).containsExactly(Map.entry(q1.id(), 1000L), Map.entry(q2.id(), 500L))));
      });
    });
  }

  /** What a stage's screens show is in the snapshot, not only in the journal the snapshot replaces. */
  @Test
  void whatAStageShowsIsKeptBySnapshots(VertxTestContext test) {
    run(test, () -> {
      Engine first = durable(DEFAULTS);
      Presentation results = new Presentation(Presentation.Kind.RESULTS, "po-1", now());
      return started(first).compose(e -> setUp(e)).compose(s -> first.present(s.stage().id(), results)
          .compose(x -> snapshotNow(first))
          .compose(x -> stopped(first))
          .compose(x -> started(durable(DEFAULTS)))
          .compose(second -> second.presentation(s.stage().id()))
          .map(p -> assertThat(p).isEqualTo(results)));
    });
  }

  /**
   * A full disk: the vote whose write fails is answered {@code unavailable} and rolled back; its
   * retry is not acknowledged as a duplicate; the engine is not ready and refuses changes until a
   * probe write succeeds; the version keeps growing past every version a client may have seen; and
   * after a restart the acknowledged votes are there exactly once.
   */
  @Test
  void aFailedWriteIsRolledBackAndChangesAreRefusedUntilTheDiskWorksAgain(VertxTestContext test) {
    AtomicBoolean diskFull = new AtomicBoolean();
    Journal.faults = file -> {
      if (diskFull.get()) {
        throw new IOException("No space left on device (test)");
      }
    };
    run(test, () -> {
      Engine first = durable(DEFAULTS);
      return started(first).compose(e -> setUp(e)).compose(s -> first.vote(choose(s.poll(), "alice", "1", "a"))
          .compose(x -> {
            diskFull.set(true);
            return refused(first.vote(choose(s.poll(), "bob", "2", "b")));
          })
          .map(t -> assertRefusal(t, ErrorCode.UNAVAILABLE))
          .map(x -> assertThat(first.isReady()).as("ready while writes fail").isFalse())
          .compose(x -> refused(first.vote(choose(s.poll(), "bob", "2", "b"))))
          .map(t -> assertRefusal(t, ErrorCode.UNAVAILABLE))
          .compose(x -> refused(first.vote(choose(s.poll(), "carol", "3", "a"))))
          .map(t -> assertRefusal(t, ErrorCode.UNAVAILABLE))
          .compose(x -> first.results(s.poll()))
          .map(results -> {
            assertThat(results.counts()).as("the unwritten vote is rolled back")
                .containsExactly(Map.entry("a", 1L), Map.entry("b", 0L));
            assertThat(results.version()).as("above the version 2 pushed before the rollback").isGreaterThan(2);
            return null;
          })
          .compose(x -> {
            diskFull.set(false);
            return when(first::isReady);
          })
          .compose(x -> first.vote(choose(s.poll(), "bob", "2", "b")))
          .map(r -> assertThat(r.duplicate()).as("applied now, not a duplicate of the failed write").isFalse())
          .compose(x -> stopped(first))
          .compose(x -> started(durable(DEFAULTS)))
          .compose(second -> second.results(s.poll())
              .map(results -> assertThat(results.counts()).containsExactly(Map.entry("a", 1L), Map.entry("b", 1L)))
              .compose(x -> second.vote(choose(s.poll(), "bob", "2", "b")))
              .map(r -> assertThat(r.duplicate()).isTrue())));
    });
  }

  /**
   * The same action id on a second connection while the first's write is still on its way to the
   * disk: the retry is answered only after the original is durable — never before.
   */
  @Test
  void aRetryRacingItsOriginalIsAnsweredOnlyOnceTheOriginalIsOnDisk(VertxTestContext test) {
    AtomicBoolean slow = new AtomicBoolean();
    CountDownLatch disk = new CountDownLatch(1);
    Journal.faults = file -> {
      if (slow.get()) {
        try {
          disk.await(10, TimeUnit.SECONDS); // a slow disk: the write is held (on a worker thread) until released
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    run(test, () -> {
      Engine e = durable(DEFAULTS);
      return started(e).compose(x -> setUp(e)).compose(s -> {
        slow.set(true);
        List<String> order = new ArrayList<>();
        Future<VoteReceipt> original = e.vote(choose(s.poll(), "dora", "7", "a")).onComplete(x -> order.add("original"));
        Future<VoteReceipt> retry = e.vote(choose(s.poll(), "dora", "7", "a")).onComplete(x -> order.add("retry"));
        // a read queued behind the retry on the engine's context: once it is answered the retry has
        // been handled, and only then does the disk finish the original's write
        return e.results(s.poll()).compose(read -> {
          disk.countDown();
          return Future.all(original, retry);
        }).map(x -> {
          assertThat(original.result().duplicate()).isFalse();
          assertThat(retry.result().duplicate()).isTrue();
          assertThat(order).as("the duplicate's ack waits for the original's fsync").containsExactly("original", "retry");
          return s;
        });
      });
    });
  }

  /** If the original's write fails, the retry racing it fails too: nobody holds an ack for it. */
  @Test
  void aRetryRacingAFailingOriginalFailsToo(VertxTestContext test) {
    AtomicBoolean failing = new AtomicBoolean();
    Journal.faults = file -> {
      if (failing.get()) {
        throw new IOException("Input/output error (test)");
      }
    };
    run(test, () -> {
      Engine e = durable(DEFAULTS);
      return started(e).compose(x -> setUp(e)).compose(s -> {
        failing.set(true);
        Future<VoteReceipt> original = e.vote(choose(s.poll(), "emil", "8", "a"));
        Future<VoteReceipt> retry = e.vote(choose(s.poll(), "emil", "8", "a"));
        return refused(original).map(t -> assertRefusal(t, ErrorCode.UNAVAILABLE))
            .compose(x -> refused(retry)).map(t -> assertRefusal(t, ErrorCode.UNAVAILABLE))
            .compose(x -> e.results(s.poll()))
            .map(results -> assertThat(results.voters()).isZero());
      });
    });
  }

  @Test
  void zeroBytesAfterTheLastRecordAreCutOff(VertxTestContext test) {
    tornTail(test, "\0".repeat(4096));
  }

  @Test
  void aTornRecordFollowedByZeroBytesIsCutOff(VertxTestContext test) {
    tornTail(test, "{\"op\":\"vote\",\"stage\":\"st" + "\0".repeat(300));
  }

  /**
   * Versions before this one left, after a failed write, the half-written record and a run of zero
   * bytes mid-file, followed by the next good records: the gap is skipped, the records after it kept.
   */
  @Test
  void aGapOfZeroBytesLeftMidFileByAnOlderVersionIsSkipped(VertxTestContext test) {
    run(test, () -> {
      Engine first = newDurableEngine(vertx);
      return started(first).compose(e -> setUp(e)).compose(s -> first.vote(choose(s.poll(), "alice", "1", "a"))
          .compose(x -> stopped(first))
          .compose(x -> vertx.fileSystem().readFile(journal().toString()))
          .compose(content -> {
            String vote = content.toString().lines().filter(l -> l.contains("\"op\":\"vote\"")).findFirst().orElseThrow();
            String bob = vote.replace("\"alice\"", "\"bob\"").replace("\"a\":\"1\"", "\"a\":\"2\"");
            return append("{\"op\":\"vote\",\"sta" + "\0".repeat(200) + bob + "\n");
          })
          .compose(x -> started(newDurableEngine(vertx)))
          .compose(second -> second.results(s.poll()))
          .map(results -> assertThat(results.voters()).isEqualTo(2)));
    });
  }

  /**
   * 200,000 votes with a snapshot every 20,000 records: a restart replays only the tail since the
   * last snapshot (counted, not timed), and every vote is there.
   */
  @Test
  void aRestartAfter200000ActionsReplaysOnlyTheTailSinceTheLastSnapshot(VertxTestContext test) {
    int votes = 200_000;
    MemoryEngine.Options compacting = options(256, 20_000, 60_000);
    run(test, () -> {
      Engine first = durable(compacting);
      return started(first).compose(x -> setUp(first)).compose(s -> voteInWaves(first, s.poll(), 0, votes)
          .compose(x -> when(() -> tailRecords(metrics) < 20_000)) // snapshots taken under load have caught up
          .compose(x -> stopped(first))
          .compose(x -> {
            PlenumMetrics restarted = new PlenumMetrics();
            Engine second = durable(compacting, restarted);
            java.util.concurrent.atomic.AtomicLong counted = new java.util.concurrent.atomic.AtomicLong();
            java.util.concurrent.atomic.AtomicLong distinct = new java.util.concurrent.atomic.AtomicLong();
            java.util.concurrent.atomic.AtomicLong logged = new java.util.concurrent.atomic.AtomicLong();
            return started(second)
                // the statistics come back whole from the snapshots (in parts) and the tail, each vote once
                .compose(e -> e.activity(s.stage().id()).map(minutes -> {
                  counted.set(minutes.stream().mapToLong(m -> m.count(org.plenum.stage.ActivityKind.VOTES)).sum());
                  return e;
                }))
                .compose(e -> e.distinctParticipants(s.stage().id()).map(n -> {
                  distinct.set(n);
                  return e;
                }))
                .compose(e -> e.interactions(s.stage().id(), votes - 10, 100).map(page -> {
                  logged.set(votes - 10 + page.size());
                  return e;
                }))
                .compose(e -> e.results(s.poll())).compose(results -> stopped(second).map(results))
                .map(results -> {
              assertThat(results.voters()).isEqualTo(votes);
              assertThat(counted.get()).isEqualTo(votes);
              assertThat(distinct.get()).isEqualTo(votes);
              assertThat(logged.get()).isEqualTo(votes);
              double replayed = restarted.registry().get(PlenumMetrics.JOURNAL_TAIL_REPLAYED).gauge().value();
              assertThat(replayed).as("records replayed at start").isLessThan(20_000);
              assertThat(snapshots(metrics)).isGreaterThanOrEqualTo(2);
              return null;
            });
          })
          .compose(x -> vertx.executeBlocking(() -> {
            try (var files = Files.list(dataDir)) {
              return files.filter(f -> f.getFileName().toString().startsWith("journal-")).count();
            }
          }))
          .map(generations -> assertThat(generations).as("compacted generations are deleted").isLessThanOrEqualTo(2)));
    });
  }

  private static long snapshots(PlenumMetrics m) {
    io.micrometer.core.instrument.Timer timer = m.registry().find(PlenumMetrics.SNAPSHOT_DURATION).timer();
    return timer == null ? 0 : timer.count();
  }

  private static double tailRecords(PlenumMetrics m) {
    return m.registry().get(PlenumMetrics.JOURNAL_TAIL_RECORDS).gauge().value();
  }

  /** Votes {@code from}..{@code to} by distinct participants, 2,000 in flight at a time. */
  private Future<Void> voteInWaves(Engine e, Poll poll, int from, int to) {
    if (from >= to) {
      return Future.succeededFuture();
    }
    int end = Math.min(to, from + 2_000);
    List<Future<VoteReceipt>> wave = new ArrayList<>();
    for (int i = from; i < end; i++) {
      wave.add(e.vote(choose(poll, "voter-" + i, "act-" + i, i % 2 == 0 ? "a" : "b")));
    }
    return Future.all(wave).compose(x -> voteInWaves(e, poll, end, to));
  }

  /** A post deleted by its author: after the compaction that follows, neither its text nor its name is on disk. */
  @Test
  void aDeletedPostsTextAndNameLeaveTheDisk(VertxTestContext test) {
    String text = "Geheime Frage Nummer 4711 zur Haushaltslage";
    String name = "Erika Mustermann-Vertraulich";
    run(test, () -> {
      Engine e = durable(options(256, 100_000, 1));
      return started(e).compose(x -> setUp(e)).compose(s -> {
        Post post = Post.create(Ids.newId("qu"), s.stage().id(), PostKind.QUESTION, "author-1", name, text,
            StageSettings.DEFAULT, now());
        return e.submitPost(new PostAction("p-1", post))
            .compose(x -> vertx.executeBlocking(() -> filesContaining(text)))
            .map(files -> assertThat(files).as("the text is journalled while the post lives").isNotEmpty())
            .compose(x -> e.updatePost(post, post.deleteByAuthor("author-1")))
            .compose(x -> when(() -> snapshots(metrics) >= 1))
            .compose(x -> vertx.executeBlocking(() -> List.of(filesContaining(text), filesContaining(name))))
            .map(found -> assertThat(found).as("files holding the deleted text or name").containsOnly(List.of()))
            .compose(x -> stopped(e))
            .compose(x -> started(durable(DEFAULTS)))
            .compose(again -> again.post(s.stage().id(), post.id()))
            .map(view -> assertThat(view.orElseThrow().post().state()).isEqualTo(org.plenum.stage.PostState.DELETED));
      });
    });
  }

  private List<String> filesContaining(String text) throws IOException {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    List<String> out = new ArrayList<>();
    try (var files = Files.walk(dataDir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        if (new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)
            .contains(new String(needle, StandardCharsets.ISO_8859_1))) {
          out.add(f.getFileName().toString());
        }
      }
    }
    return out;
  }

  /** The data directory is the server user's alone; the token-signing secret is in its own file, not the journal. */
  @Test
  void dataFilesArePrivateAndTheSecretIsKeptApartFromTheJournal(VertxTestContext test) {
    run(test, () -> {
      Engine e = durable(DEFAULTS);
      return started(e).compose(x -> setUp(e)).compose(s -> e.vote(choose(s.poll(), "alice", "1", "a")))
          .compose(x -> snapshotNow(e))
          .compose(x -> e.tokenSecret())
          .compose(secret -> vertx.executeBlocking(() -> {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir))).isEqualTo("rwx------");
            try (var files = Files.list(dataDir)) {
              for (Path f : files.toList()) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString())
                    .isEqualTo("rw-------");
              }
            }
            assertThat(filesContaining(Base64.getEncoder().encodeToString(secret))).containsExactly(DataDir.SECRET);
            return null;
          }));
    });
  }

  /** A journal written before the secret had its own file: the secret moves out and the journal is compacted. */
  @Test
  void aLegacyJournalsSecretMovesToItsOwnFile(VertxTestContext test) {
    byte[] secret = new byte[32];
    new java.security.SecureRandom().nextBytes(secret);
    String encoded = Base64.getEncoder().encodeToString(secret);
    run(test, () -> vertx.executeBlocking(() -> Files.writeString(dataDir.resolve("journal.jsonl"),
            new JsonObject().put("op", "secret").put("value", encoded).encode() + "\n"
                + new JsonObject().put("op", "event").put("event", org.plenum.protocol.Wire.event(
                    new Event("ev-legacy", "Old congress", now(), List.of()))).encode() + "\n"))
        .compose(x -> {
          Engine e = durable(DEFAULTS);
          return started(e).compose(x2 -> e.tokenSecret())
              .map(kept -> assertThat(kept).isEqualTo(secret))
              .compose(x2 -> when(() -> snapshots(metrics) >= 1))
              .compose(x2 -> vertx.executeBlocking(() -> filesContaining(encoded)))
              .map(files -> assertThat(files).containsExactly(DataDir.SECRET))
              .compose(x2 -> e.event("ev-legacy"))
              .map(ev -> assertThat(ev).isPresent());
        }));
  }

  /**
   * Action ids are remembered per participant per stage up to the window: the most recent ones are
   * recognised — also after a snapshot and a restart — the oldest beyond the window are forgotten.
   */
  @Test
  void theActionIdWindowKeepsTheMostRecentIdsAcrossASnapshotAndARestart(VertxTestContext test) {
    MemoryEngine.Options small = options(16, 100_000, 60_000);
    run(test, () -> {
      Engine first = durable(small);
      return started(first).compose(x -> setUp(first)).compose(s -> {
        Future<?> chain = Future.succeededFuture();
        for (int i = 0; i < 40; i++) {
          String id = "r-" + i;
          chain = chain.compose(x -> first.react(new ReactionAction(s.stage().id(), "fritz", id, "👏", 0)));
        }
        return chain.compose(x -> snapshotNow(first))
            .compose(x -> first.react(new ReactionAction(s.stage().id(), "fritz", "r-40", "👏", 0)))
            .compose(x -> stopped(first))
            .compose(x -> started(durable(small)))
            .compose(second -> second.react(new ReactionAction(s.stage().id(), "fritz", "r-39", "👏", 0))
                .map(r -> assertThat(r.duplicate()).as("a recent id, from the snapshot").isTrue())
                .compose(x -> second.react(new ReactionAction(s.stage().id(), "fritz", "r-40", "👏", 0)))
                .map(r -> assertThat(r.duplicate()).as("a recent id, from the tail").isTrue())
                .compose(x -> second.reactionTotals(s.stage().id()))
                .map(totals -> assertThat(totals.totals()).containsEntry("👏", 41L))
                .compose(x -> second.react(new ReactionAction(s.stage().id(), "fritz", "r-0", "👏", 0)))
                .map(r -> assertThat(r.duplicate()).as("beyond the window of 16").isFalse()));
      });
    });
  }

  private Future<Void> append(String text) {
    return vertx.fileSystem().open(journal().toString(), new OpenOptions().setAppend(true).setWrite(true))
        .compose(file -> file.write(Buffer.buffer(text)).eventually(file::close));
  }

  /** Issue 8: deleting an event removes its data from the disk at once, snapshot and journal alike. */
  @Test
  void aDeletedEventLeavesNothingOfItInTheDataDirectory(VertxTestContext test) throws Exception {
    String questionText = "Geheimfrage-" + Ids.newId("x");
    String pollQuestion = "Geheimumfrage-" + Ids.newId("x");
    MemoryEngine memory = new MemoryEngine(vertx, vertx.getOrCreateContext(), dataDir, false,
        MemoryEngine.Options.withTtl(ACTION_ID_TTL_MILLIS), new PlenumMetrics());
    Engine first = await(started(Engines.confined(memory)));
    Instant now = now();
    Event doomed = new Event(Ids.newId("ev"), "Probe-Kongress", now, List.of());
    Event kept = new Event(Ids.newId("ev"), "Kongress", now, List.of());
    Stage stage = new Stage(Ids.newId("st"), doomed.id(), "Main", Ids.newJoinCode(), now, StageSettings.DEFAULT);
    Stage keptStage = new Stage(Ids.newId("st"), kept.id(), "Main", Ids.newJoinCode(), now, StageSettings.DEFAULT);
    Poll poll = new org.plenum.stage.PollSpec(org.plenum.stage.PollKind.SINGLE, pollQuestion, List.of("Ja", "Nein"),
        null, null, true, true).toPoll(Ids.newId("po"), stage.id(), now);
    Post asked = Post.create(Ids.newId("qu"), stage.id(), PostKind.QUESTION, "alice", null, questionText,
        StageSettings.DEFAULT, now);
    Post keptPost = Post.create(Ids.newId("qu"), keptStage.id(), PostKind.QUESTION, "alice", null, "Bleibt", StageSettings.DEFAULT, now);
    await(onEventLoop(() -> first.createEvent(doomed).compose(x -> first.createEvent(kept))
        .compose(x -> first.createStage(stage)).compose(x -> first.createStage(keptStage))
        .compose(x -> first.savePoll(poll)).compose(x -> first.vote(choose(poll, "alice", "v1", "a")))
        .compose(x -> first.submitPost(new PostAction("q1", asked)))));
    await(memory.snapshotNow()); // in the snapshot now, not only in the journal
    await(onEventLoop(() -> first.submitPost(new PostAction("q2", keptPost))
        .compose(x -> first.submitPost(new PostAction("q3", Post.create(Ids.newId("qu"), stage.id(), PostKind.QUESTION,
            "bob", null, questionText + " (2)", StageSettings.DEFAULT, now))))));
    assertThat(grep(questionText)).as("before the deletion").isNotEmpty();

    await(onEventLoop(() -> first.deleteEvent(doomed.id())));

    for (String trace : List.of(questionText, pollQuestion, stage.id(), doomed.id(), "Probe-Kongress")) {
      assertThat(grep(trace)).as("files of " + dataDir + " holding " + trace).isEmpty();
    }
    await(stopped(first));
    Engine second = await(started(newDurableEngine(vertx)));
    assertThat(await(onEventLoop(() -> second.event(doomed.id())))).isEmpty();
    assertThat(await(onEventLoop(() -> second.posts(keptStage.id())))).hasSize(1);
    assertThat(grep(questionText)).isEmpty();
    test.completeNow();
  }

  /** The files of the data directory whose bytes contain {@code text}. */
  private List<Path> grep(String text) throws IOException {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    List<Path> out = new ArrayList<>();
    try (var files = Files.walk(dataDir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        if (new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)
            .contains(new String(needle, StandardCharsets.ISO_8859_1))) {
          out.add(f);
        }
      }
    }
    return out;
  }
}
