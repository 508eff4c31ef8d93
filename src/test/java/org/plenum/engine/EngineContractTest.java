package org.plenum.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;
import org.plenum.stage.Event;
import org.plenum.stage.Ids;
import org.plenum.stage.Poll;
import org.plenum.stage.PollKind;
import org.plenum.stage.PollSpec;
import org.plenum.stage.Presence;
import org.plenum.stage.Stage;

/**
 * What every {@link Engine} guarantees, run against each implementation. Tests use fresh ids, so
 * they also hold when engines share a store (one Redis for the whole class). Test bodies run on an
 * event-loop context, as the gateway's calls do, on a Vert.x that reports blocking after 200 ms.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
abstract class EngineContractTest {
  protected static final long ACTION_ID_TTL_MILLIS = 10 * 60_000;

  protected Vertx vertx;
  protected Engine engine;
  private final List<Engine> running = new ArrayList<>();

  /** A started engine is not needed yet; the test starts it. Every call may share one store. */
  protected abstract Engine newEngine(Vertx vertx);

  /** An engine on this test's durable store: engines from successive calls see each other's writes. */
  protected abstract Engine newDurableEngine(Vertx vertx);

  protected static Vertx newVertx() {
    return Vertx.vertx(new VertxOptions()
        .setMaxEventLoopExecuteTime(200).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setBlockedThreadCheckInterval(100).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
        .setWarningExceptionTime(200).setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS));
  }

  /** Loads the JSON codec once here, so first-use class loading does not show up as a blocked event loop. */
  @BeforeAll
  static void loadJsonCodec() {
    new JsonObject().put("warm", true).encode();
  }

  @BeforeEach
  void startEngine() throws Exception {
    vertx = newVertx();
    Change.registerCodec(vertx);
    engine = await(started(newEngine(vertx)));
  }

  @AfterEach
  void stopEngines() throws Exception {
    for (Engine e : List.copyOf(running)) {
      await(e.stop().otherwiseEmpty());
    }
    running.clear();
    await(vertx.close());
  }

  // ---- catalogue -------------------------------------------------------------------------

  @Test
  void eventsStagesAndPollsAreListedInCreationOrder(VertxTestContext test) {
    run(test, () -> {
      Instant now = Instant.now();
      Event e1 = new Event(Ids.newId("ev"), "Digital congress", now);
      Event e2 = new Event(Ids.newId("ev"), "Second day", now);
      Stage s1 = new Stage(Ids.newId("st"), e1.id(), "Main stage", Ids.newJoinCode(), now);
      Stage s2 = new Stage(Ids.newId("st"), e1.id(), "Side stage", Ids.newJoinCode(), now);
      Poll p1 = single(3, false).toPoll(Ids.newId("po"), s1.id(), now);
      Poll p2 = rating(5).toPoll(Ids.newId("po"), s1.id(), now);
      Poll p1Opened = p1.open(now.plusSeconds(1));
      return engine.createEvent(e1)
          .compose(x -> engine.createEvent(e2))
          .compose(x -> engine.createStage(s1))
          .compose(x -> engine.createStage(s2))
          .compose(x -> engine.savePoll(p1))
          .compose(x -> engine.savePoll(p2))
          .compose(x -> engine.savePoll(p1Opened))
          .compose(x -> engine.events())
          .map(events -> {
            assertThat(events.stream().filter(e -> e.id().equals(e1.id()) || e.id().equals(e2.id())))
                .containsExactly(e1, e2);
            return null;
          })
          .compose(x -> engine.event(e2.id()))
          .map(e -> assertThat(e).contains(e2))
          .compose(x -> engine.event(Ids.newId("ev")))
          .map(e -> assertThat(e).isEmpty())
          .compose(x -> engine.stages(e1.id()))
          .map(stages -> assertThat(stages).containsExactly(s1, s2))
          .compose(x -> engine.stages(e2.id()))
          .map(stages -> assertThat(stages).hasSize(0))
          .compose(x -> engine.stage(s2.id()))
          .map(s -> assertThat(s).contains(s2))
          .compose(x -> engine.stageByCode(s2.code()))
          .map(s -> assertThat(s).contains(s2))
          .compose(x -> engine.stageByCode("NOCODE7"))
          .map(s -> assertThat(s).isEmpty())
          .compose(x -> engine.polls(s1.id()))
          .map(polls -> assertThat(polls).as("a replaced poll keeps its place").containsExactly(p1Opened, p2))
          .compose(x -> engine.poll(s1.id(), p1.id()))
          .map(p -> assertThat(p).contains(p1Opened))
          .compose(x -> engine.poll(s1.id(), Ids.newId("po")))
          .map(p -> assertThat(p).isEmpty())
          .compose(x -> engine.polls(s2.id()))
          .map(polls -> assertThat(polls).hasSize(0));
    });
  }

  @Test
  void joinCodesAreUnique(VertxTestContext test) {
    run(test, () -> {
      Instant now = Instant.now();
      Event event = new Event(Ids.newId("ev"), "Congress", now);
      String code = Ids.newJoinCode();
      Stage first = new Stage(Ids.newId("st"), event.id(), "Main", code, now);
      Stage second = new Stage(Ids.newId("st"), event.id(), "Copy", code, now);
      String raceCode = Ids.newJoinCode();
      Stage racer1 = new Stage(Ids.newId("st"), event.id(), "Racer 1", raceCode, now);
      Stage racer2 = new Stage(Ids.newId("st"), event.id(), "Racer 2", raceCode, now);
      return engine.createEvent(event)
          .compose(x -> engine.createStage(first))
          .compose(x -> refused(engine.createStage(second)))
          .map(t -> assertThat(t).isInstanceOf(CodeTakenException.class).hasMessageContaining(code))
          .compose(x -> engine.stageByCode(code))
          .map(s -> assertThat(s).contains(first))
          .compose(x -> {
            Future<Stage> a = engine.createStage(racer1);
            Future<Stage> b = engine.createStage(racer2);
            return Future.join(a, b).transform(ar -> {
              assertThat(List.of(a.succeeded(), b.succeeded())).as("exactly one racer gets the code")
                  .containsExactlyInAnyOrder(true, false);
              Future<Stage> loser = a.failed() ? a : b;
              assertThat(loser.cause()).isInstanceOf(CodeTakenException.class);
              Stage winner = a.succeeded() ? racer1 : racer2;
              return engine.stageByCode(raceCode).map(s -> assertThat(s).contains(winner));
            });
          })
          .compose(x -> engine.stages(event.id()))
          .map(stages -> assertThat(stages).hasSize(2).contains(first));
    });
  }

  // ---- votes -----------------------------------------------------------------------------

  @Test
  void resultsOfAPollWithoutVotesListEveryKeyAtZero(VertxTestContext test) {
    run(test, () -> newStage()
        .compose(stage -> newPoll(stage, single(3, true)))
        .compose(poll -> engine.results(poll))
        .map(results -> {
          assertThat(results.counts()).containsExactly(Map.entry("a", 0L), Map.entry("b", 0L), Map.entry("c", 0L));
          assertThat(results.version()).isZero();
          assertThat(results.voters()).isZero();
          return null;
        }));
  }

  @Test
  void secondVoteFromSameParticipantMovesTheCount(VertxTestContext test) {
    run(test, () -> newStage()
        .compose(stage -> newPoll(stage, single(3, true)))
        .compose(poll -> engine.vote(choose(poll, "alice", "act-1", "a"))
            .compose(r -> engine.vote(choose(poll, "bob", "act-1", "a")))
            .compose(r -> engine.vote(choose(poll, "alice", "act-2", "b")))
            .compose(r -> engine.results(poll)))
        .map(results -> {
          assertThat(results.counts()).containsExactly(Map.entry("a", 1L), Map.entry("b", 1L), Map.entry("c", 0L));
          assertThat(results.voters()).isEqualTo(2);
          assertThat(results.version()).isEqualTo(3);
          return null;
        }));
  }

  @Test
  void retriedActionIdIsAppliedOnce(VertxTestContext test) {
    run(test, () -> newStage()
        .compose(stage -> newPoll(stage, single(2, true)))
        .compose(poll -> engine.vote(choose(poll, "alice", "act-1", "a"))
            .map(r -> assertThat(r).isEqualTo(new VoteReceipt(false, 1)))
            .compose(x -> engine.vote(choose(poll, "alice", "act-1", "a")))
            .map(r -> assertThat(r).isEqualTo(new VoteReceipt(true, 1)))
            .compose(x -> engine.vote(choose(poll, "alice", "act-1", "b")))
            .map(r -> assertThat(r).as("a retry is recognised by its id, whatever it carries")
                .isEqualTo(new VoteReceipt(true, 1)))
            .compose(x -> engine.vote(choose(poll, "bob", "act-1", "b")))
            .map(r -> assertThat(r).as("action ids are per participant").isEqualTo(new VoteReceipt(false, 2)))
            .compose(x -> engine.results(poll)))
        .map(results -> {
          assertThat(results.counts()).containsExactly(Map.entry("a", 1L), Map.entry("b", 1L));
          assertThat(results.version()).isEqualTo(2);
          return null;
        }));
  }

  @Test
  void voteInClosedPollIsRefusedAndChangesNothing(VertxTestContext test) {
    run(test, () -> newStage()
        .compose(stage -> newPoll(stage, single(2, true)))
        .compose(poll -> engine.vote(choose(poll, "alice", "act-1", "a"))
            .compose(x -> engine.savePoll(poll.close(Instant.now())))
            .compose(closed -> refused(engine.vote(choose(poll, "bob", "act-1", "b")))
                .map(t -> assertRefusal(t, ErrorCode.POLL_NOT_OPEN))
                .compose(x -> refused(engine.vote(choose(poll, "alice", "act-2", "b"))))
                .map(t -> assertRefusal(t, ErrorCode.POLL_NOT_OPEN))
                .compose(x -> engine.results(poll))
                .map(results -> {
                  assertThat(results.counts()).containsExactly(Map.entry("a", 1L), Map.entry("b", 0L));
                  assertThat(results.version()).isEqualTo(1);
                  assertThat(results.voters()).isEqualTo(1);
                  return null;
                })
                .compose(x -> engine.savePoll(closed.open(Instant.now()))))
            .compose(reopened -> engine.vote(choose(poll, "bob", "act-1", "b")))
            .map(r -> assertThat(r).as("a refused action id is not remembered").isEqualTo(new VoteReceipt(false, 2)))));
  }

  @Test
  void voteInDraftOrUnknownPollIsRefused(VertxTestContext test) {
    run(test, () -> newStage().compose(stage -> newPoll(stage, single(2, false))
        .compose(draft -> refused(engine.vote(choose(draft, "alice", "act-1", "a")))
            .map(t -> assertRefusal(t, ErrorCode.POLL_NOT_OPEN))
            .compose(x -> engine.results(draft))
            .map(results -> assertThat(results.version()).isZero()))
        .compose(x -> {
          Poll ghost = single(2, true).toPoll(Ids.newId("po"), stage.id(), Instant.now()); // never saved
          return refused(engine.vote(choose(ghost, "alice", "act-2", "a")));
        })
        .map(t -> assertRefusal(t, ErrorCode.UNKNOWN_POLL))));
  }

  @Test
  void versionIncreasesWithEveryAppliedVote(VertxTestContext test) {
    run(test, () -> newStage().compose(stage -> newPoll(stage, single(3, true))
        .compose(poll -> {
          List<VoteAction> actions = List.of(
              choose(poll, "alice", "1", "a"), choose(poll, "bob", "1", "b"), choose(poll, "alice", "1", "c"),
              choose(poll, "alice", "2", "c"), choose(poll, "carol", "1", "c"), choose(poll, "bob", "2", "a"));
          List<VoteReceipt> receipts = new ArrayList<>();
          Future<Void> chain = Future.succeededFuture();
          for (VoteAction a : actions) {
            chain = chain.compose(x -> engine.vote(a)).map(r -> {
              receipts.add(r);
              return null;
            });
          }
          return chain.map(x -> {
            assertThat(receipts).containsExactly(new VoteReceipt(false, 1), new VoteReceipt(false, 2),
                new VoteReceipt(true, 2), new VoteReceipt(false, 3), new VoteReceipt(false, 4),
                new VoteReceipt(false, 5));
            return poll;
          });
        })
        .compose(poll -> engine.results(poll))
        .map(results -> {
          assertThat(results.version()).isEqualTo(5);
          assertThat(results.counts()).containsExactly(Map.entry("a", 1L), Map.entry("b", 0L), Map.entry("c", 2L));
          return null;
        })));
  }

  @Test
  void multipleChoiceBallotMovesEveryKey(VertxTestContext test) {
    run(test, () -> newStage()
        .compose(stage -> newPoll(stage, multiple(4, 3)))
        .compose(poll -> engine.vote(choose(poll, "alice", "1", "b", "a"))
            .compose(x -> engine.vote(choose(poll, "bob", "1", "b", "c")))
            .compose(x -> engine.results(poll))
            .map(results -> assertThat(results.counts()).containsExactly(
                Map.entry("a", 1L), Map.entry("b", 2L), Map.entry("c", 1L), Map.entry("d", 0L)))
            .compose(x -> engine.vote(choose(poll, "alice", "2", "c", "d", "b")))
            .compose(x -> engine.results(poll)))
        .map(results -> {
          assertThat(results.counts()).containsExactly(
              Map.entry("a", 0L), Map.entry("b", 2L), Map.entry("c", 2L), Map.entry("d", 1L));
          assertThat(results.voters()).isEqualTo(2);
          assertThat(results.version()).isEqualTo(3);
          return null;
        }));
  }

  @Test
  void ratingResultsCarryTheMean(VertxTestContext test) {
    run(test, () -> newStage()
        .compose(stage -> newPoll(stage, rating(5)))
        .compose(poll -> engine.vote(rate(poll, "alice", "1", 4))
            .compose(x -> engine.vote(rate(poll, "bob", "1", 5)))
            .compose(x -> engine.vote(rate(poll, "carol", "1", 2)))
            .compose(x -> engine.vote(rate(poll, "carol", "2", 5)))
            .compose(x -> engine.results(poll)))
        .map(results -> {
          assertThat(results.counts()).containsExactly(Map.entry("1", 0L), Map.entry("2", 0L), Map.entry("3", 0L),
              Map.entry("4", 1L), Map.entry("5", 2L));
          assertThat(results.mean()).isEqualTo(4.67);
          assertThat(results.voters()).isEqualTo(3);
          return null;
        }));
  }

  /**
   * 500 participants vote at once; a fifth of them send their action twice at the same moment (a
   * retry racing the original), a quarter change their vote, and some of those then retry their
   * first action late, which must not undo the change.
   */
  @Test
  void fiveHundredConcurrentVotersAreCountedExactly(VertxTestContext test) {
    int voters = 500;
    String[] keys = {"a", "b", "c"};
    run(test, () -> newStage().compose(stage -> newPoll(stage, single(3, true))).compose(poll -> {
      List<Future<VoteReceipt>> all = new ArrayList<>();
      Map<String, Long> expected = new HashMap<>(Map.of("a", 0L, "b", 0L, "c", 0L));
      int expectedApplied = 0;
      for (int i = 0; i < voters; i++) {
        String participant = "voter-" + i;
        String first = keys[i % 3];
        VoteAction firstAction = choose(poll, participant, "first", first);
        Future<VoteReceipt> firstVote = engine.vote(firstAction);
        all.add(firstVote);
        expectedApplied++;
        if (i % 5 == 0) {
          all.add(engine.vote(firstAction));
        }
        String last = first;
        if (i % 4 == 0) {
          last = keys[(i + 1) % 3];
          VoteAction change = choose(poll, participant, "change", last);
          Future<VoteReceipt> changed = firstVote.compose(r -> engine.vote(change));
          all.add(changed);
          expectedApplied++;
          if (i % 8 == 0) {
            all.add(changed.compose(r -> engine.vote(firstAction)));
          }
        }
        expected.merge(last, 1L, Long::sum);
      }
      int applied = expectedApplied;
      return Future.all(all)
          .map(x -> {
            long appliedNow = all.stream().filter(f -> !f.result().duplicate()).count();
            assertThat(appliedNow).isEqualTo(applied);
            assertThat(all.stream().mapToLong(f -> f.result().version()).max()).hasValue(applied);
            return null;
          })
          .compose(x -> engine.results(poll))
          .map(results -> {
            assertThat(results.counts()).isEqualTo(expected);
            assertThat(results.voters()).isEqualTo(voters);
            assertThat(results.version()).isEqualTo(applied);
            return null;
          });
    }));
  }

  // ---- presence --------------------------------------------------------------------------

  @Test
  void presenceSumsReportersAndForgetsExpiredOnes(VertxTestContext test) {
    run(test, () -> {
      return newStage().compose(stage -> {
        String other = Ids.newId("st");
        return engine.reportPresence("node-a/0", stage.id(), new Presence(3, 1, 0), 60_000)
            .compose(x -> engine.reportPresence("node-b/0", stage.id(), new Presence(2, 0, 1), 60_000))
            .compose(x -> engine.reportPresence("node-c/0", stage.id(), new Presence(100, 100, 100), 0))
            .compose(x -> engine.reportPresence("node-a/0", other, new Presence(7, 7, 7), 60_000))
            .compose(x -> engine.presence(stage.id()))
            .map(p -> assertThat(p).as("an expired report counts for nothing").isEqualTo(new Presence(5, 1, 1)))
            .compose(x -> engine.reportPresence("node-a/0", stage.id(), new Presence(1, 1, 0), 60_000))
            .compose(x -> engine.presence(stage.id()))
            .map(p -> assertThat(p).as("a refreshed report replaces the reporter's last").isEqualTo(new Presence(3, 1, 1)))
            .compose(x -> engine.reportPresence("node-b/0", stage.id(), new Presence(2, 0, 1), -1))
            .compose(x -> engine.presence(stage.id()))
            .map(p -> assertThat(p).isEqualTo(new Presence(1, 1, 0)))
            .compose(x -> engine.presence(other))
            .map(p -> assertThat(p).isEqualTo(new Presence(7, 7, 7)))
            .compose(x -> engine.presence(Ids.newId("st")))
            .map(p -> assertThat(p).isEqualTo(Presence.NONE));
      });
    });
  }

  // ---- announcements and contexts ---------------------------------------------------------

  @Test
  void changesAreAnnouncedOnTheEventBus(VertxTestContext test) throws Exception {
    Stage stage = await(onEventLoop(this::newStage));
    Poll poll = single(2, true).toPoll(Ids.newId("po"), stage.id(), Instant.now());
    Set<Change.Kind> seen = ConcurrentHashMap.newKeySet();
    Checkpoint announced = test.checkpoint(3);
    MessageConsumer<Change> consumer = vertx.eventBus().consumer(Change.ADDRESS, message -> {
      Change change = message.body();
      if (!change.stageId().equals(stage.id()) || !seen.add(change.kind())) {
        return;
      }
      test.verify(() -> {
        switch (change.kind()) {
          case POLL, RESULTS -> assertThat(change.id()).isEqualTo(poll.id());
          case PRESENCE -> assertThat(change.id()).isNull();
        }
      });
      announced.flag();
    });
    await(consumer.completion());
    onEventLoop(() -> engine.savePoll(poll)
        .compose(p -> engine.vote(choose(p, "alice", "1", "a")))
        .compose(r -> engine.reportPresence("node-a/0", stage.id(), new Presence(1, 0, 0), 60_000)))
        .onFailure(test::failNow);
  }

  @Test
  void futuresCompleteOnTheCallersContext(VertxTestContext test) {
    run(test, () -> {
      Context caller = Vertx.currentContext();
      Instant now = Instant.now();
      Event event = new Event(Ids.newId("ev"), "Congress", now);
      Stage stage = new Stage(Ids.newId("st"), event.id(), "Main", Ids.newJoinCode(), now);
      Poll poll = single(2, true).toPoll(Ids.newId("po"), stage.id(), now);
      return here(caller, engine.createEvent(event))
          .compose(x -> here(caller, engine.events()))
          .compose(x -> here(caller, engine.event(event.id())))
          .compose(x -> here(caller, engine.createStage(stage)))
          .compose(x -> here(caller, engine.stages(event.id())))
          .compose(x -> here(caller, engine.stage(stage.id())))
          .compose(x -> here(caller, engine.stageByCode(stage.code())))
          .compose(x -> here(caller, engine.savePoll(poll)))
          .compose(x -> here(caller, engine.polls(stage.id())))
          .compose(x -> here(caller, engine.poll(stage.id(), poll.id())))
          .compose(x -> here(caller, engine.vote(choose(poll, "alice", "1", "a"))))
          .compose(x -> here(caller, refused(engine.vote(
              new VoteAction(stage.id(), Ids.newId("po"), "alice", "2", poll.ballot(List.of("a"), null))))))
          .compose(x -> here(caller, engine.results(poll)))
          .compose(x -> here(caller, engine.reportPresence("node-a/0", stage.id(), new Presence(1, 0, 0), 1000)))
          .compose(x -> here(caller, engine.presence(stage.id())))
          .compose(x -> here(caller, engine.tokenSecret()));
    });
  }

  // ---- restarts --------------------------------------------------------------------------

  @Test
  void tokenSecretIsStableAcrossRestart(VertxTestContext test) {
    run(test, () -> {
      Engine first = newDurableEngine(vertx);
      Map<String, byte[]> secrets = new HashMap<>();
      return started(first)
          .compose(e -> e.tokenSecret())
          .map(s -> secrets.put("first", s))
          .compose(x -> stopped(first))
          .compose(x -> started(newDurableEngine(vertx)))
          .compose(second -> second.tokenSecret())
          .map(s -> {
            assertThat(secrets.get("first")).hasSize(32);
            assertThat(s).isEqualTo(secrets.get("first"));
            return null;
          });
    });
  }

  @Test
  void catalogueVotesAndActionIdsSurviveRestart(VertxTestContext test) {
    run(test, () -> {
      Instant now = Instant.now();
      Event event = new Event(Ids.newId("ev"), "Congress", now);
      Stage stage = new Stage(Ids.newId("st"), event.id(), "Main", Ids.newJoinCode(), now);
      Poll poll = multiple(3, 2).toPoll(Ids.newId("po"), stage.id(), now);
      Poll closed = single(2, true).toPoll(Ids.newId("po"), stage.id(), now).close(now.plusSeconds(5));
      Engine first = newDurableEngine(vertx);
      return started(first)
          .compose(e -> e.createEvent(event))
          .compose(x -> first.createStage(stage))
          .compose(x -> first.savePoll(poll))
          .compose(x -> first.savePoll(closed))
          .compose(x -> first.vote(choose(poll, "alice", "1", "a")))
          .compose(x -> first.vote(choose(poll, "bob", "1", "a", "b")))
          .compose(x -> first.vote(choose(poll, "alice", "2", "c")))
          .compose(x -> stopped(first))
          .compose(x -> started(newDurableEngine(vertx)))
          .compose(second -> second.events()
              .map(events -> assertThat(events).contains(event))
              .compose(x -> second.stages(event.id()))
              .map(stages -> assertThat(stages).containsExactly(stage))
              .compose(x -> second.stageByCode(stage.code()))
              .map(s -> assertThat(s).contains(stage))
              .compose(x -> second.polls(stage.id()))
              .map(polls -> assertThat(polls).containsExactly(poll, closed))
              .compose(x -> second.results(poll))
              .map(results -> {
                assertThat(results.counts()).containsExactly(Map.entry("a", 1L), Map.entry("b", 1L), Map.entry("c", 1L));
                assertThat(results.version()).isEqualTo(3);
                assertThat(results.voters()).isEqualTo(2);
                return null;
              })
              .compose(x -> second.vote(choose(poll, "alice", "2", "c")))
              .map(r -> assertThat(r).as("an action applied before the restart").isEqualTo(new VoteReceipt(true, 3)))
              .compose(x -> refused(second.vote(choose(closed, "alice", "3", "a"))))
              .map(t -> assertRefusal(t, ErrorCode.POLL_NOT_OPEN))
              .compose(x -> second.vote(choose(poll, "carol", "1", "b")))
              .map(r -> assertThat(r).isEqualTo(new VoteReceipt(false, 4)))
              .compose(x -> refused(second.createStage(new Stage(Ids.newId("st"), event.id(), "Copy", stage.code(), now))))
              .map(t -> assertThat(t).isInstanceOf(CodeTakenException.class)));
    });
  }

  // ---- helpers ---------------------------------------------------------------------------

  /** Runs {@code body} on a fresh event-loop context and passes the test when its Future succeeds. */
  protected void run(VertxTestContext test, Supplier<Future<?>> body) {
    vertx.getOrCreateContext().runOnContext(v -> {
      try {
        body.get().onComplete(ar -> {
          if (ar.succeeded()) {
            test.completeNow();
          } else {
            test.failNow(ar.cause());
          }
        });
      } catch (Throwable t) {
        test.failNow(t);
      }
    });
  }

  protected <T> Future<T> onEventLoop(Supplier<Future<T>> body) {
    Promise<T> promise = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> {
      try {
        body.get().onComplete(promise);
      } catch (Throwable t) {
        promise.fail(t);
      }
    });
    return promise.future();
  }

  /** Starts an engine; it is stopped after the test unless the test stops it. */
  protected Future<Engine> started(Engine e) {
    return e.start().map(v -> {
      running.add(e);
      return e;
    });
  }

  protected Future<Void> stopped(Engine e) {
    running.remove(e);
    return e.stop();
  }

  protected Future<Stage> newStage() {
    Instant now = Instant.now();
    Event event = new Event(Ids.newId("ev"), "Congress", now);
    return engine.createEvent(event)
        .compose(e -> engine.createStage(new Stage(Ids.newId("st"), e.id(), "Main", Ids.newJoinCode(), now)));
  }

  protected Future<Poll> newPoll(Stage stage, PollSpec spec) {
    return engine.savePoll(spec.toPoll(Ids.newId("po"), stage.id(), Instant.now()));
  }

  protected static PollSpec single(int options, boolean open) {
    return new PollSpec(PollKind.SINGLE, "Which one?", labels(options), null, null, true, open);
  }

  protected static PollSpec multiple(int options, int maxSelections) {
    return new PollSpec(PollKind.MULTIPLE, "Which ones?", labels(options), maxSelections, null, true, true);
  }

  protected static PollSpec rating(int scale) {
    return new PollSpec(PollKind.RATING, "How was it?", null, null, scale, true, true);
  }

  private static List<String> labels(int n) {
    List<String> labels = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      labels.add("Option " + i);
    }
    return labels;
  }

  protected static VoteAction choose(Poll poll, String participant, String actionId, String... choices) {
    return new VoteAction(poll.stageId(), poll.id(), participant, actionId, poll.ballot(List.of(choices), null));
  }

  protected static VoteAction rate(Poll poll, String participant, String actionId, int rating) {
    return new VoteAction(poll.stageId(), poll.id(), participant, actionId, poll.ballot(null, rating));
  }

  /** Succeeds with the failure of {@code future}; fails if it succeeded. */
  protected static Future<Throwable> refused(Future<?> future) {
    return future.transform(ar -> ar.succeeded()
        ? Future.failedFuture(new AssertionError("expected a refusal, got " + ar.result()))
        : Future.succeededFuture(ar.cause()));
  }

  protected static Throwable assertRefusal(Throwable t, ErrorCode code) {
    assertThat(t).isInstanceOf(PlenumException.class);
    assertThat(((PlenumException) t).code()).isEqualTo(code);
    return t;
  }

  /** Checks that {@code future} completes (either way) on {@code caller}, and passes its outcome on. */
  private static <T> Future<T> here(Context caller, Future<T> future) {
    return future.transform(ar -> {
      assertThat(Vertx.currentContext()).as("context completing the engine's Future").isSameAs(caller);
      return ar.succeeded() ? Future.succeededFuture(ar.result()) : Future.failedFuture(ar.cause());
    });
  }

  /** Completes once {@code condition} holds, checking every 20 ms (for state that has no event, like readiness). */
  protected Future<Void> when(BooleanSupplier condition) {
    Promise<Void> promise = Promise.promise();
    vertx.setPeriodic(1, 20, id -> {
      if (condition.getAsBoolean()) {
        vertx.cancelTimer(id);
        promise.tryComplete();
      }
    });
    return promise.future();
  }

  protected static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
