package org.plenum.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxTestContext;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.plenum.metrics.PlenumMetrics;
import org.plenum.stage.Ids;
import org.plenum.stage.Poll;
import org.plenum.stage.Presence;
import org.plenum.stage.Stage;
import org.plenum.testing.RedisServerProcess;

/**
 * The contract against the Redis engine, on a real redis-server started once for the class (tests
 * use fresh ids, so they share it), plus what only a shared store can show: several nodes.
 */
class RedisEngineContractTest extends EngineContractTest {
  private static RedisServerProcess server;

  private final PlenumMetrics metrics = new PlenumMetrics();
  private final List<Vertx> otherNodes = new CopyOnWriteArrayList<>();
  private final List<Engine> otherEngines = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startRedis() {
    server = RedisServerProcess.start();
  }

  @AfterAll
  static void stopRedis() {
    if (server != null) {
      server.close();
    }
  }

  @AfterEach
  void stopOtherNodes() throws Exception {
    for (Engine other : otherEngines) {
      await(other.stop().otherwiseEmpty());
    }
    for (Vertx node : otherNodes) {
      await(node.close());
    }
  }

  @Override
  protected Engine newEngine(Vertx vertx) {
    return redisEngine(vertx, server.url(), "node-a");
  }

  @Override
  protected Engine newDurableEngine(Vertx vertx) {
    return newEngine(vertx);
  }

  private RedisEngine redisEngine(Vertx vertx, String url, String nodeId) {
    return new RedisEngine(vertx, url, 8, nodeId, ACTION_ID_TTL_MILLIS, metrics);
  }

  /** A second node: its own Vert.x (own event bus) and engine on the same Redis. */
  private RedisEngine otherNode(String url) throws Exception {
    Vertx node = newVertx();
    otherNodes.add(node);
    Change.registerCodec(node);
    RedisEngine other = redisEngine(node, url, "node-b");
    await(other.start());
    otherEngines.add(other);
    return other;
  }

  @Test
  void changesReachOtherNodesButNotTheirOrigin(VertxTestContext test) throws Exception {
    RedisEngine other = otherNode(server.url());
    Vertx otherVertx = otherNodes.get(0);
    Stage stage = await(onEventLoop(this::newStage));
    Poll mine = single(2, true).toPoll(Ids.newId("po"), stage.id(), Instant.now());
    Poll theirs = single(2, true).toPoll(Ids.newId("po"), stage.id(), Instant.now());
    List<Change> seenHere = new CopyOnWriteArrayList<>();
    Checkpoint done = test.checkpoint();

    // This node hears its own changes once (locally), then the other node's change via Redis. Redis
    // delivers in publish order, so an echo of our own change would arrive before theirs.
    MessageConsumer<Change> here = vertx.eventBus().consumer(Change.ADDRESS, message -> {
      Change change = message.body();
      if (!change.stageId().equals(stage.id())) {
        return;
      }
      seenHere.add(change);
      if (change.id().equals(theirs.id()) && change.kind() == Change.Kind.RESULTS) {
        test.verify(() -> assertThat(seenHere).containsExactly(
            new Change(Change.Kind.POLL, stage.id(), mine.id()),
            new Change(Change.Kind.RESULTS, stage.id(), mine.id()),
            new Change(Change.Kind.POLL, stage.id(), theirs.id()),
            new Change(Change.Kind.RESULTS, stage.id(), theirs.id())));
        done.flag();
      }
    });
    // The other node votes once it has heard both of ours, so the order above is certain.
    List<Change> seenThere = new CopyOnWriteArrayList<>();
    MessageConsumer<Change> there = otherVertx.eventBus().consumer(Change.ADDRESS, message -> {
      Change change = message.body();
      if (!change.stageId().equals(stage.id()) || !change.id().equals(mine.id())) {
        return;
      }
      seenThere.add(change);
      if (change.kind() == Change.Kind.RESULTS) {
        other.savePoll(theirs)
            .compose(p -> other.vote(choose(p, "bob", "1", "b")))
            .onFailure(test::failNow);
      }
    });
    await(here.completion());
    await(there.completion());
    onEventLoop(() -> engine.savePoll(mine).compose(p -> engine.vote(choose(p, "alice", "1", "a"))))
        .onFailure(test::failNow);
  }

  @Test
  void allNodesShareOneTokenSecret(VertxTestContext test) throws Exception {
    RedisEngine other = otherNode(server.url());
    byte[] mine = await(engine.tokenSecret());
    byte[] theirs = await(other.tokenSecret());
    test.verify(() -> assertThat(theirs).isEqualTo(mine));
    test.completeNow();
  }

  @Test
  void votesStillWorkAfterTheScriptCacheIsFlushed(VertxTestContext test) {
    Redis raw = Redis.createClient(vertx, server.url());
    run(test, () -> newStage()
        .compose(stage -> newPoll(stage, single(2, true)))
        .compose(poll -> raw.send(Request.cmd(Command.SCRIPT).arg("FLUSH"))
            .compose(x -> engine.vote(choose(poll, "alice", "1", "a")))
            .map(r -> assertThat(r).isEqualTo(new VoteReceipt(false, 1)))
            .compose(x -> engine.vote(choose(poll, "alice", "1", "a")))
            .map(r -> assertThat(r).isEqualTo(new VoteReceipt(true, 1))))
        .eventually(raw::close));
  }

  @Test
  void keysFollowTheDocumentedLayout(VertxTestContext test) {
    Redis raw = Redis.createClient(vertx, server.url());
    run(test, () -> newStage().compose(stage -> newPoll(stage, single(2, true))
        .compose(poll -> engine.vote(choose(poll, "alice", "act:1", "a"))
            .compose(x -> engine.reportPresence("node-a/0", stage.id(), new Presence(1, 0, 0), 60_000))
            .compose(x -> {
              String tag = "plenum:{" + stage.id() + "}:";
              Map<String, String> expectedTypes = Map.of(
                  tag + "poll:" + poll.id(), "string",
                  tag + "polls", "list",
                  tag + "state:" + poll.id(), "string",
                  tag + "counts:" + poll.id(), "hash",
                  tag + "ballots:" + poll.id(), "hash",
                  tag + "act:alice:act:1", "string",
                  tag + "presence", "hash",
                  "plenum:stage:" + stage.id(), "string",
                  "plenum:code:" + stage.code(), "string",
                  "plenum:event-stages:" + stage.eventId(), "zset");
              List<Future<Response>> types = expectedTypes.keySet().stream()
                  .map(key -> raw.send(Request.cmd(Command.TYPE).arg(key))
                      .map(type -> {
                        assertThat(type.toString()).as(key).isEqualTo(expectedTypes.get(key));
                        return type;
                      }))
                  .toList();
              return Future.all(types)
                  .compose(all -> raw.send(Request.cmd(Command.GET).arg(tag + "state:" + poll.id())))
                  .map(state -> assertThat(state.toString()).isEqualTo("open"))
                  .compose(state -> raw.send(Request.cmd(Command.PTTL).arg(tag + "act:alice:act:1")))
                  .map(ttl -> assertThat(ttl.toLong()).isBetween(1L, ACTION_ID_TTL_MILLIS));
            }))
        .map(x -> {
          assertThat(metrics.registry().find("plenum.redis.command").tag("command", "vote").timer())
              .isNotNull().extracting(t -> t.count()).isEqualTo(1L);
          return null;
        })
        .eventually(raw::close)));
  }

  /**
   * Redis goes away and comes back (empty, as configured here): the engine reports not ready, a
   * write fails instead of hanging, and afterwards it is ready again, its scripts work on the new
   * server and the other node hears its changes again (its subscription was restored).
   */
  @Test
  void engineIsNotReadyWhileRedisIsDownAndRecovers(VertxTestContext test) throws Exception {
    try (RedisServerProcess own = RedisServerProcess.start()) {
      RedisEngine node = redisEngine(vertx, own.url(), "node-a");
      await(started(node));
      RedisEngine other = otherNode(own.url());
      assertThat(node.isReady()).isTrue();
      Stage before = await(onEventLoop(() -> stageOn(node)));
      Poll poll = await(node.savePoll(single(2, true).toPoll(Ids.newId("po"), before.id(), Instant.now())));

      own.stop();
      await(when(() -> !node.isReady() && !other.isSubscribed()));
      Throwable failure = await(refused(node.vote(choose(poll, "alice", "1", "a"))));
      assertThat(failure).isNotInstanceOf(org.plenum.protocol.PlenumException.class);

      own.restart();
      await(when(() -> node.isReady() && other.isSubscribed()));
      Stage after = await(onEventLoop(() -> stageOn(node)));
      Poll fresh = single(2, true).toPoll(Ids.newId("po"), after.id(), Instant.now());
      Checkpoint heard = test.checkpoint();
      MessageConsumer<Change> there = otherNodes.get(0).eventBus().consumer(Change.ADDRESS, message -> {
        if (message.body().equals(new Change(Change.Kind.RESULTS, after.id(), fresh.id()))) {
          heard.flag();
        }
      });
      await(there.completion());
      onEventLoop(() -> node.savePoll(fresh).compose(p -> node.vote(choose(p, "alice", "1", "a"))))
          .onComplete(test.succeeding(r -> test.verify(() -> assertThat(r).isEqualTo(new VoteReceipt(false, 1)))));
      assertThat(test.awaitCompletion(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      await(stopped(node));
      await(other.stop());
    }
  }

  private Future<Stage> stageOn(Engine e) {
    Instant now = Instant.now();
    org.plenum.stage.Event event = new org.plenum.stage.Event(Ids.newId("ev"), "Congress", now);
    return e.createEvent(event)
        .compose(x -> e.createStage(new Stage(Ids.newId("st"), event.id(), "Main", Ids.newJoinCode(), now)));
  }
}
