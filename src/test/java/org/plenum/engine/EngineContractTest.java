package org.plenum.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
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
import java.util.Optional;
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
import org.plenum.stage.CloudResults;
import org.plenum.stage.CloudWord;
import org.plenum.stage.Event;
import org.plenum.stage.Ids;
import org.plenum.stage.ModeratorAccess;
import org.plenum.stage.Phase;
import org.plenum.stage.Poll;
import org.plenum.stage.PollKind;
import org.plenum.stage.PollSpec;
import org.plenum.stage.Post;
import org.plenum.stage.PostKind;
import org.plenum.stage.PostView;
import org.plenum.stage.Presence;
import org.plenum.stage.ReactionMinute;
import org.plenum.stage.ReactionTotals;
import org.plenum.stage.Stage;
import org.plenum.stage.StageSettings;
import org.plenum.stage.Talk;
import org.plenum.stage.Presentation;
import org.plenum.stage.WordCloud;

/**
 * What every {@link Engine} guarantees, run against each implementation. Tests use fresh ids, so
 * they also hold when engines share a store (one Redis for the whole class). Test bodies run on an
 * event-loop context, as the gateway's calls do, on a Vert.x that fails the test when an event loop blocks.
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
    return org.plenum.testing.TestVertx.create();
  }

  @org.junit.jupiter.api.AfterEach
  void noEventLoopWasBlocked() {
    org.plenum.testing.TestVertx.assertNoBlockedLoops();
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
      Instant now = now();
      Event e1 = new Event(Ids.newId("ev"), "Digital congress", now, java.util.List.of());
      Event e2 = new Event(Ids.newId("ev"), "Second day", now, java.util.List.of());
      Stage s1 = new Stage(Ids.newId("st"), e1.id(), "Main stage", Ids.newJoinCode(), now, org.plenum.stage.StageSettings.DEFAULT);
      Stage s2 = new Stage(Ids.newId("st"), e1.id(), "Side stage", Ids.newJoinCode(), now, org.plenum.stage.StageSettings.DEFAULT);
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

  /** Issue 12: a closed event's passcode is stored with the event, changed and removed by updateEvent. */
  @Test
  void anEventsPasscodeIsStoredChangedAndRemoved(VertxTestContext test) {
    run(test, () -> {
      Event closed = new Event(Ids.newId("ev"), "Verwaltungskongress", now(), java.util.List.of(), false, "Amt2026");
      Event open = new Event(Ids.newId("ev"), "Open day", now(), java.util.List.of());
      Future<Event> stored = engine.createEvent(closed).compose(x -> engine.createEvent(open));
      Future<Optional<Event>> readClosed = stored.compose(x -> engine.event(closed.id()));
      Future<Optional<Event>> readOpen = readClosed.compose(x -> engine.event(open.id()));
      Future<Event> changed = readOpen.compose(x -> engine.updateEvent(closed.withName("Kongress").withPasscode("Neu-2026")));
      Future<Optional<Event>> readChanged = changed.compose(x -> engine.event(closed.id()));
      Future<Event> removed = readChanged.compose(x -> engine.updateEvent(closed.withPasscode(null)));
      Future<Optional<Event>> readRemoved = removed.compose(x -> engine.event(closed.id()));
      return readRemoved.map(x -> {
        assertThat(readClosed.result().orElseThrow().passcode()).isEqualTo("Amt2026");
        assertThat(readOpen.result().orElseThrow().closed()).isFalse();
        assertThat(readChanged.result().orElseThrow().passcode()).isEqualTo("Neu-2026");
        assertThat(readChanged.result().orElseThrow().name()).isEqualTo("Kongress");
        assertThat(x.orElseThrow().closed()).isFalse();
        return null;
      });
    });
  }

  @Test
  void joinCodesAreUnique(VertxTestContext test) {
    run(test, () -> {
      Instant now = now();
      Event event = new Event(Ids.newId("ev"), "Congress", now, java.util.List.of());
      String code = Ids.newJoinCode();
      Stage first = new Stage(Ids.newId("st"), event.id(), "Main", code, now, org.plenum.stage.StageSettings.DEFAULT);
      Stage second = new Stage(Ids.newId("st"), event.id(), "Copy", code, now, org.plenum.stage.StageSettings.DEFAULT);
      String raceCode = Ids.newJoinCode();
      Stage racer1 = new Stage(Ids.newId("st"), event.id(), "Racer 1", raceCode, now, org.plenum.stage.StageSettings.DEFAULT);
      Stage racer2 = new Stage(Ids.newId("st"), event.id(), "Racer 2", raceCode, now, org.plenum.stage.StageSettings.DEFAULT);
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
            .compose(x -> engine.savePoll(poll.close(now())))
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
                .compose(x -> engine.savePoll(closed.open(now()))))
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
          Poll ghost = single(2, true).toPoll(Ids.newId("po"), stage.id(), now()); // never saved
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

  @Test
  void rankingResultsAreBordaPointsWithTheFullDistribution(VertxTestContext test) {
    run(test, () -> newStage()
        .compose(stage -> newPoll(stage, ranking(3)))
        .compose(poll -> engine.vote(choose(poll, "alice", "1", "b", "a", "c"))
            .compose(x -> engine.vote(choose(poll, "bob", "1", "b", "c", "a")))
            .compose(x -> engine.vote(choose(poll, "carol", "1", "a", "b", "c")))
            .compose(x -> engine.results(poll))
            .map(results -> {
              assertThat(results.counts()).as("Borda points: 2 per first place, 1 per second")
                  .containsExactly(Map.entry("a", 3L), Map.entry("b", 5L), Map.entry("c", 1L));
              assertThat(results.ranking().distribution()).containsExactly(Map.entry("a", List.of(1L, 1L, 1L)),
                  Map.entry("b", List.of(2L, 1L, 0L)), Map.entry("c", List.of(0L, 1L, 2L)));
              assertThat(results.ranking().meanRank()).containsExactly(Map.entry("a", 2.0), Map.entry("b", 1.33),
                  Map.entry("c", 2.67));
              assertThat(results.ranking().maxPoints()).isEqualTo(6);
              assertThat(results.voters()).isEqualTo(3);
              return null;
            })
            .compose(x -> engine.vote(choose(poll, "carol", "2", "c", "b", "a")))
            .compose(x -> engine.vote(choose(poll, "carol", "2", "a", "b", "c"))) // a retry: counted once
            .compose(x -> engine.results(poll)))
        .map(results -> {
          assertThat(results.counts()).as("carol's new order replaced her first")
              .containsExactly(Map.entry("a", 1L), Map.entry("b", 5L), Map.entry("c", 3L));
          assertThat(results.ranking().distribution().get("c")).containsExactly(1L, 1L, 1L);
          assertThat(results.voters()).isEqualTo(3);
          assertThat(results.version()).isEqualTo(4);
          return null;
        }));
  }

  @Test
  void removingAParticipantsBallotTakesItOutOfOpenAndClosedPollsOnce(VertxTestContext test) {
    run(test, () -> newStage().compose(stage -> newPoll(stage, single(2, true))
        .compose(single -> newPoll(stage, ranking(3)).compose(ranked -> engine.vote(choose(single, "troll", "1", "a"))
            .compose(x -> engine.vote(choose(single, "bob", "1", "b")))
            .compose(x -> engine.vote(choose(ranked, "troll", "2", "c", "b", "a")))
            .compose(x -> engine.vote(choose(ranked, "bob", "2", "a", "b", "c")))
            .compose(x -> engine.savePoll(single.close(now())))
            .compose(closed -> engine.removeBallot(closed, "troll"))
            .map(removed -> assertThat(removed).as("from a closed poll").isTrue())
            .compose(x -> engine.removeBallot(ranked, "troll"))
            .map(removed -> assertThat(removed).as("from an open ranking").isTrue())
            .compose(x -> engine.removeBallot(ranked, "troll"))
            .map(removed -> assertThat(removed).as("a second removal finds nothing").isFalse())
            .compose(x -> engine.removeBallot(ranked, "nobody"))
            .map(removed -> assertThat(removed).isFalse())
            .compose(x -> engine.results(single))
            .map(results -> {
              assertThat(results.counts()).containsExactly(Map.entry("a", 0L), Map.entry("b", 1L));
              assertThat(results.voters()).isEqualTo(1);
              assertThat(results.version()).isEqualTo(3);
              return null;
            })
            .compose(x -> engine.results(ranked))
            .map(results -> {
              assertThat(results.counts()).containsExactly(Map.entry("a", 2L), Map.entry("b", 1L), Map.entry("c", 0L));
              assertThat(results.voters()).isEqualTo(1);
              assertThat(results.version()).as("one step per removal, none for the repeat").isEqualTo(3);
              return null;
            })
            .compose(x -> engine.vote(choose(ranked, "troll", "3", "c", "b", "a")))
            .map(r -> assertThat(r).as("the participant may vote anew (muting is the moderator's other tool)")
                .isEqualTo(new VoteReceipt(false, 4)))))));
  }

  @Test
  void aRemovedBallotStaysRemovedAcrossARestart(VertxTestContext test) {
    run(test, () -> {
      Instant now = now();
      Event event = new Event(Ids.newId("ev"), "Congress", now, java.util.List.of());
      Stage stage = new Stage(Ids.newId("st"), event.id(), "Main", Ids.newJoinCode(), now, org.plenum.stage.StageSettings.DEFAULT);
      Poll poll = ranking(3).toPoll(Ids.newId("po"), stage.id(), now);
      Engine first = newDurableEngine(vertx);
      return started(first)
          .compose(e -> e.createEvent(event))
          .compose(x -> first.createStage(stage))
          .compose(x -> first.savePoll(poll))
          .compose(x -> first.vote(choose(poll, "troll", "1", "c", "b", "a")))
          .compose(x -> first.vote(choose(poll, "bob", "1", "a", "c", "b")))
          .compose(x -> first.removeBallot(poll, "troll"))
          .compose(x -> stopped(first))
          .compose(x -> started(newDurableEngine(vertx)))
          .compose(second -> second.results(poll))
          .map(results -> {
            assertThat(results.counts()).containsExactly(Map.entry("a", 2L), Map.entry("b", 0L), Map.entry("c", 1L));
            assertThat(results.voters()).isEqualTo(1);
            assertThat(results.version()).isEqualTo(3);
            return null;
          });
    });
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
    Poll poll = single(2, true).toPoll(Ids.newId("po"), stage.id(), now());
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
      Instant now = now();
      Event event = new Event(Ids.newId("ev"), "Congress", now, java.util.List.of());
      Stage stage = new Stage(Ids.newId("st"), event.id(), "Main", Ids.newJoinCode(), now, org.plenum.stage.StageSettings.DEFAULT);
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
      Instant now = now();
      Event event = new Event(Ids.newId("ev"), "Congress", now, java.util.List.of());
      Stage stage = new Stage(Ids.newId("st"), event.id(), "Main", Ids.newJoinCode(), now, org.plenum.stage.StageSettings.DEFAULT);
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
              .compose(x -> refused(second.createStage(new Stage(Ids.newId("st"), event.id(), "Copy", stage.code(), now, org.plenum.stage.StageSettings.DEFAULT))))
              .map(t -> assertThat(t).isInstanceOf(CodeTakenException.class)));
    });
  }

  // ---- word clouds -----------------------------------------------------------------------

  @Test
  void wordsGroupByKeyAndShowTheMostFrequentSpelling(VertxTestContext test) {
    run(test, () -> newStage().compose(stage -> newCloud(stage, 3, Phase.OPEN)).compose(cloud -> sequence(
            engine.submitWord(word(cloud, "alice", "1", "strasse", "Straße")),
            () -> engine.submitWord(word(cloud, "bob", "1", "strasse", "STRASSE")),
            () -> engine.submitWord(word(cloud, "carol", "1", "strasse", "Straße")),
            () -> engine.submitWord(word(cloud, "dave", "1", "ärger", "Ärger")),
            () -> engine.submitWord(word(cloud, "alice", "2", "ärger", "Ärger")),
            () -> engine.submitWord(word(cloud, "erin", "1", "👏", "👏")))
        .compose(x -> engine.cloudResults(cloud, WordCloud.TOP))
        .map(results -> {
          assertThat(results.words()).containsExactly(
              new CloudWord("strasse", "Straße", 3), new CloudWord("ärger", "Ärger", 2), new CloudWord("👏", "👏", 1));
          assertThat(results.hidden()).isEmpty();
          assertThat(results.cloudId()).isEqualTo(cloud.id());
          assertThat(results.contributors()).isEqualTo(5);
          assertThat(results.entries()).isEqualTo(6);
          assertThat(results.version()).isEqualTo(6);
          return null;
        })
        .compose(x -> engine.cloudResults(cloud, 1))
        .map(results -> assertThat(results.words()).containsExactly(new CloudWord("strasse", "Straße", 3)))));
  }

  /** Code-point order is the bytewise order of UTF-8 (Redis's), not Java's UTF-16 order: "！" (U+FF01) before "👏". */
  @Test
  void equalCountsAreOrderedByKeyInCodePointOrder(VertxTestContext test) {
    List<String> keys = List.of("👏", "！", "éclair", "ärger", "zebra", "apfel");
    run(test, () -> newStage().compose(stage -> newCloud(stage, 10, Phase.OPEN)).compose(cloud -> {
      Future<?> chain = engine.submitWord(word(cloud, "bob", "0", "mehr", "mehr"));
      for (int i = 0; i < keys.size(); i++) {
        String key = keys.get(i);
        String actionId = String.valueOf(i);
        chain = chain.compose(x -> engine.submitWord(word(cloud, "alice", actionId, key, key)));
      }
      return chain
          .compose(x -> engine.submitWord(word(cloud, "carol", "0", "mehr", "Mehr")))
          .compose(x -> engine.submitWord(word(cloud, "dave", "0", "mehr", "MEHR")))
          .compose(x -> engine.cloudResults(cloud, WordCloud.TOP))
          .map(results -> assertThat(results.words()).as("equal spelling tallies: the first in code-point order shows")
              .containsExactly(new CloudWord("mehr", "MEHR", 3), new CloudWord("apfel", "apfel", 1),
                  new CloudWord("zebra", "zebra", 1), new CloudWord("ärger", "ärger", 1),
                  new CloudWord("éclair", "éclair", 1), new CloudWord("！", "！", 1), new CloudWord("👏", "👏", 1)));
    }));
  }

  @Test
  void cloudsAreListedInCreationOrderAndStartEmpty(VertxTestContext test) {
    run(test, () -> newStage().compose(stage -> newCloud(stage, 3, Phase.DRAFT)
        .compose(first -> newCloud(stage, 5, Phase.OPEN)
            .compose(second -> engine.saveCloud(first.open(now()))
                .compose(reopened -> engine.clouds(stage.id())
                    .map(clouds -> assertThat(clouds).as("a replaced cloud keeps its place").containsExactly(reopened, second))
                    .compose(x -> engine.cloud(stage.id(), first.id()))
                    .map(c -> assertThat(c).contains(reopened))
                    .compose(x -> engine.cloud(stage.id(), Ids.newId("wc")))
                    .map(c -> assertThat(c).isEmpty())
                    .compose(x -> engine.clouds(Ids.newId("st")))
                    .map(clouds -> assertThat(clouds).hasSize(0))
                    .compose(x -> engine.cloudResults(second, WordCloud.TOP))
                    .map(results -> assertThat(results)
                        .isEqualTo(new CloudResults(second.id(), 0, 0, 0, List.of(), List.of()))))))));
  }

  @Test
  void aParticipantCannotSubmitTheSameWordTwice(VertxTestContext test) {
    run(test, () -> newStage().compose(stage -> newCloud(stage, 3, Phase.OPEN)).compose(cloud ->
        engine.submitWord(word(cloud, "alice", "1", "rad", "Rad"))
            .compose(x -> refused(engine.submitWord(word(cloud, "alice", "2", "rad", "RAD"))))
            .map(t -> assertRefusal(t, ErrorCode.ALREADY_SUBMITTED))
            .compose(x -> engine.submitWord(word(cloud, "alice", "2", "bus", "Bus")))
            .map(r -> assertThat(r).as("a refused action id is not remembered").isEqualTo(new VoteReceipt(false, 2)))
            .compose(x -> engine.cloudResults(cloud, WordCloud.TOP))
            .map(results -> {
              assertThat(results.words()).containsExactly(new CloudWord("bus", "Bus", 1), new CloudWord("rad", "Rad", 1));
              assertThat(results.entries()).isEqualTo(2);
              assertThat(results.contributors()).isEqualTo(1);
              return null;
            })));
  }

  @Test
  void entriesPerParticipantAreCapped(VertxTestContext test) {
    run(test, () -> newStage().compose(stage -> newCloud(stage, 2, Phase.OPEN)).compose(cloud -> sequence(
            engine.submitWord(word(cloud, "alice", "1", "a", "a")),
            () -> engine.submitWord(word(cloud, "alice", "2", "b", "b")))
        .compose(x -> refused(engine.submitWord(word(cloud, "alice", "3", "c", "c"))))
        .map(t -> assertRefusal(t, ErrorCode.TOO_MANY_ENTRIES))
        .compose(x -> refused(engine.submitWord(word(cloud, "alice", "4", "a", "a"))))
        .map(t -> assertRefusal(t, ErrorCode.ALREADY_SUBMITTED))
        .compose(x -> engine.submitWord(word(cloud, "bob", "1", "c", "c")))
        .compose(x -> engine.cloudResults(cloud, WordCloud.TOP))
        .map(results -> {
          assertThat(results.words()).extracting(CloudWord::key).containsExactlyInAnyOrder("a", "b", "c");
          assertThat(results.entries()).isEqualTo(3);
          assertThat(results.contributors()).isEqualTo(2);
          assertThat(results.version()).isEqualTo(3);
          return null;
        })));
  }

  @Test
  void hiddenWordsLeaveTheTopListButKeepTheirCount(VertxTestContext test) {
    run(test, () -> newStage().compose(stage -> newCloud(stage, 3, Phase.OPEN)).compose(cloud -> sequence(
            engine.submitWord(word(cloud, "alice", "1", "mist", "Mist")),
            () -> engine.submitWord(word(cloud, "bob", "1", "mist", "mist")),
            () -> engine.submitWord(word(cloud, "carol", "1", "mist", "Mist")),
            () -> engine.submitWord(word(cloud, "alice", "2", "gut", "gut")),
            () -> engine.submitWord(word(cloud, "bob", "2", "gut", "gut")),
            () -> engine.submitWord(word(cloud, "carol", "2", "toll", "toll")))
        .compose(x -> engine.hideWord(stage(cloud), cloud.id(), "mist", true))
        .compose(x -> engine.cloudResults(cloud, 1))
        .map(results -> {
          assertThat(results.words()).as("the best visible word fills the place of the hidden one")
              .containsExactly(new CloudWord("gut", "gut", 2));
          assertThat(results.hidden()).containsExactly(new CloudWord("mist", "Mist", 3));
          assertThat(results.publicView().hidden()).isEmpty();
          assertThat(results.contributors()).isEqualTo(3);
          assertThat(results.entries()).isEqualTo(6);
          assertThat(results.version()).isEqualTo(7);
          return null;
        })
        .compose(x -> engine.hideWord(stage(cloud), cloud.id(), "toll", true))
        .compose(x -> engine.cloudResults(cloud, WordCloud.TOP))
        .map(results -> {
          assertThat(results.words()).containsExactly(new CloudWord("gut", "gut", 2));
          assertThat(results.hidden()).containsExactly(new CloudWord("mist", "Mist", 3), new CloudWord("toll", "toll", 1));
          return null;
        })
        .compose(x -> engine.submitWord(word(cloud, "dave", "1", "mist", "MIST")))
        .compose(x -> engine.hideWord(stage(cloud), cloud.id(), "mist", false))
        .compose(x -> engine.cloudResults(cloud, WordCloud.TOP))
        .map(results -> {
          assertThat(results.words()).containsExactly(new CloudWord("mist", "Mist", 4), new CloudWord("gut", "gut", 2));
          assertThat(results.hidden()).containsExactly(new CloudWord("toll", "toll", 1));
          assertThat(results.version()).isEqualTo(10);
          return null;
        })
        .compose(x -> refused(engine.hideWord(stage(cloud), cloud.id(), "nie", true)))
        .map(t -> assertRefusal(t, ErrorCode.UNKNOWN_WORD))
        .compose(x -> refused(engine.hideWord(stage(cloud), Ids.newId("wc"), "mist", true)))
        .map(t -> assertRefusal(t, ErrorCode.UNKNOWN_CLOUD))
        .compose(x -> engine.cloudResults(cloud, WordCloud.TOP))
        .map(results -> assertThat(results.version()).as("a refusal changes nothing").isEqualTo(10))));
  }

  @Test
  void mergedWordsCountEachParticipantOnce(VertxTestContext test) {
    run(test, () -> newStage().compose(stage -> newCloud(stage, 2, Phase.OPEN)).compose(cloud -> sequence(
            engine.submitWord(word(cloud, "alice", "1", "fahrrad", "Fahrrad")),
            () -> engine.submitWord(word(cloud, "alice", "2", "rad", "Rad")),
            () -> engine.submitWord(word(cloud, "bob", "1", "rad", "rad")),
            () -> engine.submitWord(word(cloud, "bob", "2", "bus", "Bus")),
            () -> engine.submitWord(word(cloud, "carol", "1", "rad", "Rad")),
            () -> engine.submitWord(word(cloud, "dave", "1", "fahrrad", "fahrrad")))
        .compose(x -> engine.hideWord(stage(cloud), cloud.id(), "rad", true))
        .compose(x -> engine.mergeWords(stage(cloud), cloud.id(), "rad", "fahrrad"))
        .compose(x -> engine.cloudResults(cloud, WordCloud.TOP))
        .map(results -> {
          assertThat(results.words()).as("alice gave both and counts once; the target keeps its spelling")
              .containsExactly(new CloudWord("fahrrad", "Fahrrad", 4), new CloudWord("bus", "Bus", 1));
          assertThat(results.hidden()).as("the merged-away word is gone, hidden or not").isEmpty();
          assertThat(results.contributors()).isEqualTo(4);
          assertThat(results.entries()).isEqualTo(6);
          assertThat(results.version()).isEqualTo(8);
          return null;
        })
        .compose(x -> refused(engine.submitWord(word(cloud, "bob", "3", "fahrrad", "Fahrrad"))))
        .map(t -> assertRefusal(t, ErrorCode.ALREADY_SUBMITTED))
        .compose(x -> engine.submitWord(word(cloud, "alice", "3", "bus", "bus")))
        .map(r -> assertThat(r).as("alice's two entries became one, so she has room again").isEqualTo(new VoteReceipt(false, 9)))
        .compose(x -> refused(engine.mergeWords(stage(cloud), cloud.id(), "bus", "bus")))
        .map(t -> assertRefusal(t, ErrorCode.INVALID_FIELD))
        .compose(x -> refused(engine.mergeWords(stage(cloud), cloud.id(), "rad", "bus")))
        .map(t -> assertRefusal(t, ErrorCode.UNKNOWN_WORD))
        .compose(x -> refused(engine.mergeWords(stage(cloud), cloud.id(), "bus", "zug")))
        .map(t -> assertRefusal(t, ErrorCode.UNKNOWN_WORD))
        .compose(x -> refused(engine.mergeWords(stage(cloud), Ids.newId("wc"), "bus", "fahrrad")))
        .map(t -> assertRefusal(t, ErrorCode.UNKNOWN_CLOUD))
        .compose(x -> engine.cloudResults(cloud, WordCloud.TOP))
        .map(results -> {
          assertThat(results.words()).containsExactly(new CloudWord("fahrrad", "Fahrrad", 4), new CloudWord("bus", "Bus", 2));
          assertThat(results.version()).as("refusals change nothing").isEqualTo(9);
          return null;
        })));
  }

  @Test
  void laterSubmissionsOfAMergedWordCountForItsTarget(VertxTestContext test) {
    run(test, () -> newStage().compose(stage -> newCloud(stage, 3, Phase.OPEN)).compose(cloud -> sequence(
            engine.submitWord(word(cloud, "alice", "1", "bike", "Bike")),
            () -> engine.submitWord(word(cloud, "bob", "1", "rad", "Rad")),
            () -> engine.submitWord(word(cloud, "carol", "1", "fahrrad", "Fahrrad")),
            () -> engine.mergeWords(stage(cloud), cloud.id(), "bike", "rad"),
            () -> engine.mergeWords(stage(cloud), cloud.id(), "rad", "fahrrad"),
            () -> engine.submitWord(word(cloud, "dave", "1", "bike", "BIKE")),
            () -> engine.submitWord(word(cloud, "erin", "1", "bike", "BIKE")),
            () -> engine.submitWord(word(cloud, "frank", "1", "rad", "RAD")))
        .compose(x -> refused(engine.submitWord(word(cloud, "alice", "2", "fahrrad", "fahrrad"))))
        .map(t -> assertRefusal(t, ErrorCode.ALREADY_SUBMITTED))
        .compose(x -> engine.cloudResults(cloud, WordCloud.TOP))
        .map(results -> {
          assertThat(results.words()).as("merges chain; merged-away spellings never take over the display")
              .containsExactly(new CloudWord("fahrrad", "Fahrrad", 6));
          assertThat(results.contributors()).isEqualTo(6);
          assertThat(results.entries()).isEqualTo(6);
          return null;
        })));
  }

  @Test
  void retriedWordActionIsAppliedOnce(VertxTestContext test) {
    run(test, () -> newStage().compose(stage -> newCloud(stage, 3, Phase.OPEN)).compose(cloud -> {
      Future<VoteReceipt> first = engine.submitWord(word(cloud, "alice", "1", "rad", "Rad"));
      Future<VoteReceipt> racing = engine.submitWord(word(cloud, "alice", "1", "rad", "Rad"));
      return Future.all(first, racing)
          .map(x -> assertThat(List.of(first.result(), racing.result()))
              .containsExactlyInAnyOrder(new VoteReceipt(false, 1), new VoteReceipt(true, 1)))
          .compose(x -> engine.submitWord(word(cloud, "alice", "1", "bus", "Bus")))
          .map(r -> assertThat(r).as("a retry is recognised by its id, whatever it carries")
              .isEqualTo(new VoteReceipt(true, 1)))
          .compose(x -> engine.submitWord(word(cloud, "bob", "1", "bus", "Bus")))
          .map(r -> assertThat(r).as("action ids are per participant").isEqualTo(new VoteReceipt(false, 2)))
          .compose(x -> engine.cloudResults(cloud, WordCloud.TOP))
          .map(results -> {
            assertThat(results.words()).containsExactly(new CloudWord("bus", "Bus", 1), new CloudWord("rad", "Rad", 1));
            assertThat(results.entries()).isEqualTo(2);
            assertThat(results.version()).isEqualTo(2);
            return null;
          });
    }));
  }

  @Test
  void anActionIdIsAppliedOnceWhateverItsKind(VertxTestContext test) {
    run(test, () -> newStage().compose(stage -> newCloud(stage, 3, Phase.OPEN).compose(cloud -> {
      Post post = question(stage, "bob", "Wann kommt das Protokoll?");
      return engine.submitWord(word(cloud, "alice", "same", "rad", "Rad"))
          .compose(x -> engine.react(reaction(stage, "alice", "same", "👏", 0)))
          .map(r -> assertThat(r.duplicate()).isTrue())
          .compose(x -> engine.submitPost(new PostAction("same", question(stage, "alice", "Noch eine Frage?"))))
          .map(r -> assertThat(r).as("that action created no post").isEqualTo(new PostReceipt(true, null)))
          .compose(x -> engine.submitPost(new PostAction("post", post)))
          .compose(x -> engine.upvote(new UpvoteAction(stage.id(), post.id(), "alice", "same", true)))
          .map(r -> assertThat(r.duplicate()).isTrue())
          .compose(x -> engine.submitWord(word(cloud, "bob", "post", "bus", "Bus")))
          .map(r -> assertThat(r.duplicate()).isTrue())
          .compose(x -> engine.reactionTotals(stage.id()))
          .map(t -> assertThat(t).isEqualTo(new ReactionTotals(0, Map.of())))
          .compose(x -> engine.posts(stage.id()))
          .map(posts -> assertThat(posts).extracting(PostView::upvotes).containsExactly(0L))
          .compose(x -> engine.cloudResults(cloud, WordCloud.TOP))
          .map(results -> assertThat(results.entries()).isEqualTo(1));
    })));
  }

  @Test
  void wordInClosedCloudIsRefused(VertxTestContext test) {
    run(test, () -> newStage().compose(stage -> newCloud(stage, 3, Phase.DRAFT)).compose(draft ->
        refused(engine.submitWord(word(draft, "alice", "1", "rad", "Rad")))
            .map(t -> assertRefusal(t, ErrorCode.CLOUD_NOT_OPEN))
            .compose(x -> engine.saveCloud(draft.open(now())))
            .compose(open -> engine.submitWord(word(open, "alice", "1", "rad", "Rad")))
            .map(r -> assertThat(r).as("a refused action id is not remembered").isEqualTo(new VoteReceipt(false, 1)))
            .compose(x -> engine.saveCloud(draft.open(now()).close(now())))
            .compose(closed -> refused(engine.submitWord(word(closed, "bob", "1", "rad", "Rad"))))
            .map(t -> assertThat(org.plenum.protocol.RefusalTexts.message((PlenumException) assertRefusal(t, ErrorCode.CLOUD_NOT_OPEN)))
                .as("the text the edge words for it").contains("closed"))
            .compose(x -> {
              WordCloud ghost = cloudOn(stage(draft), 3, Phase.OPEN); // never saved
              return refused(engine.submitWord(word(ghost, "bob", "2", "rad", "Rad")));
            })
            .map(t -> assertRefusal(t, ErrorCode.UNKNOWN_CLOUD))
            .compose(x -> engine.cloudResults(draft, WordCloud.TOP))
            .map(results -> {
              assertThat(results.words()).containsExactly(new CloudWord("rad", "Rad", 1));
              assertThat(results.version()).isEqualTo(1);
              return null;
            })));
  }

  /**
   * 1,000 participants submit three entries each, all at once (a tenth of them also retry their
   * first entry at the same moment). Key j of 1..75 gets exactly j contributors and key 76 gets
   * 150, so every count is distinct and the expected top list has exactly one right order.
   */
  @Test
  void thousandContributorsWithThreeEntriesEachGiveExactCounts(VertxTestContext test) {
    int participants = 1000;
    List<String> slots = new ArrayList<>(3 * participants);
    List<String> spellings = new ArrayList<>(3 * participants);
    List<CloudWord> expected = new ArrayList<>();
    for (int j = 76; j >= 1; j--) {
      int count = j == 76 ? 150 : j;
      for (int n = 0; n < count; n++) {
        slots.add("wort " + j);
        spellings.add((n % 3 == 2 ? "WORT " : "Wort ") + j);
      }
      expected.add(new CloudWord("wort " + j, "Wort " + j, count));
    }
    assertThat(slots).hasSize(3 * participants);
    run(test, () -> newStage().compose(stage -> newCloud(stage, 3, Phase.OPEN)).compose(cloud -> {
      List<Future<VoteReceipt>> all = new ArrayList<>();
      for (int i = 0; i < participants; i++) {
        String participant = "p-" + i;
        for (int entry = 0; entry < 3; entry++) {
          // Slots i, i+1000 and i+2000 always name three different keys: no key fills 1,000 slots.
          int slot = i + entry * participants;
          WordAction action = word(cloud, participant, "e" + entry, slots.get(slot), spellings.get(slot));
          all.add(engine.submitWord(action));
          if (entry == 0 && i % 10 == 0) {
            all.add(engine.submitWord(action));
          }
        }
      }
      return Future.all(all)
          .map(x -> {
            assertThat(all.stream().filter(f -> !f.result().duplicate()).count()).isEqualTo(3L * participants);
            assertThat(all.stream().mapToLong(f -> f.result().version()).max()).hasValue(3L * participants);
            return null;
          })
          .compose(x -> engine.cloudResults(cloud, WordCloud.TOP))
          .map(results -> {
            assertThat(results.words()).containsExactlyElementsOf(expected);
            assertThat(results.contributors()).isEqualTo(participants);
            assertThat(results.entries()).isEqualTo(3L * participants);
            assertThat(results.version()).isEqualTo(3L * participants);
            return null;
          })
          .compose(x -> engine.cloudResults(cloud, 10))
          .map(results -> assertThat(results.words()).containsExactlyElementsOf(expected.subList(0, 10)));
    }));
  }

  // ---- questions, comments, feedback -----------------------------------------------------

  @Test
  void postsAreStoredOnceAndListedInOrder(VertxTestContext test) {
    run(test, () -> newStage().compose(stage -> {
      Post question = question(stage, "alice", "Wie wird das finanziert?");
      Post comment = post(stage, PostKind.COMMENT, "bob", "Toller Vortrag!");
      Post feedback = post(stage, PostKind.FEEDBACK, "alice", "Der Ton war leise.");
      return engine.submitPost(new PostAction("1", question))
          .map(r -> assertThat(r).isEqualTo(new PostReceipt(false, question.id())))
          .compose(x -> engine.submitPost(new PostAction("1", comment)))
          .map(r -> assertThat(r).isEqualTo(new PostReceipt(false, comment.id())))
          .compose(x -> engine.submitPost(new PostAction("2", feedback)))
          .compose(x -> engine.posts(stage.id()))
          .map(posts -> assertThat(posts).containsExactly(
              new PostView(question, 0, 1), new PostView(comment, 0, 1), new PostView(feedback, 0, 1)))
          .compose(x -> engine.post(stage.id(), comment.id()))
          .map(p -> assertThat(p).contains(new PostView(comment, 0, 1)))
          .compose(x -> engine.post(stage.id(), Ids.newId("qu")))
          .map(p -> assertThat(p).isEmpty())
          .compose(x -> engine.post(Ids.newId("st"), comment.id()))
          .map(p -> assertThat(p).isEmpty())
          .compose(x -> engine.posts(Ids.newId("st")))
          .map(posts -> assertThat(posts).hasSize(0));
    }));
  }

  @Test
  void retriedPostActionNamesTheFirstPost(VertxTestContext test) {
    run(test, () -> newStage().compose(stage -> {
      Post first = question(stage, "alice", "Gibt es die Folien?");
      Post retry = question(stage, "alice", "Gibt es die Folien?"); // a retry after a reconnect gets a new id
      return engine.submitPost(new PostAction("ask-1", first))
          .compose(x -> engine.submitPost(new PostAction("ask-1", retry)))
          .map(r -> assertThat(r).isEqualTo(new PostReceipt(true, first.id())))
          .compose(x -> engine.posts(stage.id()))
          .map(posts -> assertThat(posts).extracting(v -> v.post().id()).containsExactly(first.id()))
          .compose(x -> engine.post(stage.id(), retry.id()))
          .map(p -> assertThat(p).isEmpty());
    }));
  }

  @Test
  void concurrentUpdatesOfAPostConflictInsteadOfLosingOne(VertxTestContext test) {
    run(test, () -> newStage().compose(stage -> {
      Post asked = question(stage, "alice", "Wie geht es wieter?");
      Post edited = asked.edit("Wie geht es weiter?");
      Post answered = asked.markAnswered(true);
      return engine.submitPost(new PostAction("1", asked))
          .compose(x -> {
            Future<PostView> a = engine.updatePost(asked, edited);
            Future<PostView> b = engine.updatePost(asked, answered);
            return Future.join(a, b).transform(ar -> {
              assertThat(List.of(a.succeeded(), b.succeeded())).as("exactly one of two racing moderators wins")
                  .containsExactlyInAnyOrder(true, false);
              Future<PostView> loser = a.failed() ? a : b;
              assertThat(loser.cause()).isInstanceOf(ConcurrentUpdateException.class);
              Post winner = a.succeeded() ? edited : answered;
              assertThat((a.succeeded() ? a : b).result()).isEqualTo(new PostView(winner, 0, 2));
              return engine.post(stage.id(), asked.id()).map(p -> {
                assertThat(p).contains(new PostView(winner, 0, 2));
                return winner;
              });
            });
          })
          .compose(winner -> {
            // The loser reads again and applies its change on top: nothing is lost.
            Post both = winner == edited ? winner.markAnswered(true) : winner.edit("Wie geht es weiter?");
            return engine.updatePost(winner, both).map(v -> {
              assertThat(v.post().text()).isEqualTo("Wie geht es weiter?");
              assertThat(v.post().originalText()).isEqualTo("Wie geht es wieter?");
              assertThat(v.post().answered()).isTrue();
              assertThat(v.version()).isEqualTo(3);
              return v;
            });
          })
          .compose(x -> refused(engine.updatePost(asked, edited)))
          .map(t -> assertThat(t).as("a stale revision").isInstanceOf(ConcurrentUpdateException.class))
          .compose(x -> {
            Post ghost = question(stage, "alice", "Nie gestellt");
            return refused(engine.updatePost(ghost, ghost.approve()));
          })
          .map(t -> assertRefusal(t, ErrorCode.UNKNOWN_POST))
          .compose(x -> refused(engine.updatePost(asked, asked)))
          .map(t -> assertThat(t).as("next must be one revision on").isInstanceOf(IllegalArgumentException.class))
          .compose(x -> engine.post(stage.id(), asked.id()))
          .map(p -> assertThat(p.orElseThrow().version()).isEqualTo(3));
    }));
  }

  /**
   * The post rules of {@link org.plenum.stage.PostTally} through the store: moderation moves a post
   * from state to state, one revision and one version at a time, and the author's deletion leaves a
   * tombstone that is still listed, without text or name, and keeps its upvoters' count.
   */
  @Test
  void moderationAndTheAuthorsDeletionMoveAPostThroughItsStates(VertxTestContext test) {
    run(test, () -> newStage().compose(stage -> {
      StageSettings moderated = new StageSettings(true, true, false);
      Post pending = Post.create(Ids.newId("qu"), stage.id(), PostKind.QUESTION, "alice", "Alice", "Warum?", moderated, now());
      Post published = pending.approve();
      Post pinned = published.pin(true);
      Post answered = pinned.markAnswered(false).markAnswered(true);
      Post rejected = published.reject();
      return engine.submitPost(new PostAction("ask", pending))
          .compose(x -> engine.updatePost(pending, published))
          .compose(x -> engine.updatePost(published, pinned))
          .map(v -> assertThat(v).isEqualTo(new PostView(pinned, 0, 3)))
          .compose(x -> engine.upvote(upvote(stage, pending.id(), "bob", "up", true)))
          .map(r -> assertThat(r).isEqualTo(new VoteReceipt(false, 4)))
          .compose(x -> refused(engine.updatePost(published, rejected)))
          .map(t -> assertThat(t).as("rejecting from a stale revision").isInstanceOf(ConcurrentUpdateException.class))
          .compose(x -> {
            Post deleted = pinned.deleteByAuthor("alice");
            return engine.updatePost(pinned, deleted).map(v -> {
              assertThat(v.post().state()).isEqualTo(org.plenum.stage.PostState.DELETED);
              assertThat(v.post().text()).isEmpty();
              assertThat(v.post().displayName()).isNull();
              assertThat(v.version()).isEqualTo(5);
              return deleted;
            });
          })
          .compose(deleted -> engine.posts(stage.id()).map(posts -> {
            assertThat(posts).as("a tombstone stays listed").containsExactly(new PostView(deleted, 1, 5));
            assertThat(answered.answered()).isTrue();
            return null;
          }));
    }));
  }

  @Test
  void upvotesAreOnePerParticipantAndCanBeWithdrawn(VertxTestContext test) {
    run(test, () -> newStage().compose(stage -> {
      Post post = question(stage, "alice", "Was kostet das?");
      String id = post.id();
      List<VoteReceipt> receipts = new ArrayList<>();
      return engine.submitPost(new PostAction("ask", post))
          .compose(x -> sequence(receipts,
              engine.upvote(upvote(stage, id, "alice", "1", true)),
              () -> engine.upvote(upvote(stage, id, "alice", "2", true)),
              () -> engine.upvote(upvote(stage, id, "bob", "1", true)),
              () -> engine.upvote(upvote(stage, id, "alice", "3", false)),
              () -> engine.upvote(upvote(stage, id, "alice", "4", false)),
              () -> engine.upvote(upvote(stage, id, "bob", "1", false))))
          .map(x -> assertThat(receipts).as("the asker may upvote; twice is once; a retry is a retry").containsExactly(
              new VoteReceipt(false, 2), new VoteReceipt(false, 2), new VoteReceipt(false, 3),
              new VoteReceipt(false, 4), new VoteReceipt(false, 4), new VoteReceipt(true, 4)))
          .compose(x -> engine.post(stage.id(), id))
          .map(p -> assertThat(p).contains(new PostView(post, 1, 4)))
          .compose(x -> refused(engine.upvote(upvote(stage, Ids.newId("qu"), "bob", "2", true))))
          .map(t -> assertRefusal(t, ErrorCode.UNKNOWN_POST))
          .compose(x -> engine.upvote(upvote(stage, id, "bob", "2", false)))
          .map(r -> assertThat(r).as("a refused action id is not remembered").isEqualTo(new VoteReceipt(false, 5)))
          .compose(x -> engine.post(stage.id(), id))
          .map(p -> assertThat(p).contains(new PostView(post, 0, 5)));
    }));
  }

  @Test
  void upvotedByListsAParticipantsUpvotes(VertxTestContext test) {
    run(test, () -> newStage().compose(stage -> newStage().compose(otherStage -> {
      Post first = question(stage, "alice", "Erste Frage?");
      Post second = question(stage, "bob", "Zweite Frage?");
      Post elsewhere = question(otherStage, "bob", "Andere Bühne?");
      return sequence(
              engine.submitPost(new PostAction("1", first)),
              () -> engine.submitPost(new PostAction("1", second)),
              () -> engine.submitPost(new PostAction("2", elsewhere)),
              () -> engine.upvote(upvote(stage, first.id(), "carol", "1", true)),
              () -> engine.upvote(upvote(stage, second.id(), "carol", "2", true)),
              () -> engine.upvote(upvote(otherStage, elsewhere.id(), "carol", "3", true)),
              () -> engine.upvote(upvote(stage, first.id(), "carol", "4", false)),
              () -> engine.upvote(upvote(stage, first.id(), "dave", "1", true)))
          .compose(x -> engine.upvotedBy(stage.id(), "carol"))
          .map(ids -> assertThat(ids).containsExactly(second.id()))
          .compose(x -> engine.upvotedBy(otherStage.id(), "carol"))
          .map(ids -> assertThat(ids).containsExactly(elsewhere.id()))
          .compose(x -> engine.upvotedBy(stage.id(), "dave"))
          .map(ids -> assertThat(ids).containsExactly(first.id()))
          .compose(x -> engine.upvotedBy(stage.id(), "erin"))
          .map(ids -> assertThat(ids).hasSize(0));
    })));
  }

  // ---- reactions -------------------------------------------------------------------------

  @Test
  void reactionsAreCountedPerEmojiAndPerMinute(VertxTestContext test) {
    long minute = 1_760_000_040L; // a whole minute
    run(test, () -> newStage().compose(stage -> {
      List<VoteReceipt> receipts = new ArrayList<>();
      return engine.reactionTotals(stage.id())
          .map(t -> assertThat(t).isEqualTo(new ReactionTotals(0, Map.of())))
          .compose(x -> engine.reactionTimeline(stage.id()))
          .map(t -> assertThat(t).hasSize(0))
          .compose(x -> sequence(receipts,
              engine.react(reaction(stage, "alice", "1", "👏", minute + 120)),
              () -> engine.react(reaction(stage, "bob", "1", "👏", minute)),
              () -> engine.react(reaction(stage, "alice", "2", "❤️", minute)),
              () -> engine.react(reaction(stage, "carol", "1", "👏", minute)),
              () -> engine.react(reaction(stage, "carol", "2", "😂", minute + 120))))
          .map(x -> assertThat(receipts).extracting(VoteReceipt::version).containsExactly(1L, 2L, 3L, 4L, 5L))
          .compose(x -> engine.reactionTotals(stage.id()))
          .map(t -> assertThat(t).isEqualTo(new ReactionTotals(5, Map.of("👏", 3L, "❤️", 1L, "😂", 1L))))
          .compose(x -> engine.reactionTimeline(stage.id()))
          .map(t -> assertThat(t).as("in time order, the empty minute left out").containsExactly(
              new ReactionMinute(Instant.ofEpochSecond(minute), Map.of("👏", 2L, "❤️", 1L)),
              new ReactionMinute(Instant.ofEpochSecond(minute + 120), Map.of("👏", 1L, "😂", 1L))))
          .compose(x -> engine.reactionTotals(Ids.newId("st")))
          .map(t -> assertThat(t).isEqualTo(new ReactionTotals(0, Map.of())));
    }));
  }

  @Test
  void retriedReactionIsCountedOnce(VertxTestContext test) {
    run(test, () -> newStage().compose(stage -> {
      ReactionAction clap = reaction(stage, "alice", "1", "👏", 1_760_000_040L);
      Future<VoteReceipt> first = engine.react(clap);
      Future<VoteReceipt> racing = engine.react(clap);
      return Future.all(first, racing)
          .map(x -> assertThat(List.of(first.result(), racing.result()))
              .containsExactlyInAnyOrder(new VoteReceipt(false, 1), new VoteReceipt(true, 1)))
          .compose(x -> engine.react(clap))
          .map(r -> assertThat(r).isEqualTo(new VoteReceipt(true, 1)))
          .compose(x -> engine.react(reaction(stage, "bob", "1", "👏", 1_760_000_040L)))
          .map(r -> assertThat(r).isEqualTo(new VoteReceipt(false, 2)))
          .compose(x -> engine.reactionTotals(stage.id()))
          .map(t -> assertThat(t).isEqualTo(new ReactionTotals(2, Map.of("👏", 2L))))
          .compose(x -> engine.reactionTimeline(stage.id()))
          .map(t -> assertThat(t).containsExactly(
              new ReactionMinute(Instant.ofEpochSecond(1_760_000_040L), Map.of("👏", 2L))));
    }));
  }

  // ---- statistics (issue 8) --------------------------------------------------------------

  /** Every kind of accepted interaction counted once in its minute; retries and refusals count nothing. */
  private Future<Stage> congressOfOneStage() {
    return newStage().compose(stage -> newPoll(stage, single(2, true))
        .compose(poll -> newPoll(stage, single(2, false)).compose(closed -> newCloud(stage, 3, Phase.OPEN)
            .compose(cloud -> {
              Post q = question(stage, "alice", "Wie teuer wird das?");
              long minute = Instant.now().getEpochSecond() / 60 * 60;
              return sequence(engine.vote(choose(poll, "alice", "v1", "a")),
                  () -> engine.vote(choose(poll, "alice", "v1", "a")),       // retry: duplicate
                  () -> engine.vote(choose(poll, "bob", "v1", "b")),
                  () -> engine.vote(choose(poll, "alice", "v2", "b")),       // a changed vote counts
                  () -> refused(engine.vote(choose(closed, "carol", "v1", "a"))), // not open: nothing
                  () -> engine.submitWord(word(cloud, "alice", "w1", "kosten", "Kosten")),
                  () -> engine.submitWord(word(cloud, "alice", "w1", "kosten", "Kosten")), // retry
                  () -> refused(engine.submitWord(word(cloud, "alice", "w2", "kosten", "kosten"))), // already
                  () -> engine.submitWord(word(cloud, "dora", "w1", "zeit", "Zeit")),
                  () -> engine.submitPost(new PostAction("p1", q)),
                  () -> engine.submitPost(new PostAction("p1", q)),         // retry
                  () -> engine.submitPost(new PostAction("p2", post(stage, PostKind.COMMENT, "bob", "Gut!"))),
                  () -> engine.submitPost(new PostAction("p3", post(stage, PostKind.FEEDBACK, "erik", "Laut."))),
                  () -> engine.upvote(upvote(stage, q.id(), "bob", "u1", true)),
                  () -> engine.upvote(upvote(stage, q.id(), "bob", "u1", true)),   // retry
                  () -> engine.upvote(upvote(stage, q.id(), "bob", "u2", true)),   // unchanged: nothing
                  () -> engine.upvote(upvote(stage, q.id(), "bob", "u3", false)),  // withdrawn: logged, not counted
                  () -> engine.react(reaction(stage, "alice", "r1", "👏", minute)),
                  () -> engine.react(reaction(stage, "alice", "r1", "👏", minute)), // retry
                  () -> engine.react(reaction(stage, "frank", "r1", "❤️", minute)),
                  () -> engine.react(reaction(stage, "frank", "r2", "👏", minute)))
                  .map(stage);
            }))));
  }

  private static Map<org.plenum.stage.ActivityKind, Long> totals(List<org.plenum.stage.ActivityMinute> minutes) {
    Map<org.plenum.stage.ActivityKind, Long> out = new java.util.EnumMap<>(org.plenum.stage.ActivityKind.class);
    for (org.plenum.stage.ActivityKind k : org.plenum.stage.ActivityKind.values()) {
      out.put(k, minutes.stream().mapToLong(m -> m.count(k)).sum());
    }
    return out;
  }

  private static void assertCongressCounted(List<org.plenum.stage.ActivityMinute> minutes) {
    assertThat(minutes).isNotEmpty().hasSizeLessThanOrEqualTo(2); // the test may straddle a minute
    assertThat(minutes).allSatisfy(m -> assertThat(m.minute().getEpochSecond() % 60).isZero());
    Map<org.plenum.stage.ActivityKind, Long> counted = totals(minutes);
    counted.values().removeIf(n -> n == 0); // kinds the congress does not use (answers, ...)
    assertThat(counted).containsExactlyInAnyOrderEntriesOf(Map.of(
        org.plenum.stage.ActivityKind.VOTES, 3L, org.plenum.stage.ActivityKind.WORDS, 2L,
        org.plenum.stage.ActivityKind.QUESTIONS, 1L, org.plenum.stage.ActivityKind.COMMENTS, 1L,
        org.plenum.stage.ActivityKind.FEEDBACK, 1L, org.plenum.stage.ActivityKind.UPVOTES, 1L,
        org.plenum.stage.ActivityKind.REACTIONS, 3L));
  }

  @Test
  void activityIsCountedOncePerAcceptedActionAndRetriesCountNothing(VertxTestContext test) {
    run(test, () -> congressOfOneStage().compose(stage -> engine.activity(stage.id())
        .map(minutes -> {
          assertCongressCounted(minutes);
          return null;
        })
        .compose(x -> engine.distinctParticipants(stage.id()))
        .map(n -> assertThat(n).as("alice, bob, dora, erik, frank; carol was refused").isEqualTo(5L))
        .compose(x -> engine.interactions(stage.id(), 0, 100))
        .map(log -> {
          assertThat(log).extracting(org.plenum.stage.Interaction::kind).map(org.plenum.stage.ActivityKind::wire)
              .containsExactly("votes", "votes", "votes", "words", "words", "questions", "comments", "feedback",
                  "upvotes", "upvotes", "reactions", "reactions", "reactions");
          assertThat(log.get(0).participantId()).isEqualTo("alice");
          assertThat(log.get(0).detail()).isEqualTo("a");
          assertThat(log.get(3).detail()).isEqualTo("Kosten");
          assertThat(log.get(8).detail()).isEqualTo("up");
          assertThat(log.get(9).detail()).isEqualTo("down");
          assertThat(log.get(10).targetId()).isNull();
          assertThat(log.get(10).detail()).isEqualTo("👏");
          return null;
        })
        .compose(x -> engine.interactions(stage.id(), 11, 100))
        .map(page -> assertThat(page).extracting(org.plenum.stage.Interaction::participantId)
            .containsExactly("frank", "frank"))));
  }

  @Test
  void statisticsSurviveARestart(VertxTestContext test) {
    run(test, () -> {
      Engine first = newDurableEngine(vertx);
      Engine before = engine;
      return started(first).compose(e -> {
        engine = first;
        return congressOfOneStage();
      }).compose(stage -> first.recordSample(stage.id(), new org.plenum.stage.PresenceSample(
              Instant.ofEpochSecond(1_800_000_000L), new Presence(7, 1, 1, 4, 2)))
          .compose(x -> stopped(first))
          .compose(x -> started(newDurableEngine(vertx)))
          .compose(second -> second.activity(stage.id()).map(minutes -> {
            assertCongressCounted(minutes);
            return null;
          }).compose(x -> second.distinctParticipants(stage.id()))
              .map(n -> assertThat(n).isEqualTo(5L))
              .compose(x -> second.interactions(stage.id(), 0, 100))
              .map(log -> assertThat(log).hasSize(13))
              .compose(x -> second.samples(stage.id()))
              .map(samples -> assertThat(samples).containsExactly(new org.plenum.stage.PresenceSample(
                  Instant.ofEpochSecond(1_800_000_000L), new Presence(7, 1, 1, 4, 2))))))
          .onComplete(x -> engine = before);
    });
  }

  @Test
  void theFirstSampleOfAnIntervalWinsAndSamplesComeInTimeOrder(VertxTestContext test) {
    Instant t0 = Instant.ofEpochSecond(1_800_000_000L);
    Instant t1 = t0.plusSeconds(10);
    Instant t2 = t0.plusSeconds(20);
    run(test, () -> newStage().compose(stage -> sequence(
            engine.recordSample(stage.id(), new org.plenum.stage.PresenceSample(t1, new Presence(5, 1, 0, 3, 1))),
            () -> engine.recordSample(stage.id(), new org.plenum.stage.PresenceSample(t0, new Presence(2, 1, 0, 1, 1))),
            // a second node offers its reading of the same interval: the first one stays
            () -> engine.recordSample(stage.id(), new org.plenum.stage.PresenceSample(t1, new Presence(6, 1, 0, 4, 1))),
            () -> engine.recordSample(stage.id(), new org.plenum.stage.PresenceSample(t2, new Presence(0, 0, 1, 0, 0))))
        .compose(x -> engine.samples(stage.id()))
        .map(samples -> {
          assertThat(samples).containsExactly(
              new org.plenum.stage.PresenceSample(t0, new Presence(2, 1, 0, 1, 1)),
              new org.plenum.stage.PresenceSample(t1, new Presence(5, 1, 0, 3, 1)),
              new org.plenum.stage.PresenceSample(t2, new Presence(0, 0, 1, 0, 0)));
          assertThat(samples.get(1).presence().viewersOther()).isEqualTo(1);
          return null;
        })));
  }

  @Test
  void distinctParticipantsOfAnEventCountEachPersonOnce(VertxTestContext test) {
    run(test, () -> newStage().compose(s1 -> newStage().compose(s2 -> newStage().compose(empty -> {
      long minute = Instant.now().getEpochSecond() / 60 * 60;
      return sequence(engine.react(reaction(s1, "alice", "r1", "👏", minute)),
          () -> engine.react(reaction(s1, "bob", "r1", "👏", minute)),
          () -> engine.react(reaction(s1, "bob", "r2", "👏", minute)),
          () -> engine.react(reaction(s2, "bob", "r1", "👏", minute)),
          () -> engine.react(reaction(s2, "carol", "r1", "👏", minute)))
          .compose(x -> engine.distinctParticipants(s1.id()))
          .map(n -> assertThat(n).isEqualTo(2L))
          .compose(x -> engine.distinctParticipants(List.of(s1.id(), s2.id(), empty.id())))
          .map(n -> assertThat(n).as("alice, bob, carol").isEqualTo(3L))
          .compose(x -> engine.distinctParticipants(List.of(empty.id())))
          .map(n -> assertThat(n).isZero())
          .compose(x -> engine.distinctParticipants(List.of()))
          .map(n -> assertThat(n).isZero());
    }))));
  }

  @Test
  void presenceCarriesTheSplitByJoinSource(VertxTestContext test) {
    run(test, () -> newStage().compose(stage -> engine.reportPresence("node-x", stage.id(), new Presence(5, 1, 0, 3, 1), 60_000)
        .compose(x -> engine.reportPresence("node-y", stage.id(), new Presence(4, 0, 1, 1, 2), 60_000))
        .compose(x -> engine.presence(stage.id()))
        .map(p -> assertThat(p).isEqualTo(new Presence(9, 1, 1, 4, 3)))));
  }

  // ---- catalogue updates -----------------------------------------------------------------

  @Test
  void stageSettingsAndBlockedWordsCanBeUpdated(VertxTestContext test) {
    run(test, () -> newStage().compose(stage -> {
      StageSettings strict = new StageSettings(false, true, true);
      // Only the name and settings change: id, event, code and creation time stay as stored.
      Stage asked = new Stage(stage.id(), Ids.newId("ev"), "Hauptbühne", "ZZZZZZ", Instant.EPOCH, strict);
      Stage expected = new Stage(stage.id(), stage.eventId(), "Hauptbühne", stage.code(), stage.createdAt(), strict);
      return engine.updateStage(asked)
          .map(s -> assertThat(s).isEqualTo(expected))
          .compose(x -> engine.stage(stage.id()))
          .map(s -> assertThat(s).contains(expected))
          .compose(x -> engine.stageByCode(stage.code()))
          .map(s -> assertThat(s).contains(expected))
          .compose(x -> engine.stageByCode("ZZZZZZ"))
          .map(s -> assertThat(s).isEmpty())
          .compose(x -> engine.stages(stage.eventId()))
          .map(s -> assertThat(s).containsExactly(expected))
          .compose(x -> engine.event(stage.eventId()))
          .compose(event -> {
            Event blocked = event.orElseThrow().withBlockedWords(List.of("mist", "käse"));
            return engine.updateEvent(blocked)
                .map(e -> assertThat(e).isEqualTo(blocked))
                .compose(x -> engine.event(blocked.id()))
                .map(e -> assertThat(e).contains(blocked))
                .compose(x -> engine.events())
                .map(events -> assertThat(events).contains(blocked).doesNotContain(event.orElseThrow()));
          })
          .compose(x -> refused(engine.updateStage(new Stage(Ids.newId("st"), stage.eventId(), "X", "QQQQQQ", now(), strict))))
          .map(t -> assertRefusal(t, ErrorCode.UNKNOWN_STAGE))
          .compose(x -> refused(engine.updateEvent(new Event(Ids.newId("ev"), "X", now(), List.of()))))
          .map(t -> assertRefusal(t, ErrorCode.UNKNOWN_EVENT));
    }));
  }

  // ---- feedback surveys (issue 12) -------------------------------------------------------

  protected static org.plenum.stage.Survey talkSurvey(Stage stage, Talk talk) {
    return org.plenum.stage.Survey.define(stage.id(), talk.id(), List.of(
        new org.plenum.stage.SurveyQuestion.Spec(org.plenum.stage.SurveyQuestion.Kind.RATING, "Wie war es?", null, null, 5, null, true),
        new org.plenum.stage.SurveyQuestion.Spec(org.plenum.stage.SurveyQuestion.Kind.MULTIPLE, "Was war gut?",
            List.of("Inhalt", "Folien", "Vortrag"), 2, null, null, false),
        new org.plenum.stage.SurveyQuestion.Spec(org.plenum.stage.SurveyQuestion.Kind.TEXT, "Was ändern?", null, null, null, 200, false)),
        now());
  }

  protected static SurveyAction response(org.plenum.stage.Survey survey, String participant, String actionId, int rating,
                                         List<String> good, String text) {
    Map<String, org.plenum.stage.Survey.Answer> answers = new java.util.HashMap<>();
    answers.put("q1", new org.plenum.stage.Survey.Answer(null, rating, null));
    if (good != null) {
      answers.put("q2", new org.plenum.stage.Survey.Answer(good, null, null));
    }
    if (text != null) {
      answers.put("q3", new org.plenum.stage.Survey.Answer(null, null, text));
    }
    return new SurveyAction(survey.stageId(), survey.talkId(), participant, actionId, survey.response(answers));
  }

  /**
   * A talk's survey: only an open one takes responses; a resubmission replaces the response; a
   * retried action id counts once; results per question (distribution, mean, texts in answer
   * order); a survey goes with its talk, and a reset empties it back to draft.
   */
  @Test
  void aTalksSurveyCountsOneResponsePerParticipant(VertxTestContext test) {
    run(test, () -> {
      Event event = new Event(Ids.newId("ev"), "Congress", now(), java.util.List.of());
      Stage stage = new Stage(Ids.newId("st"), event.id(), "Main", Ids.newJoinCode(), now(), org.plenum.stage.StageSettings.DEFAULT);
      Talk talk = talk(stage, "Eröffnung", "2026-11-22T09:00:00Z", 30);
      Talk other = talk(stage, "Keynote", "2026-11-22T10:00:00Z", 30);
      org.plenum.stage.Survey draft = talkSurvey(stage, talk);
      org.plenum.stage.Survey open = draft.open(now());
      Future<Talk> setUp = engine.createEvent(event).compose(x -> engine.createStage(stage))
          .compose(x -> engine.saveTalk(talk)).compose(x -> engine.saveTalk(other));
      Future<Throwable> noTalk = setUp.compose(x -> refused(engine.saveSurvey(talkSurvey(stage,
          talk(stage, "Gibt es nicht", "2026-11-22T11:00:00Z", 10)))));
      Future<org.plenum.stage.Survey> saved = noTalk.compose(x -> engine.saveSurvey(draft));
      Future<Throwable> notOpen = saved.compose(x -> refused(engine.respond(response(draft, "alice", "s1", 5, null, null))));
      Future<Throwable> unknown = notOpen.compose(x -> refused(engine.respond(response(talkSurvey(stage, other), "alice", "s2", 5, null, null))));
      Future<VoteReceipt> first = unknown.compose(x -> engine.saveSurvey(open))
          .compose(x -> engine.respond(response(open, "alice", "s3", 5, List.of("a"), "Mehr Pausen")));
      Future<VoteReceipt> retried = first.compose(x -> engine.respond(response(open, "alice", "s3", 5, List.of("a"), "Mehr Pausen")));
      Future<VoteReceipt> bob = retried.compose(x -> engine.respond(response(open, "bob", "s4", 3, List.of("b", "c"), "Gut")));
      Future<VoteReceipt> replaced = bob.compose(x -> engine.respond(response(open, "alice", "s5", 4, null, "Mehr Beispiele")));
      Future<org.plenum.stage.SurveyResults> results = replaced.compose(x -> engine.surveyResults(open));
      Future<List<org.plenum.stage.Survey>> listed = results.compose(x -> engine.surveys(stage.id()));
      return listed.compose(all -> {
        assertRefusal(noTalk.result(), ErrorCode.UNKNOWN_TALK);
        assertRefusal(notOpen.result(), ErrorCode.SURVEY_NOT_OPEN);
        assertRefusal(unknown.result(), ErrorCode.UNKNOWN_SURVEY);
        assertThat(first.result()).isEqualTo(new VoteReceipt(false, 1));
        assertThat(retried.result()).isEqualTo(new VoteReceipt(true, 1));
        assertThat(replaced.result()).isEqualTo(new VoteReceipt(false, 3));
        org.plenum.stage.SurveyResults r = results.result();
        assertThat(r.respondents()).isEqualTo(2);
        assertThat(r.version()).isEqualTo(3);
        assertThat(r.questions().get(0).distribution().counts()).containsEntry("3", 1L).containsEntry("4", 1L).containsEntry("5", 0L);
        assertThat(r.questions().get(0).distribution().mean()).isEqualTo(3.5);
        assertThat(r.questions().get(1).answered()).isEqualTo(1);
        assertThat(r.questions().get(1).distribution().counts()).containsEntry("a", 0L).containsEntry("b", 1L);
        assertThat(r.questions().get(2).texts()).containsExactly("Gut", "Mehr Beispiele");
        assertThat(all).containsExactly(open);
        return engine.resetStage(stage.id());
      }).compose(x -> engine.survey(stage.id(), talk.id())).compose(afterReset -> {
        assertThat(afterReset.orElseThrow().state()).isEqualTo(org.plenum.stage.Phase.DRAFT);
        return engine.surveyResults(open);
      }).compose(emptied -> {
        assertThat(emptied.respondents()).isZero();
        assertThat(emptied.version()).as("versions keep growing over a reset").isGreaterThan(3);
        return engine.deleteTalk(stage.id(), talk.id());
      }).compose(x -> engine.survey(stage.id(), talk.id())).map(gone -> {
        assertThat(gone).isEmpty();
        return null;
      });
    });
  }

  /** A survey and its responses survive a restart of the engine (journal or Redis). */
  @Test
  void aTalksSurveySurvivesARestart(VertxTestContext test) {
    run(test, () -> {
      Event event = new Event(Ids.newId("ev"), "Congress", now(), java.util.List.of());
      Stage stage = new Stage(Ids.newId("st"), event.id(), "Main", Ids.newJoinCode(), now(), org.plenum.stage.StageSettings.DEFAULT);
      Talk talk = talk(stage, "Eröffnung", "2026-11-22T09:00:00Z", 30);
      org.plenum.stage.Survey open = talkSurvey(stage, talk).open(now());
      Engine first = newDurableEngine(vertx);
      Future<VoteReceipt> answered = started(first).compose(e -> e.createEvent(event)).compose(x -> first.createStage(stage))
          .compose(x -> first.saveTalk(talk)).compose(x -> first.saveSurvey(open))
          .compose(x -> first.respond(response(open, "alice", "s1", 5, List.of("a", "b"), "Toll")));
      Future<Engine> second = answered.compose(x -> stopped(first)).compose(x -> started(newDurableEngine(vertx)));
      Future<VoteReceipt> retry = second.compose(e -> e.respond(response(open, "alice", "s1", 5, List.of("a", "b"), "Toll")));
      Future<org.plenum.stage.SurveyResults> results = retry.compose(x -> second.result().surveyResults(open));
      Future<Optional<org.plenum.stage.Survey>> stored = results.compose(x -> second.result().survey(stage.id(), talk.id()));
      return stored.compose(s -> {
        assertThat(s).contains(open);
        assertThat(retry.result().duplicate()).as("the action id is remembered across the restart").isTrue();
        assertThat(results.result().respondents()).isEqualTo(1);
        assertThat(results.result().questions().get(1).distribution().counts()).containsEntry("a", 1L).containsEntry("b", 1L);
        assertThat(results.result().questions().get(2).texts()).containsExactly("Toll");
        return stopped(second.result());
      });
    });
  }

  // ---- talks and moderator access --------------------------------------------------------

  protected static Talk talk(Stage stage, String title, String startsAt, int minutes) {
    Instant start = Instant.parse(startsAt);
    return new Talk(Ids.newId("tk"), stage.id(), title, null, start, start.plusSeconds(60L * minutes), now());
  }

  protected static ModeratorAccess moderator(String eventId, String label) {
    return new ModeratorAccess(Ids.newId("md"), eventId, label, ModeratorAccess.hash(ModeratorAccess.newToken()), now());
  }

  @Test
  void talksAreSavedReplacedListedInProgrammeOrderAndDeleted(VertxTestContext test) {
    run(test, () -> newStage().compose(stage -> {
      Talk late = talk(stage, "Zum Schluss", "2026-11-22T16:00:00Z", 30);
      Talk b = talk(stage, "B", "2026-11-22T09:00:00Z", 45);
      Talk a = talk(stage, "A", "2026-11-22T09:00:00Z", 90);
      Talk moved = new Talk(late.id(), stage.id(), "Eröffnung", "Dr. A. Beispiel", Instant.parse("2026-11-22T08:00:00Z"),
          Instant.parse("2026-11-22T08:30:00Z"), late.createdAt());
      return engine.talks(stage.id())
          .map(talks -> assertThat(talks).hasSize(0))
          .compose(x -> engine.saveTalk(late))
          .map(saved -> assertThat(saved).isEqualTo(late))
          .compose(x -> engine.saveTalk(b))
          .compose(x -> engine.saveTalk(a))
          .compose(x -> engine.talks(stage.id()))
          .map(talks -> assertThat(talks).as("by start, then title").containsExactly(a, b, late))
          .compose(x -> engine.saveTalk(moved))
          .compose(x -> engine.talks(stage.id()))
          .map(talks -> assertThat(talks).as("a replaced talk is listed once, by its new time").containsExactly(moved, a, b))
          .compose(x -> engine.deleteTalk(stage.id(), a.id()))
          .compose(x -> refused(engine.deleteTalk(stage.id(), a.id())))
          .map(t -> assertRefusal(t, ErrorCode.UNKNOWN_TALK))
          .compose(x -> refused(engine.deleteTalk(Ids.newId("st"), b.id())))
          .map(t -> assertRefusal(t, ErrorCode.UNKNOWN_TALK))
          .compose(x -> engine.talks(stage.id()))
          .map(talks -> assertThat(talks).containsExactly(moved, b))
          .compose(x -> engine.talks(Ids.newId("st")))
          .map(talks -> assertThat(talks).hasSize(0));
    }));
  }

  @Test
  void talkChangesAreAnnouncedForTheStage(VertxTestContext test) throws Exception {
    Stage stage = await(onEventLoop(this::newStage));
    Talk talk = talk(stage, "Keynote", "2026-11-22T09:00:00Z", 45);
    Checkpoint announced = test.checkpoint(2);
    MessageConsumer<Change> consumer = vertx.eventBus().consumer(Change.ADDRESS, message -> {
      Change change = message.body();
      if (change.stageId().equals(stage.id()) && change.kind() == Change.Kind.TALKS) {
        test.verify(() -> assertThat(change.id()).isNull());
        announced.flag();
      }
    });
    await(consumer.completion());
    // the save and the delete are announced; the refused delete is not (the checkpoint would be over-flagged)
    onEventLoop(() -> engine.saveTalk(talk)
        .compose(x -> engine.deleteTalk(stage.id(), talk.id()))
        .compose(x -> refused(engine.deleteTalk(stage.id(), talk.id()))))
        .onFailure(test::failNow);
  }

  @Test
  void moderatorAccessIsFoundByTokenHashUntilDeleted(VertxTestContext test) {
    run(test, () -> newStage().compose(stage -> {
      String token = ModeratorAccess.newToken();
      ModeratorAccess first = new ModeratorAccess(Ids.newId("md"), stage.eventId(), "Moderation Saal 1",
          ModeratorAccess.hash(token), now());
      ModeratorAccess second = moderator(stage.eventId(), "Saal 2");
      ModeratorAccess elsewhere = moderator(Ids.newId("ev"), "Anderswo");
      Context caller = Vertx.currentContext();
      return here(caller, engine.saveModerator(first))
          .map(saved -> assertThat(saved).isEqualTo(first))
          .compose(x -> engine.saveModerator(second))
          .compose(x -> engine.saveModerator(elsewhere))
          .compose(x -> here(caller, engine.moderators(stage.eventId())))
          .map(all -> assertThat(all).as("in creation order, this event's only").containsExactly(first, second))
          .compose(x -> here(caller, engine.moderatorByTokenHash(ModeratorAccess.hash(token))))
          .map(found -> assertThat(found).contains(first))
          .compose(x -> engine.moderatorByTokenHash(ModeratorAccess.hash(ModeratorAccess.newToken())))
          .map(found -> assertThat(found).isEmpty())
          .compose(x -> refused(engine.deleteModerator(elsewhere.eventId(), first.id())))
          .map(t -> assertRefusal(t, ErrorCode.UNKNOWN_MODERATOR))
          .compose(x -> engine.moderatorByTokenHash(first.tokenHash()))
          .map(found -> assertThat(found).as("a refused delete changes nothing").contains(first))
          .compose(x -> here(caller, engine.deleteModerator(stage.eventId(), first.id())))
          .compose(x -> engine.moderatorByTokenHash(first.tokenHash()))
          .map(found -> assertThat(found).as("the token stops working at once").isEmpty())
          .compose(x -> refused(engine.deleteModerator(stage.eventId(), first.id())))
          .map(t -> assertRefusal(t, ErrorCode.UNKNOWN_MODERATOR))
          .compose(x -> engine.moderators(stage.eventId()))
          .map(all -> assertThat(all).containsExactly(second))
          .compose(x -> engine.moderatorByTokenHash(second.tokenHash()))
          .map(found -> assertThat(found).contains(second));
    }));
  }

  @Test
  void talksAndModeratorAccessSurviveRestart(VertxTestContext test) {
    run(test, () -> {
      Instant now = now();
      Event event = new Event(Ids.newId("ev"), "Congress", now, List.of());
      Stage stage = new Stage(Ids.newId("st"), event.id(), "Main", Ids.newJoinCode(), now, StageSettings.DEFAULT);
      Talk kept = talk(stage, "Keynote", "2026-11-22T09:00:00Z", 45);
      Talk gone = talk(stage, "Abgesagt", "2026-11-22T10:00:00Z", 45);
      ModeratorAccess live = moderator(event.id(), "Saal 1");
      ModeratorAccess revoked = moderator(event.id(), "Saal 2");
      Engine first = newDurableEngine(vertx);
      return started(first)
          .compose(e -> e.createEvent(event))
          .compose(x -> first.createStage(stage))
          .compose(x -> first.saveTalk(kept))
          .compose(x -> first.saveTalk(gone))
          .compose(x -> first.deleteTalk(stage.id(), gone.id()))
          .compose(x -> first.saveModerator(live))
          .compose(x -> first.saveModerator(revoked))
          .compose(x -> first.deleteModerator(event.id(), revoked.id()))
          .compose(x -> stopped(first))
          .compose(x -> started(newDurableEngine(vertx)))
          .compose(second -> second.talks(stage.id())
              .map(talks -> assertThat(talks).containsExactly(kept))
              .compose(x -> second.moderators(event.id()))
              .map(all -> assertThat(all).containsExactly(live))
              .compose(x -> second.moderatorByTokenHash(live.tokenHash()))
              .map(found -> assertThat(found).contains(live))
              .compose(x -> second.moderatorByTokenHash(revoked.tokenHash()))
              .map(found -> assertThat(found).isEmpty()));
    });
  }

  // ---- issue 12: what the stage's screens show -------------------------------------------

  @Test
  void aStageShowsAutoUntilAModeratorPresentsSomethingAndAutoAgainWhenReset(VertxTestContext test) {
    run(test, () -> newStage().compose(stage -> newStage().compose(other -> {
      Presentation results = new Presentation(Presentation.Kind.RESULTS, "po-1", Instant.parse("2026-11-22T09:05:00.123Z"));
      return engine.presentation(stage.id())
          .map(p -> assertThat(p).isEqualTo(Presentation.AUTO))
          .compose(x -> engine.present(stage.id(), results))
          .map(p -> assertThat(p).isEqualTo(results))
          .compose(x -> engine.presentation(stage.id()))
          .map(p -> assertThat(p).isEqualTo(results))
          .compose(x -> engine.presentation(other.id()))
          .map(p -> assertThat(p).as("another stage's screens").isEqualTo(Presentation.AUTO))
          .compose(x -> engine.present(stage.id(), new Presentation(Presentation.Kind.NOTHING, null, now())))
          .compose(x -> engine.presentation(stage.id()))
          .map(p -> assertThat(p.kind()).isEqualTo(Presentation.Kind.NOTHING))
          .compose(x -> engine.present(stage.id(), Presentation.AUTO))
          .compose(x -> engine.presentation(stage.id()))
          .map(p -> assertThat(p).isEqualTo(Presentation.AUTO))
          .compose(x -> refused(engine.present(Ids.newId("st"), results)))
          .map(t -> assertRefusal(t, ErrorCode.UNKNOWN_STAGE));
    })));
  }

  @Test
  void aMutedParticipantStaysMutedOnItsStageOnlyUntilUnmutedAndAcrossARestart(VertxTestContext test) {
    run(test, () -> {
      Instant now = now();
      Event event = new Event(Ids.newId("ev"), "Congress", now, List.of());
      Stage stage = new Stage(Ids.newId("st"), event.id(), "Main", Ids.newJoinCode(), now, StageSettings.DEFAULT);
      Stage other = new Stage(Ids.newId("st"), event.id(), "Side", Ids.newJoinCode(), now, StageSettings.DEFAULT);
      Engine first = newDurableEngine(vertx);
      return started(first)
          .compose(e -> e.createEvent(event))
          .compose(x -> first.createStage(stage))
          .compose(x -> first.createStage(other))
          .compose(x -> first.isMuted(stage.id(), "troll"))
          .map(m -> assertThat(m).isFalse())
          .compose(x -> first.mute(stage.id(), "troll", true))
          .compose(x -> first.mute(stage.id(), "troll", true)) // idempotent
          .compose(x -> first.mute(stage.id(), "sorry", true))
          .compose(x -> first.mute(stage.id(), "sorry", false))
          .compose(x -> first.isMuted(stage.id(), "troll"))
          .map(m -> assertThat(m).isTrue())
          .compose(x -> first.isMuted(other.id(), "troll"))
          .map(m -> assertThat(m).as("on another stage").isFalse())
          .compose(x -> refused(first.mute(Ids.newId("st"), "troll", true)))
          .map(t -> assertRefusal(t, ErrorCode.UNKNOWN_STAGE))
          .compose(x -> stopped(first))
          .compose(x -> started(newDurableEngine(vertx)))
          .compose(second -> second.isMuted(stage.id(), "troll")
              .map(m -> assertThat(m).as("after a restart").isTrue())
              .compose(x -> second.isMuted(stage.id(), "sorry"))
              .map(m -> assertThat(m).as("unmuted before the restart").isFalse()));
    });
  }

  @Test
  void presentingIsAnnouncedForTheStage(VertxTestContext test) throws Exception {
    Stage stage = await(onEventLoop(this::newStage));
    Checkpoint announced = test.checkpoint(2);
    MessageConsumer<Change> consumer = vertx.eventBus().consumer(Change.ADDRESS, message -> {
      Change change = message.body();
      if (stage.id().equals(change.stageId()) && change.kind() == Change.Kind.PRESENTATION) {
        announced.flag();
      }
    });
    await(consumer.completion());
    onEventLoop(() -> engine.present(stage.id(), new Presentation(Presentation.Kind.QUESTIONS, null, now()))
        .compose(x -> engine.present(stage.id(), Presentation.AUTO)))
        .onFailure(test::failNow);
  }

  @Test
  void whatAStageShowsSurvivesRestart(VertxTestContext test) {
    run(test, () -> {
      Instant now = now();
      Event event = new Event(Ids.newId("ev"), "Congress", now, List.of());
      Stage shown = new Stage(Ids.newId("st"), event.id(), "Main", Ids.newJoinCode(), now, StageSettings.DEFAULT);
      Stage reset = new Stage(Ids.newId("st"), event.id(), "Side", Ids.newJoinCode(), now, StageSettings.DEFAULT);
      Presentation cloud = new Presentation(Presentation.Kind.CLOUD, "wc-1", now);
      Engine first = newDurableEngine(vertx);
      return started(first)
          .compose(e -> e.createEvent(event))
          .compose(x -> first.createStage(shown))
          .compose(x -> first.createStage(reset))
          .compose(x -> first.present(shown.id(), cloud))
          .compose(x -> first.present(reset.id(), new Presentation(Presentation.Kind.NOTHING, null, now)))
          .compose(x -> first.present(reset.id(), Presentation.AUTO))
          .compose(x -> stopped(first))
          .compose(x -> started(newDurableEngine(vertx)))
          .compose(second -> second.presentation(shown.id())
              .map(p -> assertThat(p).isEqualTo(cloud))
              .compose(x -> second.presentation(reset.id()))
              .map(p -> assertThat(p).isEqualTo(Presentation.AUTO)));
    });
  }

  // ---- issue 3: announcements, contexts, restarts ----------------------------------------

  @Test
  void issue3ChangesAreAnnouncedOnTheEventBus(VertxTestContext test) throws Exception {
    Stage stage = await(onEventLoop(this::newStage));
    WordCloud cloud = cloudOn(stage.id(), 3, Phase.OPEN);
    Post post = question(stage, "alice", "Eine Frage?");
    Map<Change.Kind, List<Change>> seen = new ConcurrentHashMap<>();
    // saveCloud, then submit + hide + merge; submit, update, upvote; one each for STAGE and REACTIONS
    Map<Change.Kind, Integer> expectedCounts = Map.of(Change.Kind.STAGE, 1, Change.Kind.CLOUD, 1,
        Change.Kind.CLOUD_RESULTS, 4, Change.Kind.POST, 3, Change.Kind.REACTIONS, 1);
    Checkpoint announced = test.checkpoint(10);
    MessageConsumer<Change> consumer = vertx.eventBus().consumer(Change.ADDRESS, message -> {
      Change change = message.body();
      if (!change.stageId().equals(stage.id())) {
        return;
      }
      List<Change> ofKind = seen.computeIfAbsent(change.kind(), k -> new java.util.concurrent.CopyOnWriteArrayList<>());
      ofKind.add(change);
      test.verify(() -> {
        assertThat(ofKind.size()).as(change.kind() + " announcements").isLessThanOrEqualTo(expectedCounts.get(change.kind()));
        switch (change.kind()) {
          case CLOUD, CLOUD_RESULTS -> assertThat(change.id()).isEqualTo(cloud.id());
          case POST -> assertThat(change.id()).isEqualTo(post.id());
          case STAGE, REACTIONS -> assertThat(change.id()).isNull();
          default -> throw new AssertionError("unexpected " + change);
        }
        if (change.kind() == Change.Kind.REACTIONS) { // the last step: everything before it has been announced
          expectedCounts.forEach((kind, count) -> assertThat(seen.get(kind)).as(kind + " announcements").hasSize(count));
        }
      });
      announced.flag();
    });
    await(consumer.completion());
    onEventLoop(() -> engine.updateStage(stage.withSettings(new StageSettings(true, true, false)))
        .compose(x -> engine.saveCloud(cloud))
        .compose(x -> engine.submitWord(word(cloud, "alice", "1", "rad", "Rad")))
        .compose(x -> engine.submitWord(word(cloud, "bob", "1", "bus", "Bus")))
        .compose(x -> engine.hideWord(stage.id(), cloud.id(), "bus", true))
        .compose(x -> engine.mergeWords(stage.id(), cloud.id(), "bus", "rad"))
        .compose(x -> engine.submitPost(new PostAction("2", post)))
        .compose(x -> engine.updatePost(post, post.pin(true)))
        .compose(x -> engine.upvote(upvote(stage, post.id(), "bob", "2", true)))
        .compose(x -> engine.upvote(upvote(stage, post.id(), "bob", "3", true))) // changes nothing, announces nothing
        .compose(x -> engine.react(reaction(stage, "carol", "1", "👏", 1_760_000_040L))))
        .onFailure(test::failNow);
  }

  @Test
  void issue3FuturesCompleteOnTheCallersContext(VertxTestContext test) {
    run(test, () -> newStage().compose(stage -> {
      Context caller = Vertx.currentContext();
      WordCloud cloud = cloudOn(stage.id(), 3, Phase.OPEN);
      Post post = question(stage, "alice", "Eine Frage?");
      return here(caller, engine.updateStage(stage))
          .compose(x -> here(caller, engine.event(stage.eventId())))
          .compose(e -> here(caller, engine.updateEvent(e.orElseThrow())))
          .compose(x -> here(caller, engine.saveCloud(cloud)))
          .compose(x -> here(caller, engine.clouds(stage.id())))
          .compose(x -> here(caller, engine.cloud(stage.id(), cloud.id())))
          .compose(x -> here(caller, engine.submitWord(word(cloud, "alice", "1", "rad", "Rad"))))
          .compose(x -> here(caller, engine.submitWord(word(cloud, "alice", "2", "bus", "Bus"))))
          .compose(x -> here(caller, refused(engine.submitWord(word(cloud, "alice", "3", "rad", "Rad")))))
          .compose(x -> here(caller, engine.hideWord(stage.id(), cloud.id(), "rad", true)))
          .compose(x -> here(caller, engine.mergeWords(stage.id(), cloud.id(), "bus", "rad")))
          .compose(x -> here(caller, refused(engine.mergeWords(stage.id(), cloud.id(), "rad", "rad"))))
          .compose(x -> here(caller, engine.cloudResults(cloud, WordCloud.TOP)))
          .compose(x -> here(caller, engine.submitPost(new PostAction("ask", post))))
          .compose(x -> here(caller, engine.post(stage.id(), post.id())))
          .compose(x -> here(caller, engine.posts(stage.id())))
          .compose(x -> here(caller, engine.updatePost(post, post.approve())))
          .compose(x -> here(caller, refused(engine.updatePost(post, post.approve()))))
          .compose(x -> here(caller, engine.upvote(upvote(stage, post.id(), "bob", "1", true))))
          .compose(x -> here(caller, engine.upvotedBy(stage.id(), "bob")))
          .compose(x -> here(caller, engine.react(reaction(stage, "bob", "2", "👏", 1_760_000_040L))))
          .compose(x -> here(caller, engine.reactionTotals(stage.id())))
          .compose(x -> here(caller, engine.reactionTimeline(stage.id())));
    }));
  }

  @Test
  void issue3StateSurvivesRestart(VertxTestContext test) {
    long minute = 1_760_000_040L;
    run(test, () -> {
      Instant now = now();
      Event event = new Event(Ids.newId("ev"), "Congress", now, List.of());
      Stage stage = new Stage(Ids.newId("st"), event.id(), "Main", Ids.newJoinCode(), now, StageSettings.DEFAULT);
      StageSettings strict = new StageSettings(false, true, false);
      WordCloud cloud = cloudOn(stage.id(), 3, Phase.OPEN);
      Post asked = question(stage, "alice", "Wie geht es wieter?");
      Post edited = asked.edit("Wie geht es weiter?");
      Post comment = post(stage, PostKind.COMMENT, "bob", "Danke!");
      Engine first = newDurableEngine(vertx);
      return started(first)
          .compose(e -> e.createEvent(event))
          .compose(x -> first.updateEvent(event.withBlockedWords(List.of("mist"))))
          .compose(x -> first.createStage(stage))
          .compose(x -> first.updateStage(stage.withSettings(strict)))
          .compose(x -> first.saveCloud(cloud))
          .compose(x -> first.submitWord(word(cloud, "alice", "w1", "rad", "Rad")))
          .compose(x -> first.submitWord(word(cloud, "bob", "w1", "fahrrad", "Fahrrad")))
          .compose(x -> first.submitWord(word(cloud, "carol", "w1", "mist", "Mist")))
          .compose(x -> first.mergeWords(stage.id(), cloud.id(), "rad", "fahrrad"))
          .compose(x -> first.hideWord(stage.id(), cloud.id(), "mist", true))
          .compose(x -> first.submitPost(new PostAction("p1", asked)))
          .compose(x -> first.submitPost(new PostAction("p1", comment)))
          .compose(x -> first.updatePost(asked, edited))
          .compose(x -> first.upvote(upvote(stage, asked.id(), "bob", "u1", true)))
          .compose(x -> first.upvote(upvote(stage, comment.id(), "bob", "u2", true)))
          .compose(x -> first.upvote(upvote(stage, comment.id(), "bob", "u3", false)))
          .compose(x -> first.react(reaction(stage, "carol", "r1", "👏", minute)))
          .compose(x -> first.react(reaction(stage, "dave", "r1", "🤔", minute + 60)))
          .compose(x -> stopped(first))
          .compose(x -> started(newDurableEngine(vertx)))
          .compose(second -> second.event(event.id())
              .map(e -> assertThat(e.orElseThrow().blockedWords()).containsExactly("mist"))
              .compose(x -> second.stage(stage.id()))
              .map(s -> assertThat(s).contains(stage.withSettings(strict)))
              .compose(x -> second.clouds(stage.id()))
              .map(clouds -> assertThat(clouds).containsExactly(cloud))
              .compose(x -> second.cloudResults(cloud, WordCloud.TOP))
              .map(results -> assertThat(results).isEqualTo(new CloudResults(cloud.id(), 5, 3, 3,
                  List.of(new CloudWord("fahrrad", "Fahrrad", 2)), List.of(new CloudWord("mist", "Mist", 1)))))
              .compose(x -> second.submitWord(word(cloud, "alice", "w1", "rad", "Rad")))
              .map(r -> assertThat(r).as("a word applied before the restart").isEqualTo(new VoteReceipt(true, 5)))
              .compose(x -> refused(second.submitWord(word(cloud, "alice", "w2", "rad", "Rad"))))
              .map(t -> assertRefusal(t, ErrorCode.ALREADY_SUBMITTED))
              .compose(x -> second.submitWord(word(cloud, "dave", "w1", "rad", "RAD")))
              .map(r -> assertThat(r).as("the merge still holds").isEqualTo(new VoteReceipt(false, 6)))
              .compose(x -> second.cloudResults(cloud, WordCloud.TOP))
              .map(results -> assertThat(results.words()).containsExactly(new CloudWord("fahrrad", "Fahrrad", 3)))
              .compose(x -> second.posts(stage.id()))
              .map(posts -> assertThat(posts).containsExactly(new PostView(edited, 1, 3), new PostView(comment, 0, 3)))
              .compose(x -> second.submitPost(new PostAction("p1", question(stage, "alice", "Nochmal?"))))
              .map(r -> assertThat(r).isEqualTo(new PostReceipt(true, asked.id())))
              .compose(x -> refused(second.updatePost(asked, edited)))
              .map(t -> assertThat(t).isInstanceOf(ConcurrentUpdateException.class))
              .compose(x -> second.upvotedBy(stage.id(), "bob"))
              .map(ids -> assertThat(ids).containsExactly(asked.id()))
              .compose(x -> second.upvote(upvote(stage, comment.id(), "bob", "u2", true)))
              .map(r -> assertThat(r).isEqualTo(new VoteReceipt(true, 3)))
              .compose(x -> second.reactionTotals(stage.id()))
              .map(t -> assertThat(t).isEqualTo(new ReactionTotals(2, Map.of("👏", 1L, "🤔", 1L))))
              .compose(x -> second.reactionTimeline(stage.id()))
              .map(t -> assertThat(t).containsExactly(
                  new ReactionMinute(Instant.ofEpochSecond(minute), Map.of("👏", 1L)),
                  new ReactionMinute(Instant.ofEpochSecond(minute + 60), Map.of("🤔", 1L))))
              .compose(x -> second.react(reaction(stage, "carol", "r1", "👏", minute)))
              .map(r -> assertThat(r).isEqualTo(new VoteReceipt(true, 2))));
    });
  }

  // ---- organiser control: deletion, reset, order ---------------------------------------------

  /** A stage with something of every kind on it: a voted poll, a cloud with words, an upvoted question, a reaction, a talk. */
  protected record Busy(Stage stage, Poll poll, WordCloud cloud, Post question, Talk talk) {}

  protected Future<Busy> busyStage(Stage stage) {
    Instant now = now();
    Poll poll = single(2, true).toPoll(Ids.newId("po"), stage.id(), now);
    WordCloud cloud = cloudOn(stage.id(), 3, Phase.OPEN);
    Post asked = question(stage, "alice", "Wie geht es weiter mit der Verwaltungsdigitalisierung?");
    Talk talk = new Talk(Ids.newId("tk"), stage.id(), "Keynote", null, now, now.plusSeconds(3600), now);
    return engine.savePoll(poll)
        .compose(x -> engine.vote(choose(poll, "alice", "v1", "a")))
        .compose(x -> engine.vote(choose(poll, "bob", "v1", "b")))
        .compose(x -> engine.saveCloud(cloud))
        .compose(x -> engine.submitWord(word(cloud, "alice", "w1", "fahrrad", "Fahrrad")))
        .compose(x -> engine.submitPost(new PostAction("q1", asked)))
        .compose(x -> engine.upvote(upvote(stage, asked.id(), "bob", "u1", true)))
        .compose(x -> engine.react(reaction(stage, "carol", "r1", "👏", now.getEpochSecond() / 60 * 60)))
        .compose(x -> engine.saveTalk(talk))
        .map(x -> new Busy(stage, poll, cloud, asked, talk));
  }

  @Test
  void aDeletedPollIsGoneWithItsCounts(VertxTestContext test) {
    run(test, () -> newStage().compose(this::busyStage).compose(b -> {
      Poll other = single(3, true).toPoll(Ids.newId("po"), b.stage().id(), now());
      return engine.savePoll(other)
          .compose(x -> engine.deletePoll(b.stage().id(), b.poll().id()))
          .compose(x -> engine.poll(b.stage().id(), b.poll().id()))
          .map(found -> assertThat(found).isEmpty())
          .compose(x -> engine.polls(b.stage().id()))
          .map(polls -> assertThat(polls).containsExactly(other))
          .compose(x -> engine.results(b.poll()))
          .map(r -> assertThat(r.voters()).as("its counts are gone").isZero())
          .compose(x -> refused(engine.vote(choose(b.poll(), "dave", "v1", "a"))))
          .map(t -> assertRefusal(t, ErrorCode.UNKNOWN_POLL))
          .compose(x -> refused(engine.deletePoll(b.stage().id(), b.poll().id())))
          .map(t -> assertRefusal(t, ErrorCode.UNKNOWN_POLL))
          .compose(x -> refused(engine.deletePoll(b.stage().id(), Ids.newId("po"))))
          .map(t -> assertRefusal(t, ErrorCode.UNKNOWN_POLL))
          .compose(x -> engine.clouds(b.stage().id()))
          .map(clouds -> assertThat(clouds).as("nothing else changed").containsExactly(b.cloud()));
    }));
  }

  @Test
  void aDeletedCloudIsGoneWithItsEntries(VertxTestContext test) {
    run(test, () -> newStage().compose(this::busyStage).compose(b -> engine.deleteCloud(b.stage().id(), b.cloud().id())
        .compose(x -> engine.cloud(b.stage().id(), b.cloud().id()))
        .map(found -> assertThat(found).isEmpty())
        .compose(x -> engine.clouds(b.stage().id()))
        .map(clouds -> assertThat(clouds).hasSize(0))
        .compose(x -> engine.cloudResults(b.cloud(), WordCloud.TOP))
        .map(r -> assertThat(r.entries()).isZero())
        .compose(x -> engine.wordsOf(b.stage().id(), b.cloud().id(), "alice"))
        .map(words -> assertThat(words).hasSize(0))
        .compose(x -> refused(engine.submitWord(word(b.cloud(), "bob", "w1", "rad", "Rad"))))
        .map(t -> assertRefusal(t, ErrorCode.UNKNOWN_CLOUD))
        .compose(x -> refused(engine.deleteCloud(b.stage().id(), b.cloud().id())))
        .map(t -> assertRefusal(t, ErrorCode.UNKNOWN_CLOUD))
        .compose(x -> engine.polls(b.stage().id()))
        .map(polls -> assertThat(polls).as("nothing else changed").containsExactly(b.poll()))));
  }

  @Test
  void aDeletedStageIsGoneWithEverythingOnIt(VertxTestContext test) {
    run(test, () -> newStage().compose(stage -> {
      Stage sibling = new Stage(Ids.newId("st"), stage.eventId(), "Side", Ids.newJoinCode(), now(), StageSettings.DEFAULT);
      return engine.createStage(sibling).compose(x -> busyStage(sibling)).compose(kept -> busyStage(stage).compose(b ->
          engine.deleteStage(stage.id())
              .compose(x -> engine.stage(stage.id()))
              .map(found -> assertThat(found).isEmpty())
              .compose(x -> engine.stageByCode(stage.code()))
              .map(found -> assertThat(found).isEmpty())
              .compose(x -> engine.stages(stage.eventId()))
              .map(stages -> assertThat(stages).containsExactly(sibling))
              .compose(x -> engine.polls(stage.id()))
              .map(polls -> assertThat(polls).hasSize(0))
              .compose(x -> engine.clouds(stage.id()))
              .map(clouds -> assertThat(clouds).hasSize(0))
              .compose(x -> engine.posts(stage.id()))
              .map(posts -> assertThat(posts).hasSize(0))
              .compose(x -> engine.upvotedBy(stage.id(), "bob"))
              .map(ids -> assertThat(ids).hasSize(0))
              .compose(x -> engine.reactionTotals(stage.id()))
              .map(t -> assertThat(t.totals()).hasSize(0))
              .compose(x -> engine.reactionTimeline(stage.id()))
              .map(t -> assertThat(t).hasSize(0))
              .compose(x -> engine.talks(stage.id()))
              .map(talks -> assertThat(talks).hasSize(0))
              .compose(x -> engine.results(b.poll()))
              .map(r -> assertThat(r.voters()).isZero())
              .compose(x -> refused(engine.deleteStage(stage.id())))
              .map(t -> assertRefusal(t, ErrorCode.UNKNOWN_STAGE))
              // the join code is free again
              .compose(x -> engine.createStage(new Stage(Ids.newId("st"), stage.eventId(), "Again", stage.code(), now(),
                  StageSettings.DEFAULT)))
              .compose(x -> engine.polls(sibling.id()))
              .map(polls -> assertThat(polls).as("the other stage keeps its own").containsExactly(kept.poll()))
              .compose(x -> engine.posts(sibling.id()))
              .map(posts -> assertThat(posts).hasSize(1))));
    }));
  }

  @Test
  void aDeletedEventIsGoneWithItsStagesAndModeratorAccesses(VertxTestContext test) {
    run(test, () -> newStage().compose(stage -> newStage().compose(otherEventsStage -> {
      Stage second = new Stage(Ids.newId("st"), stage.eventId(), "Side", Ids.newJoinCode(), now(), StageSettings.DEFAULT);
      String token = ModeratorAccess.newToken();
      ModeratorAccess access = new ModeratorAccess(Ids.newId("md"), stage.eventId(), "Team", ModeratorAccess.hash(token), now());
      return engine.createStage(second)
          .compose(x -> busyStage(stage))
          .compose(x -> busyStage(second))
          .compose(x -> busyStage(otherEventsStage))
          .compose(x -> engine.saveModerator(access))
          .compose(x -> engine.deleteEvent(stage.eventId()))
          .compose(x -> engine.event(stage.eventId()))
          .map(found -> assertThat(found).isEmpty())
          .compose(x -> engine.events())
          .map(events -> assertThat(events).noneMatch(e -> e.id().equals(stage.eventId()))
              .anyMatch(e -> e.id().equals(otherEventsStage.eventId())))
          .compose(x -> engine.stages(stage.eventId()))
          .map(stages -> assertThat(stages).hasSize(0))
          .compose(x -> engine.stage(second.id()))
          .map(found -> assertThat(found).isEmpty())
          .compose(x -> engine.posts(second.id()))
          .map(posts -> assertThat(posts).hasSize(0))
          .compose(x -> engine.moderatorByTokenHash(access.tokenHash()))
          .map(found -> assertThat(found).isEmpty())
          .compose(x -> engine.moderators(stage.eventId()))
          .map(found -> assertThat(found).hasSize(0))
          .compose(x -> refused(engine.deleteEvent(stage.eventId())))
          .map(t -> assertRefusal(t, ErrorCode.UNKNOWN_EVENT))
          .compose(x -> engine.posts(otherEventsStage.id()))
          .map(posts -> assertThat(posts).as("another event keeps its own").hasSize(1));
    })));
  }

  @Test
  void aResetClearsInteractionsAndPutsPollsAndCloudsBackToDraft(VertxTestContext test) {
    run(test, () -> newStage().compose(this::busyStage).compose(b -> {
      String stageId = b.stage().id();
      Map<String, Long> before = new HashMap<>();
      return engine.results(b.poll()).map(r -> before.put("poll", r.version()))
          .compose(x -> engine.cloudResults(b.cloud(), WordCloud.TOP)).map(r -> before.put("cloud", r.version()))
          .compose(x -> engine.reactionTotals(stageId)).map(r -> before.put("reactions", r.version()))
          .compose(x -> engine.resetStage(stageId))
          .compose(x -> engine.polls(stageId))
          .map(polls -> {
            assertThat(polls).hasSize(1);
            Poll p = polls.get(0);
            assertThat(p.state()).isEqualTo(Phase.DRAFT);
            assertThat(p.openedAt()).isNull();
            assertThat(p.question()).isEqualTo(b.poll().question());
            return null;
          })
          .compose(x -> engine.results(b.poll()))
          .map(r -> {
            assertThat(r.voters()).isZero();
            assertThat(r.counts().values()).allMatch(c -> c == 0L);
            assertThat(r.version()).as("versions keep growing").isGreaterThan(before.get("poll"));
            return null;
          })
          .compose(x -> engine.clouds(stageId))
          .map(clouds -> assertThat(clouds).extracting(WordCloud::phase).containsExactly(Phase.DRAFT))
          .compose(x -> engine.cloudResults(b.cloud(), WordCloud.TOP))
          .map(r -> {
            assertThat(r.entries()).isZero();
            assertThat(r.contributors()).isZero();
            assertThat(r.words()).isEmpty();
            assertThat(r.version()).isGreaterThan(before.get("cloud"));
            return null;
          })
          .compose(x -> engine.posts(stageId))
          .map(posts -> assertThat(posts).hasSize(0))
          .compose(x -> engine.upvotedBy(stageId, "bob"))
          .map(ids -> assertThat(ids).hasSize(0))
          .compose(x -> engine.reactionTotals(stageId))
          .map(t -> {
            assertThat(t.totals()).isEmpty();
            assertThat(t.version()).isGreaterThan(before.get("reactions"));
            return null;
          })
          .compose(x -> engine.reactionTimeline(stageId))
          .map(t -> assertThat(t).hasSize(0))
          .compose(x -> engine.talks(stageId))
          .map(talks -> assertThat(talks).as("the programme stays").containsExactly(b.talk()))
          .compose(x -> engine.stage(stageId))
          .map(st -> assertThat(st).contains(b.stage()))
          .compose(x -> refused(engine.vote(choose(b.poll(), "alice", "v9", "a"))))
          .map(t -> assertRefusal(t, ErrorCode.POLL_NOT_OPEN))
          // opened again, the rehearsal's participants and action ids count afresh
          .compose(x -> engine.savePoll(b.poll().open(now())))
          .compose(p -> engine.vote(choose(p, "alice", "v1", "b")))
          .map(r -> assertThat(r.duplicate()).as("the rehearsal's action id is forgotten").isFalse())
          .compose(x -> engine.results(b.poll()))
          .map(r -> assertThat(r.voters()).isEqualTo(1))
          .compose(x -> engine.saveCloud(b.cloud().open(now())))
          .compose(c -> engine.submitWord(word(c, "alice", "w1", "fahrrad", "Fahrrad")))
          .map(r -> assertThat(r.duplicate()).isFalse())
          .compose(x -> refused(engine.resetStage(Ids.newId("st"))))
          .map(t -> assertRefusal(t, ErrorCode.UNKNOWN_STAGE));
    }));
  }

  @Test
  void pollsCloudsAndStagesTakeANewOrderOnlyFromAnExactPermutation(VertxTestContext test) {
    run(test, () -> newStage().compose(stage -> {
      Poll p1 = single(2, false).toPoll(Ids.newId("po"), stage.id(), now());
      Poll p2 = single(2, false).toPoll(Ids.newId("po"), stage.id(), now());
      Poll p3 = rating(5).toPoll(Ids.newId("po"), stage.id(), now());
      WordCloud c1 = cloudOn(stage.id(), 3, Phase.DRAFT);
      WordCloud c2 = cloudOn(stage.id(), 3, Phase.DRAFT);
      Stage s2 = new Stage(Ids.newId("st"), stage.eventId(), "Side", Ids.newJoinCode(), now(), StageSettings.DEFAULT);
      Stage s3 = new Stage(Ids.newId("st"), stage.eventId(), "Third", Ids.newJoinCode(), now(), StageSettings.DEFAULT);
      String sid = stage.id();
      return engine.savePoll(p1).compose(x -> engine.savePoll(p2)).compose(x -> engine.savePoll(p3))
          .compose(x -> engine.saveCloud(c1)).compose(x -> engine.saveCloud(c2))
          .compose(x -> engine.createStage(s2)).compose(x -> engine.createStage(s3))
          .compose(x -> engine.reorderPolls(sid, List.of(p3.id(), p1.id(), p2.id())))
          .compose(x -> engine.polls(sid))
          .map(polls -> assertThat(polls).containsExactly(p3, p1, p2))
          .compose(x -> refused(engine.reorderPolls(sid, List.of(p1.id(), p2.id()))))
          .map(t -> assertRefusal(t, ErrorCode.INVALID_FIELD))
          .compose(x -> refused(engine.reorderPolls(sid, List.of(p1.id(), p1.id(), p2.id()))))
          .map(t -> assertRefusal(t, ErrorCode.INVALID_FIELD))
          .compose(x -> refused(engine.reorderPolls(sid, List.of(p1.id(), p2.id(), Ids.newId("po")))))
          .map(t -> assertRefusal(t, ErrorCode.INVALID_FIELD))
          .compose(x -> refused(engine.reorderPolls(sid, List.of(p1.id(), p2.id(), p3.id(), c1.id()))))
          .map(t -> assertRefusal(t, ErrorCode.INVALID_FIELD))
          .compose(x -> engine.polls(sid))
          .map(polls -> assertThat(polls).as("a refused order changes nothing").containsExactly(p3, p1, p2))
          .compose(x -> engine.reorderClouds(sid, List.of(c2.id(), c1.id())))
          .compose(x -> engine.clouds(sid))
          .map(clouds -> assertThat(clouds).containsExactly(c2, c1))
          .compose(x -> refused(engine.reorderClouds(sid, List.of(c2.id()))))
          .map(t -> assertRefusal(t, ErrorCode.INVALID_FIELD))
          .compose(x -> refused(engine.reorderPolls(Ids.newId("st"), List.of())))
          .map(t -> assertRefusal(t, ErrorCode.UNKNOWN_STAGE))
          .compose(x -> engine.reorderStages(stage.eventId(), List.of(s3.id(), stage.id(), s2.id())))
          .compose(x -> engine.stages(stage.eventId()))
          .map(stages -> assertThat(stages).extracting(Stage::id).containsExactly(s3.id(), sid, s2.id()))
          .compose(x -> refused(engine.reorderStages(stage.eventId(), List.of(s3.id(), sid))))
          .map(t -> assertRefusal(t, ErrorCode.INVALID_FIELD))
          .compose(x -> refused(engine.reorderStages(Ids.newId("ev"), List.of())))
          .map(t -> assertRefusal(t, ErrorCode.UNKNOWN_EVENT))
          .compose(x -> {
            Stage s4 = new Stage(Ids.newId("st"), stage.eventId(), "Fourth", Ids.newJoinCode(), now(), StageSettings.DEFAULT);
            return engine.createStage(s4).compose(y -> engine.stages(stage.eventId()))
                .map(stages -> assertThat(stages).extracting(Stage::id).as("a new stage comes last")
                    .containsExactly(s3.id(), sid, s2.id(), s4.id()));
          });
    }));
  }

  @Test
  void deletionResetAndOrderAreAnnounced(VertxTestContext test) throws Exception {
    Stage stage = await(onEventLoop(this::newStage));
    Busy b = await(onEventLoop(() -> busyStage(stage)));
    List<Change> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    Checkpoint all = test.checkpoint();
    Set<Change> expected = Set.of(new Change(Change.Kind.POLL_DELETED, stage.id(), b.poll().id()),
        new Change(Change.Kind.CLOUD_DELETED, stage.id(), b.cloud().id()),
        new Change(Change.Kind.ORDER, stage.id(), null),
        new Change(Change.Kind.STAGE_RESET, stage.id(), null),
        new Change(Change.Kind.STAGE_DELETED, stage.id(), null));
    MessageConsumer<Change> consumer = vertx.eventBus().consumer(Change.ADDRESS, message -> {
      if (expected.contains(message.body()) && !seen.contains(message.body())) {
        seen.add(message.body());
        if (seen.size() == expected.size()) {
          all.flag();
        }
      }
    });
    await(consumer.completion());
    onEventLoop(() -> engine.reorderPolls(stage.id(), List.of(b.poll().id()))
        .compose(x -> engine.resetStage(stage.id()))
        .compose(x -> engine.deletePoll(stage.id(), b.poll().id()))
        .compose(x -> engine.deleteCloud(stage.id(), b.cloud().id()))
        .compose(x -> engine.deleteStage(stage.id())))
        .onFailure(test::failNow);
  }

  @Test
  void deletionsResetsAndOrdersSurviveRestart(VertxTestContext test) {
    run(test, () -> {
      Engine first = newDurableEngine(vertx);
      Instant now = now();
      Event event = new Event(Ids.newId("ev"), "Congress", now, List.of());
      Stage gone = new Stage(Ids.newId("st"), event.id(), "Gone", Ids.newJoinCode(), now, StageSettings.DEFAULT);
      Stage kept = new Stage(Ids.newId("st"), event.id(), "Kept", Ids.newJoinCode(), now, StageSettings.DEFAULT);
      Poll p1 = single(2, true).toPoll(Ids.newId("po"), kept.id(), now);
      Poll p2 = single(2, true).toPoll(Ids.newId("po"), kept.id(), now);
      Poll p3 = single(2, true).toPoll(Ids.newId("po"), kept.id(), now);
      Post asked = question(kept, "alice", "Frage vor dem Reset?");
      return started(first)
          .compose(e -> first.createEvent(event))
          .compose(x -> first.createStage(gone))
          .compose(x -> first.createStage(kept))
          .compose(x -> first.savePoll(single(2, true).toPoll(Ids.newId("po"), gone.id(), now)))
          .compose(x -> first.savePoll(p1)).compose(x -> first.savePoll(p2)).compose(x -> first.savePoll(p3))
          .compose(x -> first.vote(choose(p1, "alice", "v1", "a")))
          .compose(x -> first.submitPost(new PostAction("q1", asked)))
          .compose(x -> first.resetStage(kept.id()))
          .compose(x -> first.vote(choose(p1.open(now), "bob", "v1", "b")).recover(t -> Future.succeededFuture()))
          .compose(x -> first.deleteStage(gone.id()))
          .compose(x -> first.reorderPolls(kept.id(), List.of(p3.id(), p1.id(), p2.id())))
          .compose(x -> first.deletePoll(kept.id(), p2.id()))
          .compose(x -> stopped(first))
          .compose(x -> started(newDurableEngine(vertx)))
          .compose(second -> second.stage(gone.id())
              .map(found -> assertThat(found).isEmpty())
              .compose(x -> second.stages(event.id()))
              .map(stages -> assertThat(stages).extracting(Stage::id).containsExactly(kept.id()))
              .compose(x -> second.polls(kept.id()))
              .map(polls -> {
                assertThat(polls).extracting(Poll::id).containsExactly(p3.id(), p1.id());
                assertThat(polls).extracting(Poll::state).containsOnly(Phase.DRAFT);
                return null;
              })
              .compose(x -> second.results(p1))
              .map(r -> assertThat(r.voters()).isZero())
              .compose(x -> second.posts(kept.id()))
              .map(posts -> assertThat(posts).hasSize(0)));
    });
  }

  // ---- poll timers (issue 12: countdown) ---------------------------------------------------

  /** An open poll of {@code stage} whose timer runs out {@code millis} from now. */
  protected static Poll timed(Stage stage, long millis) {
    Instant now = now();
    return single(2, true).toPoll(Ids.newId("po"), stage.id(), now).withClosesAt(now.plusMillis(millis));
  }

  /** Succeeds once {@code instant} has passed (by a Vert.x timer: nothing waits). */
  protected Future<Void> after(Instant instant) {
    long delay = Math.max(1, instant.toEpochMilli() - System.currentTimeMillis() + 20);
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    vertx.setTimer(delay, id -> done.complete());
    return done.future();
  }

  /** Re-checks {@code check} every 50 ms until it holds, failing after {@code timeoutMs}. */
  protected Future<Void> until(Supplier<Future<Boolean>> check, long timeoutMs, String what) {
    long giveUp = System.currentTimeMillis() + timeoutMs;
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    Runnable[] attempt = new Runnable[1];
    attempt[0] = () -> check.get().onComplete(ar -> {
      if (ar.succeeded() && ar.result()) {
        done.complete();
      } else if (System.currentTimeMillis() > giveUp) {
        done.fail(new AssertionError("timed out waiting until " + what));
      } else {
        vertx.setTimer(50, id -> attempt[0].run());
      }
    });
    attempt[0].run();
    return done.future();
  }

  @Test
  void aTimedPollTakesVotesUntilItsDeadlineThenRefusesThemBeforeItsStateFlips(VertxTestContext test) {
    run(test, () -> newStage().compose(stage -> engine.savePoll(timed(stage, 1_200))).compose(poll -> sequence(
        engine.vote(choose(poll, "alice", "v1", "a"))
            .map(r -> assertThat(r).as("before the deadline").isEqualTo(new VoteReceipt(false, 1))),
        () -> after(poll.closesAt()),
        () -> engine.poll(poll.stageId(), poll.id())
            .map(p -> assertThat(p.orElseThrow().state()).as("no timer flipped it: nothing runs one here").isEqualTo(Phase.OPEN)),
        () -> refused(engine.vote(choose(poll, "bob", "v1", "b"))).map(t -> assertRefusal(t, ErrorCode.POLL_CLOSED)),
        () -> refused(engine.vote(choose(poll, "alice", "v2", "b"))).map(t -> {
          assertRefusal(t, ErrorCode.POLL_CLOSED);
          assertThat(((PlenumException) t).facts()).containsEntry(org.plenum.protocol.RefusalTexts.CLOSES_AT,
              poll.closesAt().toString());
          return t;
        }),
        () -> engine.vote(choose(poll, "alice", "v1", "a"))
            .map(r -> assertThat(r).as("a retry of a vote accepted in time").isEqualTo(new VoteReceipt(true, 1))),
        () -> engine.results(poll).map(r -> {
          assertThat(r.counts()).containsEntry("a", 1L).containsEntry("b", 0L);
          assertThat(r.voters()).isEqualTo(1);
          return null;
        }))));
  }

  @Test
  void aTimerSetAfterAVoteAndClearedAgainLeavesThePollOpen(VertxTestContext test) {
    run(test, () -> newStage().compose(stage -> engine.savePoll(timed(stage, 300))).compose(poll -> sequence(
        engine.savePoll(poll.withClosesAt(null)),
        () -> after(poll.closesAt()),
        () -> engine.vote(choose(poll, "alice", "v1", "a")).map(r -> assertThat(r.duplicate()).isFalse()),
        () -> engine.poll(poll.stageId(), poll.id()).map(p -> {
          assertThat(p.orElseThrow().closesAt()).isNull();
          return null;
        }))));
  }

  @Test
  void closingAtTheDeadlineIsACompareAndSetThatOnlyTheFirstTryApplies(VertxTestContext test) {
    run(test, () -> newStage().compose(stage -> engine.savePoll(timed(stage, 60_000))).compose(poll -> {
      Instant deadline = poll.closesAt();
      return sequence(
          engine.closePollAtDeadline(poll.stageId(), poll.id(), deadline.minusSeconds(30))
              .map(r -> assertThat(r).as("a timer armed for a deadline that has moved").isEmpty()),
          () -> engine.poll(poll.stageId(), poll.id()).map(p -> assertThat(p.orElseThrow().isOpen()).isTrue()),
          // two nodes' timers at once: one closes, the other changes nothing
          () -> Future.all(engine.closePollAtDeadline(poll.stageId(), poll.id(), deadline),
                  engine.closePollAtDeadline(poll.stageId(), poll.id(), deadline))
              .map(both -> {
                Optional<Poll> first = both.resultAt(0);
                Optional<Poll> second = both.resultAt(1);
                assertThat(first.isPresent() ^ second.isPresent()).as("exactly one closed it").isTrue();
                Poll closed = first.orElseGet(second::orElseThrow);
                assertThat(closed.state()).isEqualTo(Phase.CLOSED);
                assertThat(closed.closedAt()).as("closed at the deadline itself").isEqualTo(deadline);
                assertThat(closed.closesAt()).isNull();
                return null;
              }),
          () -> engine.closePollAtDeadline(poll.stageId(), poll.id(), deadline).map(r -> assertThat(r).isEmpty()),
          () -> engine.poll(poll.stageId(), poll.id()).map(p -> {
            assertThat(p.orElseThrow().state()).isEqualTo(Phase.CLOSED);
            assertThat(p.orElseThrow().closedAt()).isEqualTo(deadline);
            return null;
          }),
          () -> refused(engine.vote(choose(poll, "bob", "v1", "b"))).map(t -> assertRefusal(t, ErrorCode.POLL_NOT_OPEN)),
          () -> engine.closePollAtDeadline(poll.stageId(), "po-none", deadline).map(r -> assertThat(r).isEmpty()));
    }));
  }

  @Test
  void pollDeadlinesCloseTheTimedPollAndAnnounceItAndASecondNodesTimerIsHarmless(VertxTestContext test) {
    List<Change> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    vertx.eventBus().<Change>localConsumer(Change.ADDRESS, m -> heard.add(m.body()));
    PollDeadlines nodeA = new PollDeadlines(vertx, engine);
    PollDeadlines nodeB = new PollDeadlines(vertx, engine);
    run(test, () -> nodeA.start().compose(x -> nodeB.start())
        .compose(x -> newStage())
        .compose(stage -> engine.savePoll(timed(stage, 1_000)))
        .compose(poll -> until(() -> Future.succeededFuture(nodeA.armedCount() == 1 && nodeB.armedCount() == 1),
                5_000, "both nodes armed a timer")
            .compose(x -> until(() -> engine.poll(poll.stageId(), poll.id()).map(p -> p.orElseThrow().state() == Phase.CLOSED),
                10_000, "the poll closed by itself"))
            .compose(x -> engine.poll(poll.stageId(), poll.id()))
            .map(p -> {
              assertThat(p.orElseThrow().closedAt()).isEqualTo(poll.closesAt());
              assertThat(heard).contains(new Change(Change.Kind.POLL, poll.stageId(), poll.id()));
              return null;
            })
            .compose(x -> until(() -> Future.succeededFuture(nodeA.armedCount() == 0 && nodeB.armedCount() == 0),
                5_000, "both timers done"))
            .compose(x -> refused(engine.vote(choose(poll, "alice", "v1", "a"))))
            .map(t -> assertRefusal(t, ErrorCode.POLL_NOT_OPEN)))
        .eventually(() -> {
          nodeA.stop();
          nodeB.stop();
          return Future.succeededFuture();
        }));
  }

  @Test
  void aRestartedNodeRearmsTheTimersOfOpenTimedPolls(VertxTestContext test) {
    run(test, () -> {
      Instant now = now();
      Event event = new Event(Ids.newId("ev"), "Congress", now, java.util.List.of());
      Stage stage = new Stage(Ids.newId("st"), event.id(), "Main", Ids.newJoinCode(), now, org.plenum.stage.StageSettings.DEFAULT);
      Poll poll = timed(stage, 3_000);
      Engine first = newDurableEngine(vertx);
      PollDeadlines[] deadlines = new PollDeadlines[1];
      return started(first)
          .compose(e -> e.createEvent(event))
          .compose(x -> first.createStage(stage))
          .compose(x -> first.savePoll(poll))
          .compose(x -> stopped(first))
          .compose(x -> started(newDurableEngine(vertx)))
          .compose(second -> {
            deadlines[0] = new PollDeadlines(vertx, second);
            return deadlines[0].start()
                .map(x -> assertThat(deadlines[0].armedCount()).as("armed on start").isEqualTo(1))
                .compose(x -> until(() -> second.poll(stage.id(), poll.id()).map(p -> p.orElseThrow().state() == Phase.CLOSED),
                    10_000, "the re-armed timer closed the poll"))
                .compose(x -> second.poll(stage.id(), poll.id()))
                .map(p -> assertThat(p.orElseThrow().closedAt()).isEqualTo(poll.closesAt()));
          })
          .eventually(() -> {
            if (deadlines[0] != null) {
              deadlines[0].stop();
            }
            return Future.succeededFuture();
          });
    });
  }

  // ---- quiz (issue 12) ----------------------------------------------------------------------

  /** An open quiz question of three options whose correct one is "b", worth {@code points}. */
  protected static Poll quiz(Stage stage, int points, boolean speedBonus) {
    return new PollSpec(PollKind.QUIZ, "Which one is right?", labels(3), null, null, false, true, null,
        List.of(1), points, speedBonus).toPoll(Ids.newId("po"), stage.id(), now());
  }

  @Test
  void aQuizAnswerIsScoredOnceARetryIsADuplicateAndASecondAnswerIsRefused(VertxTestContext test) {
    run(test, () -> newStage().compose(stage -> engine.savePoll(quiz(stage, 1000, false))).compose(poll -> sequence(
        engine.answer(choose(poll, "alice", "a1", "b"), poll).map(r -> assertThat(r).isEqualTo(new VoteReceipt(false, 1))),
        () -> engine.answer(choose(poll, "alice", "a1", "b"), poll)
            .map(r -> assertThat(r).as("the retry").isEqualTo(new VoteReceipt(true, 1))),
        () -> refused(engine.answer(choose(poll, "alice", "a2", "a"), poll))
            .map(t -> assertRefusal(t, ErrorCode.ALREADY_ANSWERED)),
        () -> engine.answer(choose(poll, "bob", "b1", "a"), poll),
        () -> engine.results(poll).map(r -> {
          assertThat(r.counts()).containsEntry("a", 1L).containsEntry("b", 1L).containsEntry("c", 0L);
          assertThat(r.voters()).isEqualTo(2);
          return null;
        }),
        () -> engine.leaderboard(poll.stageId(), 10).map(board -> {
          assertThat(board.scored()).as("answers scored, the retry and the refusal not").isEqualTo(2);
          assertThat(board.participants()).isEqualTo(2);
          assertThat(board.entries()).extracting(e -> e.points()).containsExactly(1000L, 0L);
          assertThat(board.entries()).extracting(e -> e.correct()).containsExactly(1L, 0L);
          assertThat(board.entries().get(0).nickname()).isEqualTo(org.plenum.stage.Nickname.generated("alice"));
          return null;
        }),
        () -> engine.standing(poll.stageId(), "alice", List.of(poll.id())).map(s -> {
          assertThat(s.points()).isEqualTo(1000);
          assertThat(s.rank()).isEqualTo(1);
          assertThat(s.correct()).isEqualTo(1);
          assertThat(s.answers()).containsExactly(Map.entry(poll.id(), 1000L));
          return null;
        }),
        () -> engine.standing(poll.stageId(), "carol", List.of(poll.id())).map(s -> {
          assertThat(s.points()).isZero();
          assertThat(s.rank()).as("not answered: no rank").isZero();
          assertThat(s.answers()).isEmpty();
          return null;
        }))));
  }

  @Test
  void aQuizRefusesAnswersWhenNotOpenOrPastItsDeadline(VertxTestContext test) {
    run(test, () -> newStage().compose(stage -> {
      Poll draft = new PollSpec(PollKind.QUIZ, "Q?", labels(2), null, null, false, false, null, List.of(0), null, null)
          .toPoll(Ids.newId("po"), stage.id(), now());
      Poll timedQuiz = quiz(stage, 1000, false).withClosesAt(now().plusMillis(800));
      return engine.savePoll(draft).compose(d -> engine.savePoll(timedQuiz)).compose(t -> sequence(
          refused(engine.answer(choose(draft, "alice", "x1", "a"), draft)).map(e -> assertRefusal(e, ErrorCode.POLL_NOT_OPEN)),
          () -> after(timedQuiz.closesAt()),
          () -> refused(engine.answer(choose(timedQuiz, "alice", "x2", "b"), timedQuiz))
              .map(e -> assertRefusal(e, ErrorCode.POLL_CLOSED)),
          () -> engine.leaderboard(stage.id(), 10).map(b -> assertThat(b.scored()).isZero())));
    }));
  }

  @Test
  void aSpeedBonusFallsFromFullToHalfOverTheTimerByTheEnginesClock(VertxTestContext test) {
    run(test, () -> newStage().compose(stage -> {
      Instant now = now();
      // opened 10 s ago, closes in 10 s: an answer now is half-way, worth 75 %
      Poll open = quiz(stage, 1000, true);
      Poll halfway = new Poll(open.id(), open.stageId(), open.kind(), open.question(), open.options(), open.maxSelections(),
          null, Phase.OPEN, false, now.minusSeconds(10), now.minusSeconds(10), null, now.plusSeconds(10), open.quiz());
      return engine.savePoll(halfway).compose(p -> sequence(
          engine.answer(choose(halfway, "alice", "s1", "b"), halfway),
          () -> engine.answer(choose(halfway, "bob", "s1", "c"), halfway),
          () -> engine.standing(stage.id(), "alice", List.of(halfway.id())).map(s -> {
            assertThat(s.points()).isBetween(700L, 760L);
            return null;
          }),
          () -> engine.standing(stage.id(), "bob", List.of(halfway.id()))
              .map(s -> assertThat(s.points()).as("wrong: no points, however fast").isZero()),
          () -> engine.savePoll(halfway.close(now())))); // no open timer left for other tests' deadline scans
    }));
  }

  @Test
  void nicknamesNameTheBoardOptedOutParticipantsAreLeftOutAndTiesAreOrderedById(VertxTestContext test) {
    run(test, () -> newStage().compose(stage -> engine.savePoll(quiz(stage, 500, false))).compose(poll -> sequence(
        engine.answer(choose(poll, "p-carol", "1", "b"), poll),
        () -> engine.answer(choose(poll, "p-dave", "1", "b"), poll),
        () -> engine.answer(choose(poll, "p-erin", "1", "b"), poll),
        () -> engine.answer(choose(poll, "p-frank", "1", "a"), poll),
        () -> engine.setNickname(poll.stageId(), "p-carol", new org.plenum.stage.Nickname("Carol", true)),
        () -> engine.setNickname(poll.stageId(), "p-erin", new org.plenum.stage.Nickname("Erin", false)),
        () -> engine.setNickname(poll.stageId(), "p-carol", new org.plenum.stage.Nickname("Caro", true)),
        () -> engine.leaderboard(poll.stageId(), 10).map(board -> {
          assertThat(board.entries()).extracting(e -> e.nickname())
              .containsExactly(org.plenum.stage.Nickname.generated("p-dave"), "Caro", org.plenum.stage.Nickname.generated("p-frank"));
          assertThat(board.entries()).extracting(e -> e.rank()).containsExactly(1L, 2L, 3L);
          assertThat(board.participants()).isEqualTo(4);
          return null;
        }),
        () -> engine.leaderboard(poll.stageId(), 1).map(board -> assertThat(board.entries()).hasSize(1)),
        () -> engine.standing(poll.stageId(), "p-erin", List.of(poll.id())).map(s -> {
          assertThat(s.nickname()).isEqualTo("Erin");
          assertThat(s.listed()).isFalse();
          assertThat(s.points()).isEqualTo(500);
          assertThat(s.rank()).as("ranked among everyone, listed or not").isEqualTo(1);
          return null;
        }),
        () -> engine.quizScores(poll.stageId()).map(rows -> {
          assertThat(rows).extracting(r -> r.participantId()).containsExactly("p-erin", "p-dave", "p-carol", "p-frank");
          assertThat(rows.get(0).listed()).isFalse();
          assertThat(rows.get(2).nickname()).isEqualTo("Caro");
          return null;
        }))));
  }

  @Test
  void resettingOrDeletingAStageRemovesItsScoresAndNicknames(VertxTestContext test) {
    run(test, () -> newStage().compose(stage -> engine.savePoll(quiz(stage, 1000, false))).compose(poll -> sequence(
        engine.answer(choose(poll, "alice", "r1", "b"), poll),
        () -> engine.setNickname(poll.stageId(), "alice", new org.plenum.stage.Nickname("Alice", true)),
        () -> engine.resetStage(poll.stageId()),
        () -> engine.leaderboard(poll.stageId(), 10).map(board -> {
          assertThat(board.scored()).isZero();
          assertThat(board.entries()).isEmpty();
          return null;
        }),
        () -> engine.standing(poll.stageId(), "alice", List.of(poll.id())).map(s -> {
          assertThat(s.nickname()).as("the nickname went too").isEqualTo(org.plenum.stage.Nickname.generated("alice"));
          assertThat(s.points()).isZero();
          return null;
        }),
        () -> engine.poll(poll.stageId(), poll.id()).map(p -> {
          assertThat(p.orElseThrow().quiz()).as("the question keeps its key").isEqualTo(poll.quiz());
          return null;
        }),
        () -> engine.savePoll(poll.open(now())),
        () -> engine.answer(choose(poll, "alice", "r2", "b"), poll)
            .map(r -> assertThat(r.duplicate()).as("a fresh answer after the reset").isFalse()),
        () -> engine.setNickname(poll.stageId(), "alice", new org.plenum.stage.Nickname("Alice", true)),
        () -> engine.deleteStage(poll.stageId()),
        () -> engine.leaderboard(poll.stageId(), 10).map(board -> assertThat(board.participants()).isZero()),
        () -> engine.quizScores(poll.stageId()).map(rows -> {
          assertThat(rows).isEmpty();
          return null;
        }),
        () -> engine.standing(poll.stageId(), "alice", List.of(poll.id()))
            .map(s -> assertThat(s.nickname()).isEqualTo(org.plenum.stage.Nickname.generated("alice"))))));
  }

  @Test
  void quizScoresAndNicknamesSurviveARestart(VertxTestContext test) {
    run(test, () -> {
      Instant now = now();
      Event event = new Event(Ids.newId("ev"), "Congress", now, java.util.List.of());
      Stage stage = new Stage(Ids.newId("st"), event.id(), "Main", Ids.newJoinCode(), now, org.plenum.stage.StageSettings.DEFAULT);
      Poll poll = quiz(stage, 800, false);
      Engine first = newDurableEngine(vertx);
      return started(first)
          .compose(e -> e.createEvent(event))
          .compose(x -> first.createStage(stage))
          .compose(x -> first.savePoll(poll))
          .compose(x -> first.answer(choose(poll, "alice", "d1", "b"), poll))
          .compose(x -> first.answer(choose(poll, "bob", "d1", "a"), poll))
          .compose(x -> first.setNickname(stage.id(), "bob", new org.plenum.stage.Nickname("Bobby", false)))
          .compose(x -> stopped(first))
          .compose(x -> started(newDurableEngine(vertx)))
          .compose(second -> second.leaderboard(stage.id(), 10).map(board -> {
                assertThat(board.scored()).isEqualTo(2);
                assertThat(board.entries()).extracting(e -> e.points()).containsExactly(800L);
                return null;
              })
              .compose(x -> second.standing(stage.id(), "bob", List.of(poll.id())))
              .map(s -> {
                assertThat(s.nickname()).isEqualTo("Bobby");
                assertThat(s.listed()).isFalse();
                assertThat(s.answers()).containsExactly(Map.entry(poll.id(), 0L));
                return null;
              })
              .compose(x -> refused(second.answer(choose(poll, "alice", "d2", "b"), poll)))
              .map(t -> assertRefusal(t, ErrorCode.ALREADY_ANSWERED))
              .compose(x -> second.answer(choose(poll, "alice", "d1", "b"), poll))
              .map(r -> assertThat(r.duplicate()).as("the action id is remembered across the restart").isTrue()));
    });
  }

  // ---- helpers ---------------------------------------------------------------------------

  /** The time to the millisecond: stored documents keep times to the millisecond ({@code Wire.time}). */
  protected static Instant now() {
    return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
  }

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
    Instant now = now();
    Event event = new Event(Ids.newId("ev"), "Congress", now, java.util.List.of());
    return engine.createEvent(event)
        .compose(e -> engine.createStage(new Stage(Ids.newId("st"), e.id(), "Main", Ids.newJoinCode(), now, org.plenum.stage.StageSettings.DEFAULT)));
  }

  protected Future<Poll> newPoll(Stage stage, PollSpec spec) {
    return engine.savePoll(spec.toPoll(Ids.newId("po"), stage.id(), now()));
  }

  protected static PollSpec single(int options, boolean open) {
    return new PollSpec(PollKind.SINGLE, "Which one?", labels(options), null, null, true, open);
  }

  protected static PollSpec multiple(int options, int maxSelections) {
    return new PollSpec(PollKind.MULTIPLE, "Which ones?", labels(options), maxSelections, null, true, true);
  }

  protected static PollSpec ranking(int options) {
    return new PollSpec(PollKind.RANKING, "What first?", labels(options), null, null, true, true);
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

  protected Future<WordCloud> newCloud(Stage stage, int maxEntries, Phase phase) {
    return engine.saveCloud(cloudOn(stage.id(), maxEntries, phase));
  }

  protected static WordCloud cloudOn(String stageId, int maxEntries, Phase phase) {
    Instant now = now();
    return new WordCloud(Ids.newId("wc"), stageId, "Ein Wort zum Vortrag?", maxEntries, phase, true, now,
        phase == Phase.DRAFT ? null : now, phase == Phase.CLOSED ? now : null);
  }

  private static String stage(WordCloud cloud) {
    return cloud.stageId();
  }

  protected static WordAction word(WordCloud cloud, String participant, String actionId, String key, String spelling) {
    return new WordAction(cloud.stageId(), cloud.id(), participant, actionId, key, spelling, cloud.maxEntries());
  }

  protected static Post question(Stage stage, String author, String text) {
    return post(stage, PostKind.QUESTION, author, text);
  }

  protected static Post post(Stage stage, PostKind kind, String author, String text) {
    return Post.create(Ids.newId("qu"), stage.id(), kind, author, null, text, StageSettings.DEFAULT,
        now());
  }

  protected static UpvoteAction upvote(Stage stage, String postId, String participant, String actionId, boolean up) {
    return new UpvoteAction(stage.id(), postId, participant, actionId, up);
  }

  protected static ReactionAction reaction(Stage stage, String participant, String actionId, String emoji, long minute) {
    return new ReactionAction(stage.id(), participant, actionId, emoji, minute);
  }

  /** Runs the steps one after the other (the first is already under way). */
  @SafeVarargs
  protected static Future<Void> sequence(Future<?> first, Supplier<Future<?>>... rest) {
    return sequence(new ArrayList<>(), first, rest);
  }

  /** Like {@link #sequence(Future, Supplier[])}, collecting each step's result into {@code results}. */
  @SafeVarargs
  @SuppressWarnings("unchecked")
  protected static <T> Future<Void> sequence(List<T> results, Future<?> first, Supplier<Future<?>>... rest) {
    Future<?> chain = first.map(r -> results.add((T) r));
    for (Supplier<Future<?>> step : rest) {
      chain = chain.compose(x -> step.get()).map(r -> results.add((T) r));
    }
    return chain.mapEmpty();
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
    assertThat(((PlenumException) t).worded()).as("an engine refuses by code and facts; the edge words it").isFalse();
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
  // ---- open-text answers (issue 12) -------------------------------------------------------

  protected static PollSpec textPoll(boolean open) {
    return new PollSpec(PollKind.TEXT, "Was nehmen Sie mit?", null, null, null, true, open);
  }

  protected static Post answer(Poll poll, String author, String text) {
    return Post.answer(Ids.newId("qa"), poll.stageId(), poll.id(), author, null, text, StageSettings.DEFAULT, now());
  }

  @Test
  void answersToAnOpenTextPollAreStoredOnceAsPostsWithThePollsId(VertxTestContext test) {
    run(test, () -> newStage().compose(stage -> engine.savePoll(textPoll(true).toPoll(Ids.newId("po"), stage.id(), now())))
        .compose(poll -> {
          Post first = answer(poll, "alice", "Mehr Austausch zwischen den Ländern.");
          Post retry = answer(poll, "alice", "Mehr Austausch zwischen den Ländern.");
          Post second = answer(poll, "bob", "Offene Standards.");
          return sequence(
              engine.submitPost(new PostAction("ans-1", first))
                  .map(r -> assertThat(r).isEqualTo(new PostReceipt(false, first.id()))),
              () -> engine.submitPost(new PostAction("ans-1", retry))
                  .map(r -> assertThat(r).as("a retry").isEqualTo(new PostReceipt(true, first.id()))),
              () -> engine.submitPost(new PostAction("ans-1", second)),
              () -> engine.posts(poll.stageId()).map(posts -> {
                assertThat(posts).containsExactly(new PostView(first, 0, 1), new PostView(second, 0, 1));
                assertThat(posts.get(0).post().pollId()).isEqualTo(poll.id());
                assertThat(posts.get(0).post().kind()).isEqualTo(PostKind.ANSWER);
                return null;
              }),
              () -> engine.activity(poll.stageId()).map(minutes -> assertThat(minutes.stream()
                  .mapToLong(m -> m.count(org.plenum.stage.ActivityKind.ANSWERS)).sum()).as("the retry counts nothing")
                  .isEqualTo(2L)),
              () -> engine.interactions(poll.stageId(), 0, 10).map(log -> assertThat(log)
                  .extracting(org.plenum.stage.Interaction::kind).containsOnly(org.plenum.stage.ActivityKind.ANSWERS)));
        }));
  }

  @Test
  void anAnswerIsRefusedUnlessItsTextPollIsOpenAndNothingIsStored(VertxTestContext test) {
    run(test, () -> newStage().compose(stage -> {
      Instant now = now();
      Poll draft = textPoll(false).toPoll(Ids.newId("po"), stage.id(), now);
      Poll closed = textPoll(true).toPoll(Ids.newId("po"), stage.id(), now).close(now);
      Poll timed = textPoll(true).toPoll(Ids.newId("po"), stage.id(), now).withClosesAt(now.plusMillis(300));
      Poll choice = single(2, true).toPoll(Ids.newId("po"), stage.id(), now);
      Poll missing = textPoll(true).toPoll(Ids.newId("po"), stage.id(), now);
      return sequence(engine.savePoll(draft), () -> engine.savePoll(closed), () -> engine.savePoll(timed),
          () -> engine.savePoll(choice),
          () -> refused(engine.submitPost(new PostAction("a1", answer(draft, "alice", "Zu früh"))))
              .map(t -> assertRefusal(t, ErrorCode.POLL_NOT_OPEN)),
          () -> refused(engine.submitPost(new PostAction("a2", answer(closed, "alice", "Zu spät"))))
              .map(t -> assertRefusal(t, ErrorCode.POLL_NOT_OPEN)),
          () -> refused(engine.submitPost(new PostAction("a3", answer(choice, "alice", "Falsche Art"))))
              .map(t -> assertRefusal(t, ErrorCode.WRONG_POLL_KIND)),
          () -> refused(engine.submitPost(new PostAction("a4", answer(missing, "alice", "Keine Umfrage"))))
              .map(t -> assertRefusal(t, ErrorCode.UNKNOWN_POLL)),
          () -> engine.submitPost(new PostAction("a5", answer(timed, "alice", "Rechtzeitig"))),
          () -> after(timed.closesAt()),
          () -> refused(engine.submitPost(new PostAction("a6", answer(timed, "bob", "Nach der Frist"))))
              .map(t -> assertRefusal(t, ErrorCode.POLL_CLOSED)),
          () -> engine.posts(stage.id()).map(posts -> assertThat(posts).extracting(v -> v.post().text())
              .containsExactly("Rechtzeitig")),
          () -> engine.savePoll(draft.open(now())),
          () -> engine.submitPost(new PostAction("a1", answer(draft, "alice", "Jetzt offen")))
              .map(r -> assertThat(r.duplicate()).as("a refused action id was not remembered").isFalse()),
          () -> engine.posts(stage.id()).map(posts -> assertThat(posts).extracting(v -> v.post().text())
              .containsExactly("Rechtzeitig", "Jetzt offen")));
    }));
  }

  @Test
  void answersAreModeratedAsPostsAndAResetOrTheStagesDeletionRemovesThem(VertxTestContext test) {
    run(test, () -> newStage().compose(stage -> engine.savePoll(textPoll(true).toPoll(Ids.newId("po"), stage.id(), now())))
        .compose(poll -> {
          Post pending = Post.answer(Ids.newId("qa"), poll.stageId(), poll.id(), "alice", null, "Bitte moderieren",
              new StageSettings(true, false, true), now());
          assertThat(pending.state()).isEqualTo(org.plenum.stage.PostState.PENDING);
          Post approved = pending.approve();
          return sequence(engine.submitPost(new PostAction("m1", pending)),
              () -> engine.updatePost(pending, approved),
              () -> engine.post(poll.stageId(), pending.id()).map(v -> {
                assertThat(v.orElseThrow().post()).isEqualTo(approved);
                assertThat(v.orElseThrow().post().pollId()).isEqualTo(poll.id());
                return null;
              }),
              () -> engine.resetStage(poll.stageId()),
              () -> engine.posts(poll.stageId()).map(posts -> assertThat(posts).hasSize(0)),
              () -> engine.poll(poll.stageId(), poll.id()).map(p -> assertThat(p.orElseThrow().state()).isEqualTo(Phase.DRAFT)),
              () -> engine.savePoll(poll),
              () -> engine.submitPost(new PostAction("m2", answer(poll, "bob", "Nach dem Zurücksetzen"))),
              () -> engine.deleteStage(poll.stageId()),
              () -> engine.posts(poll.stageId()).map(posts -> assertThat(posts).hasSize(0)));
        }));
  }

  @Test
  void answersSurviveARestart(VertxTestContext test) {
    run(test, () -> {
      Engine first = newDurableEngine(vertx);
      Engine before = engine;
      return started(first).compose(e -> {
        engine = first;
        return newStage();
      }).compose(stage -> first.savePoll(textPoll(true).toPoll(Ids.newId("po"), stage.id(), now()))).compose(poll -> {
        Post kept = answer(poll, "alice", "Bleibt nach dem Neustart");
        return first.submitPost(new PostAction("r1", kept))
            .compose(x -> stopped(first))
            .compose(x -> started(newDurableEngine(vertx)))
            .compose(second -> second.posts(poll.stageId()).map(posts -> {
              assertThat(posts).extracting(PostView::post).containsExactly(kept);
              return second;
            }).compose(s -> s.submitPost(new PostAction("r1", answer(poll, "alice", "Nochmal"))))
                .map(r -> assertThat(r).as("the action id survived too").isEqualTo(new PostReceipt(true, kept.id()))));
      }).onComplete(x -> engine = before);
    });
  }
}
