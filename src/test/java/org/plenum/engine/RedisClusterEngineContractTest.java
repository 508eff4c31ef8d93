package org.plenum.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.plenum.config.RedisMode;
import org.plenum.metrics.PlenumMetrics;
import org.plenum.stage.Ids;
import org.plenum.stage.Poll;
import org.plenum.stage.Stage;
import org.plenum.testing.RedisClusterProcess;

/**
 * The whole engine contract against a real three-primary Redis Cluster (redisMode=cluster), plus
 * what only a cluster shows: the catalogue in one slot, per-stage channels subscribed on the node
 * owning the stage's slot, and changes reaching another node through them.
 */
class RedisClusterEngineContractTest extends EngineContractTest {
  private static RedisClusterProcess cluster;

  private final PlenumMetrics metrics = new PlenumMetrics();
  private Vertx otherVertx;
  private RedisEngine other;

  @BeforeAll
  static void startCluster() {
    cluster = RedisClusterProcess.start();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @AfterEach
  void stopOtherNode() throws Exception {
    if (other != null) {
      await(other.stop().otherwiseEmpty());
      await(otherVertx.close());
    }
  }

  static RedisTarget target() {
    return new RedisTarget(RedisMode.CLUSTER, List.of(cluster.urls().split(",")), "mymaster");
  }

  @Override
  protected Engine newEngine(Vertx vertx) {
    return new RedisEngine(vertx, target(), 8, "node-a", ACTION_ID_TTL_MILLIS, metrics, RedisEngine.DEFAULT_COMMAND_TIMEOUT_MS);
  }

  @Override
  protected Engine newDurableEngine(Vertx vertx) {
    return newEngine(vertx);
  }

  @Test
  void theSlotOfAKeyIsComputedAsRedisDoes() {
    for (String key : List.of("plenum:{plenum}:secret", "plenum:{st_x1}:changes", "no-tag", "a{}b", "{}{x}", "x{y")) {
      assertThat(RedisSubscriber.slot(key)).as(key)
          .isEqualTo(((Long) RedisClusterProcess.command(cluster.ports().get(0), "CLUSTER", "KEYSLOT", key)).intValue());
    }
  }

  @Test
  void aStagesChannelIsSubscribedOnItsSlotsPrimaryAndCarriesChangesToAnotherNode(VertxTestContext test) throws Exception {
    otherVertx = newVertx();
    Change.registerCodec(otherVertx);
    other = new RedisEngine(otherVertx, target(), 8, "node-b", ACTION_ID_TTL_MILLIS, metrics, RedisEngine.DEFAULT_COMMAND_TIMEOUT_MS);
    await(other.start());
    // stages in several slots, so their channels live on different primaries (ids are random: four
    // stages all land on one primary in 1 of 27 runs, so keep creating until two primaries are hit)
    List<Stage> stages = new java.util.ArrayList<>();
    while (stages.size() < 4 || stages.stream().map(s -> cluster.primaryOf(RedisEngine.stageChannel(s.id()))).distinct().count() < 2) {
      assertThat(stages).as("random stage ids never reached a second primary").hasSizeLessThan(40);
      stages.add(await(onEventLoop(this::newStage)));
    }
    for (Stage s : stages) {
      await(other.watchStage(s.id()));
    }
    Set<String> channels = await(other.subscribedChannels());
    assertThat(channels).contains(RedisEngine.GLOBAL_CHANNEL);
    for (Stage s : stages) {
      String channel = RedisEngine.stageChannel(s.id());
      assertThat(channels).contains(channel);
      // PUBSUB SHARDCHANNELS on the owning primary lists it: the subscription is where SPUBLISH delivers
      int primary = cluster.primaryOf(channel);
      assertThat((List<?>) RedisClusterProcess.command(primary, "PUBSUB", "SHARDCHANNELS", channel)).as(channel).hasSize(1);
    }
    assertThat(stages.stream().map(s -> cluster.primaryOf(RedisEngine.stageChannel(s.id()))).distinct().count())
        .as("the stages' channels span primaries").isGreaterThan(1);

    Stage last = stages.get(stages.size() - 1);
    Poll poll = single(2, true).toPoll(Ids.newId("po"), last.id(), now());
    Checkpoint heard = test.checkpoint();
    MessageConsumer<Change> there = otherVertx.eventBus().consumer(Change.ADDRESS, message -> {
      if (message.body().equals(new Change(Change.Kind.RESULTS, last.id(), poll.id()))) {
        heard.flag();
      }
    });
    await(there.completion());
    onEventLoop(() -> engine.savePoll(poll).compose(p -> engine.vote(choose(p, "alice", "1", "a")))).onFailure(test::failNow);
  }

  @Test
  void unwatchingTheLastWatchUnsubscribes() throws Exception {
    Stage stage = await(onEventLoop(this::newStage));
    RedisEngine redis = (RedisEngine) engine;
    String channel = RedisEngine.stageChannel(stage.id());
    await(onEventLoop(() -> redis.watchStage(stage.id())));
    await(onEventLoop(() -> redis.watchStage(stage.id())));
    redis.unwatchStage(stage.id());
    assertThat(await(redis.subscribedChannels())).contains(channel);
    redis.unwatchStage(stage.id());
    RedisClusterProcess.await("the primary to drop " + channel, () ->
        ((List<?>) RedisClusterProcess.command(cluster.primaryOf(channel), "PUBSUB", "SHARDCHANNELS", channel)).isEmpty());
    assertThat(await(redis.subscribedChannels())).doesNotContain(channel).contains(RedisEngine.GLOBAL_CHANNEL);
  }
}
