package org.plenum.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.plenum.testing.Await.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.plenum.PlenumServer;
import org.plenum.metrics.PlenumMetrics;
import org.plenum.testing.Http;
import org.plenum.testing.TestServer;
import org.plenum.testing.TestVertx;
import org.plenum.testing.WsClient;

/**
 * One read model per stage per node: a node with four gateways, each on its own event loop, reads
 * and encodes each changed aggregate once per tick and every loop writes the same frames to its
 * sessions. Connections are spread over the gateways in turn, so consecutive clients sit on
 * different loops.
 */
class ReadModelTest {
  private static final int LOOPS = 4;
  private Vertx serverVertx;
  private Vertx clientVertx;
  private PlenumServer server;
  private PlenumMetrics metrics;
  private Http http;
  private String stageId;

  @BeforeEach
  void start() {
    serverVertx = TestVertx.create(LOOPS);
    clientVertx = TestVertx.create();
    metrics = new PlenumMetrics();
    server = await(TestServer.startWithInstances(serverVertx, LOOPS, metrics));
    http = new Http(clientVertx, server.port(), TestServer.ORGANISER_TOKEN);
    stageId = await(http.stage()).getString("id");
  }

  @AfterEach
  void stop() {
    await(server.stop());
    await(clientVertx.close());
    await(serverVertx.close());
    TestVertx.assertNoBlockedLoops();
  }

  private WsClient connect() {
    return await(WsClient.connect(clientVertx, server.port()));
  }

  private List<WsClient> viewers(int n) {
    List<WsClient> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      WsClient v = connect();
      await(v.join(stageId));
      out.add(v);
    }
    return out;
  }

  private List<WsClient> moderators(int n) {
    List<WsClient> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      WsClient m = connect();
      await(m.joinAsModerator(stageId, TestServer.ORGANISER_TOKEN));
      out.add(m);
    }
    return out;
  }

  private static boolean results(JsonObject m, String pollId) {
    return "results".equals(m.getString("type")) && pollId.equals(m.getJsonObject("results").getString("pollId"));
  }

  /** The results frames a client got for the poll, up to and including the one of {@code version}. */
  private static List<JsonObject> resultsUpTo(WsClient c, String pollId, long version) {
    JsonObject last = await(c.next(m -> results(m, pollId) && m.getJsonObject("results").getLong("version") == version));
    List<JsonObject> seen = new ArrayList<>();
    for (JsonObject m : c.inbox()) {
      if (results(m, pollId)) {
        seen.add(m);
      }
    }
    seen.add(last);
    return seen;
  }

  private long resultsVersion(String pollId) {
    JsonArray polls = new JsonArray(await(http.get("/api/v1/stages/" + stageId + "/polls")).body().toString());
    for (int i = 0; i < polls.size(); i++) {
      JsonObject entry = polls.getJsonObject(i);
      if (pollId.equals(entry.getJsonObject("poll").getString("id"))) {
        return entry.getJsonObject("results").getLong("version");
      }
    }
    throw new AssertionError("no poll " + pollId);
  }

  @Test
  void viewersAndModeratorsOnEveryLoopGetTheSameResultFramesForABurst() {
    String pollId = await(http.openPoll(stageId)).getJsonObject("poll").getString("id");
    List<WsClient> moderators = moderators(LOOPS);
    List<WsClient> viewers = viewers(2 * LOOPS);
    List<Future<JsonObject>> acks = new ArrayList<>();
    for (int round = 0; round < 5; round++) {
      for (int i = 0; i < viewers.size(); i++) {
        // the last round: viewers 0..5 on "a", 6..7 on "b"
        String choice = round < 4 ? (round + i) % 2 == 0 ? "a" : "c" : i < 6 ? "a" : "b";
        acks.add(viewers.get(i).vote(pollId, choice));
      }
    }
    acks.forEach(ack -> assertThat(await(ack).getString("type")).isEqualTo("ack"));
    long version = resultsVersion(pollId);
    assertThat(version).isGreaterThanOrEqualTo(40);

    List<JsonObject> first = null;
    for (WsClient m : moderators) {
      List<JsonObject> seen = resultsUpTo(m, pollId, version);
      JsonObject last = seen.get(seen.size() - 1).getJsonObject("results");
      assertThat(last.getLong("voters")).isEqualTo(8);
      assertThat(last.getJsonObject("counts").getMap()).containsEntry("a", 6).containsEntry("b", 2);
      if (first == null) {
        first = seen;
      } else {
        assertThat(seen).as("every moderator, on every loop, got the same frames").isEqualTo(first);
      }
    }
    first = null;
    for (WsClient v : viewers) {
      List<JsonObject> seen = resultsUpTo(v, pollId, version);
      if (first == null) {
        first = seen;
      } else {
        assertThat(seen).as("every viewer, on every loop, got the same frames").isEqualTo(first);
      }
    }
    JsonObject last = first.get(first.size() - 1).getJsonObject("results");
    assertThat(last.getJsonObject("counts").getMap()).containsEntry("a", 6).containsEntry("b", 2);
  }

  @Test
  void votesNobodyHereMaySeeCauseNoResultReads() {
    // results hidden from viewers, no moderator on the node: nobody to push results to
    JsonObject created = await(http.post("/api/v1/stages/" + stageId + "/polls", new JsonObject().put("kind", "single")
        .put("question", "Which?").put("options", new JsonArray().add("A").add("B")).put("open", true))).json();
    String pollId = created.getJsonObject("poll").getString("id");
    List<WsClient> viewers = viewers(LOOPS);
    double before = metrics.readModelReads("results");
    List<Future<JsonObject>> acks = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      acks.add(viewers.get(i % viewers.size()).vote(pollId, i % 2 == 0 ? "a" : "b"));
    }
    acks.forEach(ack -> assertThat(await(ack).getString("type")).isEqualTo("ack"));
    // a reaction after the votes: once it is pushed, viewer and moderator ticks have run since the votes
    assertThat(await(viewers.get(0).request(new JsonObject().put("type", "react").put("id", "r1").put("emoji", "👏")))
        .getString("type")).isEqualTo("ack");
    for (WsClient v : viewers) {
      await(v.nextOfType("reactions"));
    }
    assertThat(metrics.readModelReads("results")).as("results reads for 20 votes nobody may see").isEqualTo(before);
    assertThat(metrics.readModelReads("reactions")).as("one reactions read for four loops").isEqualTo(1);
  }

  @Test
  void subscribersOnFourLoopsCostOneReadPerChangedAggregatePerTick() {
    String pollId = await(http.openPoll(stageId)).getJsonObject("poll").getString("id");
    List<WsClient> moderators = moderators(LOOPS);
    List<WsClient> viewers = viewers(LOOPS);
    double before = metrics.readModelReads("results");
    double encodedBefore = metrics.readModelEncodes("results");
    int votes = 10;
    for (int i = 0; i < votes; i++) {
      // one vote at a time, each pushed to every moderator before the next: one dirty aggregate per tick
      long version = i + 1;
      assertThat(await(viewers.get(i % LOOPS).vote(pollId, i % 2 == 0 ? "a" : "b")).getString("type")).isEqualTo("ack");
      for (WsClient m : moderators) {
        await(m.next(x -> results(x, pollId) && x.getJsonObject("results").getLong("version") == version));
      }
    }
    for (WsClient v : viewers) {
      await(v.next(x -> results(x, pollId) && x.getJsonObject("results").getLong("version") == votes));
    }
    double reads = metrics.readModelReads("results") - before;
    double encodes = metrics.readModelEncodes("results") - encodedBefore;
    // moderators: one read per vote; viewers (a slower tick): at most one per vote. With a model
    // per event loop this was up to four times as many.
    assertThat(reads).as("results reads for %d votes, subscribers on %d loops", votes, LOOPS)
        .isGreaterThanOrEqualTo(votes).isLessThanOrEqualTo(2 * votes);
    assertThat(encodes).as("results encodes").isLessThanOrEqualTo(reads);
  }

  @Test
  void aParticipantOnSeveralLoopsIsCountedOnce() {
    WsClient moderator = connect();
    await(moderator.joinAsModerator(stageId, TestServer.ORGANISER_TOKEN));
    WsClient first = connect();
    await(first.join(stageId));
    List<WsClient> sameToken = new ArrayList<>();
    for (int i = 0; i < LOOPS - 1; i++) {
      WsClient again = connect();
      again.token = first.token;
      JsonObject joined = await(again.join(stageId));
      assertThat(joined.getJsonObject("participant").getString("id")).isEqualTo(first.participantId);
      sameToken.add(again);
    }
    WsClient other = connect();
    await(other.join(stageId));
    // a moderator's join reports the node's counts at once and reads the sum
    JsonObject presence = await(connect().joinAsModerator(stageId, TestServer.ORGANISER_TOKEN)).getJsonObject("presence");
    assertThat(presence.getLong("viewers")).as("two people on %d sockets over %d loops", LOOPS + 1, LOOPS).isEqualTo(2);
    assertThat(presence.getLong("moderators")).isEqualTo(2);
    assertThat(moderator.inbox()).filteredOn(m -> "presence".equals(m.getString("type")))
        .allMatch(m -> m.getLong("viewers") <= 2);

    // the participant stays while any of its sessions does
    await(first.close());
    sameToken.forEach(s -> await(s.close()));
    await(other.close());
    WsClient returning = connect();
    returning.token = first.token;
    await(returning.join(stageId));
    await(moderator.next(m -> "presence".equals(m.getString("type")) && m.getLong("viewers") == 1
        && m.getLong("moderators") == 2));
    presence = await(connect().joinAsModerator(stageId, TestServer.ORGANISER_TOKEN)).getJsonObject("presence");
    assertThat(presence.getLong("viewers")).isEqualTo(1);
  }

  @Test
  void joinsOnOtherLoopsWhilePushesFlowNeverMissOrRepeatAVersion() {
    String pollId = await(http.openPoll(stageId)).getJsonObject("poll").getString("id");
    List<WsClient> voters = viewers(LOOPS);
    int votes = 60;
    List<Future<JsonObject>> acks = new ArrayList<>();
    List<WsClient> joiners = new ArrayList<>();
    List<Long> shown = new ArrayList<>();
    List<Future<JsonObject>> joins = new ArrayList<>();
    for (int i = 0; i < votes; i++) {
      acks.add(voters.get(i % LOOPS).vote(pollId, i % 3 == 0 ? "a" : "b"));
      if (i % 5 == 0) {
        WsClient joiner = connect(); // the next loop in turn
        joiners.add(joiner);
        joins.add(i % 10 == 0 ? joiner.joinAsModerator(stageId, TestServer.ORGANISER_TOKEN) : joiner.join(stageId));
      }
    }
    acks.forEach(ack -> assertThat(await(ack).getString("type")).isEqualTo("ack"));
    for (Future<JsonObject> join : joins) {
      JsonObject joined = await(join);
      shown.add(joined.getJsonArray("polls").getJsonObject(0).getJsonObject("results").getLong("version"));
    }
    long last = resultsVersion(pollId);
    for (int j = 0; j < joiners.size(); j++) {
      WsClient joiner = joiners.get(j);
      List<Long> versions = new ArrayList<>();
      versions.add(shown.get(j));
      JsonObject newest = shown.get(j) == last ? null
          : await(joiner.next(m -> results(m, pollId) && m.getJsonObject("results").getLong("version") == last), 10);
      for (JsonObject m : joiner.inbox()) {
        if (results(m, pollId)) {
          versions.add(m.getJsonObject("results").getLong("version"));
        }
      }
      if (newest != null) {
        versions.add(last);
      }
      assertThat(versions).as("the snapshot's version, then every pushed version (joiner %d): %s", j, joiner.inbox())
          .isSorted().doesNotHaveDuplicates();
    }
  }

  @Test
  void theNodeServesAStageOnlyWhileItHasSessionsOnIt() {
    assertThat(server.readModels().size()).isZero();
    List<WsClient> viewers = viewers(LOOPS);
    WsClient moderator = connect();
    await(moderator.joinAsModerator(stageId, TestServer.ORGANISER_TOKEN));
    assertThat(server.readModels().size()).as("one read model for sessions on %d loops", LOOPS).isEqualTo(1);
    viewers.forEach(v -> await(v.close()));
    await(moderator.close());
    await(eventually(() -> server.readModels().size() == 0, 100));
    assertThat(await(server.engine().presence(stageId)).viewers()).as("the zero was reported on the way out").isZero();
    // and a new session makes the node serve it again
    JsonObject joined = await(connect().join(stageId));
    assertThat(joined.getString("type")).isEqualTo("joined");
    assertThat(server.readModels().size()).isEqualTo(1);
  }

  /** Completes once {@code condition} holds, checking every 20 ms, at most {@code attempts} times. */
  private Future<Void> eventually(java.util.function.BooleanSupplier condition, int attempts) {
    if (condition.getAsBoolean()) {
      return Future.succeededFuture();
    }
    if (attempts == 0) {
      return Future.failedFuture("condition not met");
    }
    io.vertx.core.Promise<Void> next = io.vertx.core.Promise.promise();
    clientVertx.setTimer(20, id -> eventually(condition, attempts - 1).onComplete(next));
    return next.future();
  }
}
