package org.plenum.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
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
import org.plenum.stage.Phase;
import org.plenum.stage.Poll;
import org.plenum.stage.Post;
import org.plenum.stage.PostView;
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
    return new ConfinedEngine(redisEngine(vertx, server.url(), "node-a"), null); // as Engines builds it
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
    Poll mine = single(2, true).toPoll(Ids.newId("po"), stage.id(), now());
    Poll theirs = single(2, true).toPoll(Ids.newId("po"), stage.id(), now());
    await(onEventLoop(() -> engine.watchStage(stage.id())));
    await(other.watchStage(stage.id()));
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
              Map<String, String> expectedTypes = Map.ofEntries(
                  Map.entry(tag + "poll:" + poll.id(), "string"),
                  Map.entry(tag + "polls", "list"),
                  Map.entry(tag + "state:" + poll.id(), "string"),
                  Map.entry(tag + "counts:" + poll.id(), "hash"),
                  Map.entry(tag + "ballots:" + poll.id(), "hash"),
                  Map.entry(tag + "act:alice:act:1", "string"),
                  Map.entry(tag + "presence", "hash"),
                  Map.entry("plenum:{plenum}:stage:" + stage.id(), "string"),
                  Map.entry("plenum:{plenum}:code:" + stage.code(), "string"),
                  Map.entry("plenum:{plenum}:event-stages:" + stage.eventId(), "zset"),
                  Map.entry("plenum:{plenum}:event:" + stage.eventId(), "string"),
                  Map.entry("plenum:{plenum}:events", "zset"),
                  Map.entry("plenum:{plenum}:secret", "string"),
                  Map.entry("plenum:{plenum}:seq", "string"));
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
   * Redis holds the storage schema ({@link StoredForm}, schema 1), not the wire: documents written
   * by earlier versions (whose field names were the wire's then) read back, and a later wire change
   * cannot change what is stored.
   */
  @Test
  void documentsAreStoredInTheStorageSchema(VertxTestContext test) {
    Redis raw = Redis.createClient(vertx, server.url());
    run(test, () -> newStage().compose(stage -> newPoll(stage, single(2, true)).compose(poll -> {
      String tag = "plenum:{" + stage.id() + "}:";
      return raw.send(Request.cmd(Command.GET).arg(tag + "poll:" + poll.id()))
          .map(doc -> {
            io.vertx.core.json.JsonObject stored = new io.vertx.core.json.JsonObject(doc.toString());
            assertThat(stored).isEqualTo(StoredForm.poll(poll));
            assertThat(stored.fieldNames()).containsExactlyInAnyOrder("id", "stageId", "kind", "question", "options",
                "maxSelections", "scale", "state", "resultsVisible", "createdAt", "openedAt", "closedAt", "closesAt");
            return null;
          })
          // A poll document exactly as schema 1 wrote it (by hand, as an older node would have) reads back.
          .compose(x -> raw.send(Request.cmd(Command.SET).arg(tag + "poll:" + poll.id()).arg(
              "{\"id\":\"" + poll.id() + "\",\"stageId\":\"" + stage.id() + "\",\"kind\":\"single\","
                  + "\"question\":\"Schema eins?\",\"options\":[{\"id\":\"a\",\"label\":\"Ja\"},"
                  + "{\"id\":\"b\",\"label\":\"Nein\"}],\"maxSelections\":1,\"scale\":null,\"state\":\"open\","
                  + "\"resultsVisible\":true,\"createdAt\":\"2026-11-01T09:00:00.000Z\","
                  + "\"openedAt\":\"2026-11-01T09:01:00.000Z\",\"closedAt\":null}")))
          .compose(x -> engine.poll(stage.id(), poll.id()))
          .map(read -> {
            Poll p = read.orElseThrow();
            assertThat(p.question()).isEqualTo("Schema eins?");
            assertThat(p.options()).extracting(o -> o.label()).containsExactly("Ja", "Nein");
            assertThat(p.state()).isEqualTo(Phase.OPEN);
            assertThat(p.openedAt()).isEqualTo(Instant.parse("2026-11-01T09:01:00Z"));
            return null;
          });
    })).eventually(raw::close));
  }

  @Test
  void issue3KeysFollowTheDocumentedLayout(VertxTestContext test) {
    Redis raw = Redis.createClient(vertx, server.url());
    run(test, () -> newStage().compose(stage -> newCloud(stage, 3, Phase.OPEN).compose(cloud -> {
      Post post = question(stage, "alice", "Eine Frage?");
      return engine.submitWord(word(cloud, "alice", "w:1", "rad", "Rad"))
          .compose(x -> engine.submitWord(word(cloud, "bob", "w1", "fahrrad", "Fahrrad")))
          .compose(x -> engine.submitWord(word(cloud, "bob", "w2", "bus", "Bus")))
          .compose(x -> engine.mergeWords(stage.id(), cloud.id(), "rad", "fahrrad"))
          .compose(x -> engine.hideWord(stage.id(), cloud.id(), "bus", true))
          .compose(x -> engine.submitPost(new PostAction("ask", post)))
          .compose(x -> engine.upvote(upvote(stage, post.id(), "bob", "up", true)))
          .compose(x -> engine.react(reaction(stage, "carol", "clap", "👏", 1_760_000_040L)))
          .compose(x -> {
            String tag = "plenum:{" + stage.id() + "}:";
            String c = cloud.id();
            Map<String, String> expectedTypes = new java.util.HashMap<>();
            expectedTypes.put(tag + "cloud:" + c, "string");
            expectedTypes.put(tag + "clouds", "list");
            expectedTypes.put(tag + "cloud-state:" + c, "string");
            expectedTypes.put(tag + "cloud-meta:" + c, "hash");
            expectedTypes.put(tag + "cloud-rank:" + c, "zset");
            expectedTypes.put(tag + "cloud-who:" + c + ":fahrrad", "set");
            expectedTypes.put(tag + "cloud-who:" + c + ":rad", "none");
            expectedTypes.put(tag + "cloud-spell:" + c + ":fahrrad", "hash");
            expectedTypes.put(tag + "cloud-spell:" + c + ":rad", "none");
            expectedTypes.put(tag + "cloud-mine:" + c + ":alice", "set");
            expectedTypes.put(tag + "cloud-merged:" + c, "hash");
            expectedTypes.put(tag + "cloud-hidden:" + c, "set");
            expectedTypes.put(tag + "post:" + post.id(), "hash");
            expectedTypes.put(tag + "posts", "list");
            expectedTypes.put(tag + "upvoters:" + post.id(), "set");
            expectedTypes.put(tag + "upvoted:bob", "set");
            expectedTypes.put(tag + "reactions", "hash");
            expectedTypes.put(tag + "reaction-minutes", "hash");
            expectedTypes.put(tag + "act:alice:w:1", "string");
            expectedTypes.put(tag + "act:alice:ask", "string");
            expectedTypes.put(tag + "act:carol:clap", "string");
            List<Future<Response>> types = expectedTypes.keySet().stream()
                .map(key -> raw.send(Request.cmd(Command.TYPE).arg(key))
                    .map(type -> {
                      assertThat(type.toString()).as(key).isEqualTo(expectedTypes.get(key));
                      return type;
                    }))
                .toList();
            return Future.all(types)
                .compose(all -> raw.send(Request.cmd(Command.GET).arg(tag + "act:alice:ask")))
                .map(value -> assertThat(value.toString()).as("a post's action id names the post").isEqualTo(post.id()))
                .compose(all -> raw.send(Request.cmd(Command.SMEMBERS).arg(tag + "cloud-mine:" + c + ":alice")))
                .map(keys -> assertThat(keys.toString()).isEqualTo("[fahrrad]"))
                .compose(all -> raw.send(Request.cmd(Command.HGET).arg(tag + "cloud-merged:" + c).arg("rad")))
                .map(into -> assertThat(into.toString()).isEqualTo("fahrrad"))
                .compose(all -> raw.send(Request.cmd(Command.PTTL).arg(tag + "act:carol:clap")))
                .map(ttl -> assertThat(ttl.toLong()).isBetween(1L, ACTION_ID_TTL_MILLIS));
          })
          .map(x -> {
            Map<String, Long> calls = Map.of("submit_word", 3L, "merge_words", 1L, "hide_word", 1L, "submit_post", 1L,
                "upvote", 1L, "react", 1L);
            calls.forEach((script, count) ->
                assertThat(metrics.registry().find("plenum.redis.command").tag("command", script).timer())
                    .as(script).isNotNull().extracting(t -> t.count()).isEqualTo(count));
            return null;
          });
    })).eventually(raw::close));
  }

  /** A question asked on node B reaches node A, is upvoted there, and B sees the upvote. */
  @Test
  void postChangesReachOtherNodes(VertxTestContext test) throws Exception {
    RedisEngine other = otherNode(server.url());
    Vertx otherVertx = otherNodes.get(0);
    Stage stage = await(onEventLoop(this::newStage));
    Post post = question(stage, "alice", "Gilt das auch für Kommunen?");
    await(onEventLoop(() -> engine.watchStage(stage.id())));
    await(other.watchStage(stage.id()));
    Checkpoint upvoteSeenThere = test.checkpoint();
    java.util.concurrent.atomic.AtomicBoolean asked = new java.util.concurrent.atomic.AtomicBoolean();
    MessageConsumer<Change> here = vertx.eventBus().consumer(Change.ADDRESS, message -> {
      // The first POST change here is B's question; the next is this node's own upvote.
      if (message.body().equals(new Change(Change.Kind.POST, stage.id(), post.id())) && asked.compareAndSet(false, true)) {
        engine.post(stage.id(), post.id())
            .map(view -> {
              test.verify(() -> assertThat(view).contains(new PostView(post, 0, 1)));
              return view;
            })
            .compose(view -> engine.upvote(upvote(stage, post.id(), "bob", "1", true)))
            .onFailure(test::failNow);
      }
    });
    MessageConsumer<Change> there = otherVertx.eventBus().consumer(Change.ADDRESS, message -> {
      if (message.body().equals(new Change(Change.Kind.POST, stage.id(), post.id()))) {
        other.post(stage.id(), post.id()).onComplete(test.succeeding(view -> test.verify(() -> {
          if (view.orElseThrow().upvotes() == 1) {
            assertThat(view).contains(new PostView(post, 1, 2));
            upvoteSeenThere.flag();
          }
        })));
      }
    });
    await(here.completion());
    await(there.completion());
    otherVertx.getOrCreateContext().runOnContext(v -> other.submitPost(new PostAction("ask", post)).onFailure(test::failNow));
  }

  /**
   * Commands from an event loop go over that loop's own long-lived connection: once the loop has
   * sent its first command, a burst of 300 concurrent votes from it opens no further connection
   * (not one per command, nor one per call), and every vote is counted once.
   */
  @Test
  void aBurstFromOneEventLoopOpensNoFurtherConnection() throws Exception {
    try (RedisServerProcess own = RedisServerProcess.start()) {
      RedisEngine node = redisEngine(vertx, own.url(), "node-a");
      await(started(node));
      Redis raw = Redis.createClient(vertx, own.url());
      io.vertx.core.Context loop = vertx.getOrCreateContext();
      Stage stage = await(on(loop, () -> stageOn(node)));
      Poll poll = await(on(loop, () -> node.savePoll(single(2, true).toPoll(Ids.newId("po"), stage.id(), now()))));
      long before = connectedClients(raw);
      List<VoteReceipt> receipts = await(on(loop, () -> {
        List<Future<VoteReceipt>> votes = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
          votes.add(node.vote(choose(poll, "voter-" + i, "burst", i % 2 == 0 ? "a" : "b")));
        }
        return Future.all(votes).map(all -> all.<VoteReceipt>list());
      }));
      assertThat(receipts).hasSize(300).allMatch(r -> !r.duplicate());
      assertThat(connectedClients(raw)).isEqualTo(before);
      assertThat(await(on(loop, () -> node.results(poll))).voters()).isEqualTo(300);
      await(raw.close());
      await(stopped(node));
    }
  }

  private static <T> Future<T> on(io.vertx.core.Context context, java.util.function.Supplier<Future<T>> body) {
    io.vertx.core.Promise<T> promise = io.vertx.core.Promise.promise();
    context.runOnContext(v -> body.get().onComplete(promise));
    return promise.future();
  }

  private long connectedClients(Redis raw) throws Exception {
    String info = await(raw.send(Request.cmd(Command.INFO).arg("clients"))).toString();
    return info.lines().filter(l -> l.startsWith("connected_clients:"))
        .mapToLong(l -> Long.parseLong(l.substring("connected_clients:".length()).trim())).findFirst().orElseThrow();
  }

  /**
   * Redis goes away and comes back (empty, as configured here): the engine reports not ready, a
   * write fails instead of hanging, and afterwards it is ready again, its scripts work on the new
   * server and the other node hears its changes again (its subscription was restored).
   */
  @Test
  void engineIsNotReadyWhileRedisIsDownAndRecovers() throws Exception {
    try (RedisServerProcess own = RedisServerProcess.start()) {
      RedisEngine node = redisEngine(vertx, own.url(), "node-a");
      await(started(node));
      RedisEngine other = otherNode(own.url());
      assertThat(node.isReady()).isTrue();
      Stage before = await(onEventLoop(() -> stageOn(node)));
      Poll poll = await(node.savePoll(single(2, true).toPoll(Ids.newId("po"), before.id(), now())));

      own.stop();
      await(when(() -> !node.isReady() && !other.isSubscribed()));
      Throwable failure = await(refused(node.vote(choose(poll, "alice", "1", "a"))));
      assertThat(failure).isNotInstanceOf(org.plenum.protocol.PlenumException.class);

      own.restart();
      await(when(() -> node.isReady() && other.isSubscribed()));
      Stage after = await(onEventLoop(() -> stageOn(node)));
      await(other.watchStage(after.id()));
      Poll fresh = single(2, true).toPoll(Ids.newId("po"), after.id(), now());
      Promise<Void> heard = Promise.promise();
      MessageConsumer<Change> there = otherNodes.get(0).eventBus().consumer(Change.ADDRESS, message -> {
        if (message.body().equals(new Change(Change.Kind.RESULTS, after.id(), fresh.id()))) {
          heard.tryComplete();
        }
      });
      await(there.completion());
      VoteReceipt receipt = await(onEventLoop(() -> node.savePoll(fresh).compose(p -> node.vote(choose(p, "alice", "1", "a")))));
      assertThat(receipt).isEqualTo(new VoteReceipt(false, 1));
      org.plenum.testing.Await.await(heard.future(), 30);
      await(stopped(node));
      await(other.stop());
    }
  }

  /**
   * After an outage the engine cannot know which changes it missed: once Redis answers again it
   * announces a resync locally (never to the other nodes), so every hub re-reads its stages.
   */
  @Test
  void aResyncIsAnnouncedLocallyOnceRedisIsBack() throws Exception {
    try (RedisServerProcess own = RedisServerProcess.start()) {
      RedisEngine node = redisEngine(vertx, own.url(), "node-a");
      await(started(node));
      own.stop();
      await(when(() -> !node.isReady()));
      // announced again a tick later, and after the resubscription: the first one is enough here
      Promise<Change> resynced = Promise.promise();
      MessageConsumer<Change> here = vertx.eventBus().consumer(Change.ADDRESS, message -> {
        if (message.body().kind() == Change.Kind.RESYNC) {
          resynced.tryComplete(message.body());
        }
      });
      await(here.completion());
      own.restart();
      assertThat(org.plenum.testing.Await.await(resynced.future(), 30)).isEqualTo(Change.resync());
      await(here.unregister());
      await(stopped(node));
    }
  }

  /**
   * A deployment from before the {@code {plenum}} hash tag: its catalogue keys are renamed to the new
   * names on start, so events, stages, join codes, moderator tokens and the token secret all stay;
   * a stage's own keys are untouched; a second start (another node) changes nothing; and a key that
   * exists under both names is left as it is.
   */
  @Test
  void anOldStandaloneCatalogueIsMovedUnderTheHashTagOnceAndNothingIsLost() throws Exception {
    try (RedisServerProcess own = RedisServerProcess.start()) {
      Redis raw = Redis.createClient(vertx, own.url());
      RedisEngine before = redisEngine(vertx, own.url(), "node-a");
      await(started(before));
      Stage stage = await(onEventLoop(() -> stageOn(before)));
      org.plenum.stage.ModeratorAccess access = moderator(stage.eventId(), "Saal 1");
      await(onEventLoop(() -> before.saveModerator(access)));
      Poll poll = await(onEventLoop(() -> before.savePoll(single(2, true).toPoll(Ids.newId("po"), stage.id(), now()))));
      byte[] secret = await(before.tokenSecret());
      await(stopped(before));

      // turn it into an old deployment: every catalogue key back to its name without the tag
      List<String> catalogue = keys(raw, "plenum:{plenum}:*");
      assertThat(catalogue).hasSizeGreaterThanOrEqualTo(9);
      for (String key : catalogue) {
        await(raw.send(Request.cmd(Command.RENAME).arg(key).arg("plenum:" + key.substring("plenum:{plenum}:".length()))));
      }
      await(raw.send(Request.cmd(Command.SET).arg("plenum:unrelated").arg("x")));
      List<String> stageKeys = keys(raw, "plenum:{" + stage.id() + "}:*");

      RedisEngine after = redisEngine(vertx, own.url(), "node-a");
      await(started(after));
      assertThat(keys(raw, "plenum:[^{]*")).as("old keys left").containsExactly("plenum:unrelated");
      assertThat(keys(raw, "plenum:{plenum}:*")).containsExactlyInAnyOrderElementsOf(catalogue);
      assertThat(keys(raw, "plenum:{" + stage.id() + "}:*")).containsExactlyInAnyOrderElementsOf(stageKeys);
      assertThat(await(after.tokenSecret())).as("participant tokens stay valid").isEqualTo(secret);
      assertThat(await(onEventLoop(after::events))).extracting(org.plenum.stage.Event::id).contains(stage.eventId());
      assertThat(await(onEventLoop(() -> after.stages(stage.eventId())))).containsExactly(stage);
      assertThat(await(onEventLoop(() -> after.stageByCode(stage.code())))).contains(stage);
      assertThat(await(onEventLoop(() -> after.moderatorByTokenHash(access.tokenHash())))).contains(access);
      assertThat(await(onEventLoop(() -> after.polls(stage.id())))).containsExactly(poll);
      Stage next = await(onEventLoop(() -> stageOn(after)));
      assertThat(await(onEventLoop(() -> after.stages(next.eventId())))).containsExactly(next);

      // a key under both names (an old node wrote it after the move): the new one wins, the old is kept
      await(raw.send(Request.cmd(Command.SET).arg("plenum:code:" + stage.code()).arg("st_stale")));
      RedisEngine again = redisEngine(vertx, own.url(), "node-b");
      await(started(again));
      assertThat(await(onEventLoop(() -> again.stageByCode(stage.code())))).contains(stage);
      assertThat(keys(raw, "plenum:[^{]*")).containsExactlyInAnyOrder("plenum:unrelated", "plenum:code:" + stage.code());
      assertThat(await(again.tokenSecret())).isEqualTo(secret);
      await(stopped(again));
      await(stopped(after));
      await(raw.close());
    }
  }

  @Test
  void aDeletedEventLeavesNoKeyOfItInRedis(VertxTestContext test) throws Exception {
    Redis raw = Redis.createClient(vertx, server.url());
    Stage stage = await(onEventLoop(this::newStage));
    Stage second = new Stage(Ids.newId("st"), stage.eventId(), "Side", Ids.newJoinCode(), now(), org.plenum.stage.StageSettings.DEFAULT);
    Stage unrelated = await(onEventLoop(this::newStage));
    String token = org.plenum.stage.ModeratorAccess.newToken();
    var access = new org.plenum.stage.ModeratorAccess(Ids.newId("md"), stage.eventId(), "Team",
        org.plenum.stage.ModeratorAccess.hash(token), now());
    await(onEventLoop(() -> engine.createStage(second).compose(x -> busyStage(stage)).compose(x -> busyStage(second))
        .compose(x -> busyStage(unrelated)).compose(x -> engine.saveModerator(access))
        .compose(x -> engine.reportPresence("node-a/0", stage.id(), new Presence(1, 0, 0), 60_000))));
    List<String> names = List.of(stage.id(), second.id(), stage.eventId(), stage.code(), second.code(), access.id(),
        access.tokenHash());
    assertThat(scanAll(raw)).as("the event's keys before").anyMatch(k -> names.stream().anyMatch(k::contains));

    await(onEventLoop(() -> engine.deleteEvent(stage.eventId())));

    List<String> left = scanAll(raw);
    assertThat(left).as("SCAN 0 MATCH * after the deletion").noneMatch(k -> names.stream().anyMatch(k::contains));
    assertThat(left).as("another event's keys stay").anyMatch(k -> k.contains(unrelated.id()));
    // a write in flight that lands after the deletion is swept by the next finishDeletions
    await(onEventLoop(() -> engine.react(reaction(stage, "late", "r9", "👏", 0))));
    assertThat(scanAll(raw)).anyMatch(k -> k.contains(stage.id()));
    assertThat(await(onEventLoop(() -> engine.finishDeletions()))).isGreaterThanOrEqualTo(2);
    assertThat(scanAll(raw)).noneMatch(k -> names.stream().anyMatch(k::contains));
    await(raw.close());
    test.completeNow();
  }

  @Test
  void aDeletionACrashInterruptedIsFinishedByTheSweep(VertxTestContext test) throws Exception {
    Redis raw = Redis.createClient(vertx, server.url());
    Stage stage = await(onEventLoop(this::newStage));
    Stage other = await(onEventLoop(this::newStage));
    await(onEventLoop(() -> busyStage(stage).compose(x -> busyStage(other))));
    // as a crash would leave them: the stage marked and gone from the catalogue, its keys still there;
    // the other event marked as being deleted and nothing of it deleted yet
    await(raw.send(Request.cmd(Command.HSET).arg("plenum:{plenum}:deleting").arg(stage.id())
        .arg(new io.vertx.core.json.JsonObject().put("event", stage.eventId()).put("code", stage.code())
            .put("at", System.currentTimeMillis()).encode())));
    await(raw.send(Request.cmd(Command.DEL).arg("plenum:{plenum}:stage:" + stage.id())));
    await(raw.send(Request.cmd(Command.HSET).arg("plenum:{plenum}:deleting").arg("event:" + other.eventId())
        .arg(new io.vertx.core.json.JsonObject().put("at", System.currentTimeMillis()).encode())));
    assertThat(scanAll(raw)).anyMatch(k -> k.contains(stage.id()));

    await(onEventLoop(() -> engine.finishDeletions()));

    List<String> left = scanAll(raw);
    for (String gone : List.of(stage.id(), stage.code(), other.id(), other.eventId(), other.code())) {
      assertThat(left).as(gone).noneMatch(k -> k.contains(gone));
    }
    assertThat(await(onEventLoop(() -> engine.event(other.eventId())))).isEmpty();
    assertThat(await(onEventLoop(() -> engine.stages(stage.eventId())))).isEmpty();
    await(raw.close());
    test.completeNow();
  }

  /** Every key in the server, by a full SCAN (as an operator would check). */
  private List<String> scanAll(Redis raw) throws Exception {
    List<String> out = new java.util.ArrayList<>();
    String cursor = "0";
    do {
      Response reply = await(raw.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg("*").arg("COUNT").arg(1000)));
      cursor = reply.get(0).toString();
      reply.get(1).forEach(k -> out.add(k.toString()));
    } while (!cursor.equals("0"));
    return out;
  }

  private List<String> keys(Redis raw, String pattern) throws Exception {
    Response reply = await(raw.send(Request.cmd(Command.KEYS).arg(pattern)));
    List<String> out = new java.util.ArrayList<>();
    reply.forEach(k -> out.add(k.toString()));
    return out;
  }

  private Future<Stage> stageOn(Engine e) {
    Instant now = now();
    org.plenum.stage.Event event = new org.plenum.stage.Event(Ids.newId("ev"), "Congress", now, java.util.List.of());
    return e.createEvent(event)
        .compose(x -> e.createStage(new Stage(Ids.newId("st"), event.id(), "Main", Ids.newJoinCode(), now, org.plenum.stage.StageSettings.DEFAULT)));
  }
}
