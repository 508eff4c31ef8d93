package org.plenum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.plenum.testing.Await.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plenum.testing.Http;
import org.plenum.testing.ServerProcess;
import org.plenum.testing.TestServer;
import org.plenum.testing.TestVertx;
import org.plenum.testing.WsClient;

/**
 * Faults inflicted on a real server process with the memory engine: a full disk (a file-size
 * limit, so journal writes fail with EFBIG) and {@code kill -9} mid-burst. After recovery every
 * acknowledged action is there exactly once and every unacknowledged one at most once: each
 * client resends everything with the same ids, as the web client does, and an acknowledged
 * action must come back {@code duplicate: true}. Each test prints acked / counted / lost / doubled.
 */
class MemoryEngineFaultsTest {
  private static final int CLIENTS = 60;
  private static final int REACTIONS_EACH = 10;
  private static final String CLAP = "\uD83D\uDC4F";

  @TempDir
  Path dataDir;

  private final Vertx vertx = TestVertx.create();
  private final List<ServerProcess> servers = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (ServerProcess s : servers) {
      s.close();
    }
    await(vertx.close());
  }

  /** One participant's actions (a vote, then reactions) and how the server answered each. */
  private static final class Participant {
    final WsClient client;
    final Map<String, JsonObject> actions = new LinkedHashMap<>();
    final Map<String, String> answers = new LinkedHashMap<>();

    Participant(WsClient client) {
      this.client = client;
    }
  }

  @Test
  void aFullDiskLosesNoAcknowledgedActionAndAStartAfterItNeedsNoRepairByHand() throws Exception {
    ServerProcess first = started(ServerProcess.start(dataDir, 48, Map.of()));
    await(first.ready(vertx), 60);
    Http http = new Http(vertx, first.port(), TestServer.ORGANISER_TOKEN);
    String stageId = await(http.stage()).getString("id");
    String pollId = await(http.openPoll(stageId)).getJsonObject("poll").getString("id");
    List<Participant> people = joined(first.port(), stageId);

    burst(people, pollId, null);
    long unavailable = count(people, "unavailable");
    assertThat(unavailable).as("the file-size limit was reached").isPositive();
    assertThat(count(people, "ack") + unavailable).as("every action answered ack or unavailable")
        .isEqualTo((long) CLIENTS * (1 + REACTIONS_EACH));
    assertThat(await(http.getAnonymous("/metrics")).body().toString())
        .containsPattern("plenum_journal_write_failures_total [1-9]");

    // Retries while the disk is (nearly) full: refused, or — once a probe write found room again —
    // applied now; never acknowledged as a duplicate of the write that failed.
    for (Participant p : people) {
      for (var answer : p.answers.entrySet()) {
        if (answer.getValue().equals("unavailable")) {
          JsonObject reply = await(p.client.request(p.actions.get(answer.getKey())));
          assertThat(reply.getBoolean("duplicate", false)).as("retry of a failed write: " + reply).isFalse();
          if ("ack".equals(reply.getString("type"))) {
            answer.setValue("ack");
          } else {
            assertThat(reply.getString("code")).isEqualTo("unavailable");
          }
        }
      }
    }
    long acked = count(people, "ack");
    first.kill();

    ServerProcess second = started(ServerProcess.start(dataDir, 0, Map.of()));
    await(second.ready(vertx), 60);
    report("full-disk", people, second.port(), stageId, pollId, acked);
  }

  @Test
  void killMinus9DuringABurstLosesNoAcknowledgedAction() throws Exception {
    ServerProcess first = started(ServerProcess.start(dataDir, 0, Map.of()));
    await(first.ready(vertx), 60);
    Http http = new Http(vertx, first.port(), TestServer.ORGANISER_TOKEN);
    String stageId = await(http.stage()).getString("id");
    String pollId = await(http.openPoll(stageId)).getJsonObject("poll").getString("id");
    List<Participant> people = joined(first.port(), stageId);

    burst(people, pollId, first);
    first.kill();
    long acked = count(people, "ack");
    assertThat(acked).as("some actions were acknowledged before the kill").isPositive();
    assertThat(people.stream().mapToLong(p -> p.answers.size()).sum()).as("the kill came mid-burst")
        .isLessThan((long) CLIENTS * (1 + REACTIONS_EACH));

    ServerProcess second = started(ServerProcess.start(dataDir, 0, Map.of()));
    await(second.ready(vertx), 60);
    report("kill-9", people, second.port(), stageId, pollId, acked);
  }

  private ServerProcess started(ServerProcess s) {
    servers.add(s);
    return s;
  }

  private List<Participant> joined(int port, String stageId) {
    List<Participant> people = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      WsClient client = await(WsClient.connect(vertx, port));
      await(client.join(stageId));
      people.add(new Participant(client));
    }
    return people;
  }

  /**
   * Every participant votes, then reacts, each action sent once the previous one is answered, all
   * participants at once. With {@code victim}, the server is killed with {@code kill -9} once a
   * third of the actions are answered; what was in flight stays unanswered, the rest unsent.
   */
  private void burst(List<Participant> people, String pollId, ServerProcess victim) {
    int total = people.size() * (1 + REACTIONS_EACH);
    AtomicInteger answered = new AtomicInteger();
    List<Future<Void>> all = new ArrayList<>();
    for (Participant p : people) {
      p.actions.put("v-1", new JsonObject().put("type", "vote").put("id", "v-1").put("pollId", pollId)
          .put("choices", new JsonArray().add("a")));
      for (int r = 0; r < REACTIONS_EACH; r++) {
        p.actions.put("r-" + r, new JsonObject().put("type", "react").put("id", "r-" + r).put("emoji", CLAP));
      }
      Future<Void> chain = Future.succeededFuture();
      for (var action : p.actions.entrySet()) {
        chain = chain.compose(x -> {
          if (p.client.closed().isComplete()) {
            return Future.succeededFuture();
          }
          Future<JsonObject> reply = p.client.request(action.getValue());
          return Future.any(reply, p.client.closed()).map(y -> {
            if (reply.succeeded()) {
              JsonObject m = reply.result();
              p.answers.put(action.getKey(), m.getString("type").equals("ack") ? "ack" : m.getString("code"));
              if (victim != null && answered.incrementAndGet() == total / 3) {
                victim.killNow();
              }
            }
            return null;
          });
        });
      }
      all.add(chain);
    }
    await(Future.all(all), 60);
  }

  private static long count(List<Participant> people, String answer) {
    return people.stream().flatMap(p -> p.answers.values().stream()).filter(answer::equals).count();
  }

  /**
   * Reads what the restarted server counts, then has every participant come back with its token
   * and resend everything: an acknowledged action answered as new was lost; more than one count
   * per action is a double.
   */
  private void report(String fault, List<Participant> people, int port, String stageId, String pollId, long acked) {
    Http http = new Http(vertx, port, TestServer.ORGANISER_TOKEN);
    long countedReactions = reactions(http, stageId);
    long countedVotes = votes(http, stageId, pollId);
    long lost = 0;
    for (Participant p : people) {
      WsClient again = await(WsClient.connect(vertx, port));
      again.token = p.client.token;
      await(again.join(stageId));
      for (var action : p.actions.entrySet()) {
        JsonObject reply = await(again.request(action.getValue()));
        assertThat(reply.getString("type")).as("resend of " + action.getKey() + ": " + reply).isEqualTo("ack");
        if ("ack".equals(p.answers.get(action.getKey())) && !reply.getBoolean("duplicate", false)) {
          lost++;
        }
      }
    }
    long expectedReactions = (long) people.size() * REACTIONS_EACH;
    long finalReactions = reactions(http, stageId);
    long finalVotes = votes(http, stageId, pollId);
    long doubled = Math.max(0, finalReactions - expectedReactions) + Math.max(0, finalVotes - people.size());
    System.out.printf("fault=%s acked=%d unacked=%d counted-after-restart=%d lost=%d doubled=%d%n", fault, acked,
        (long) people.size() * (1 + REACTIONS_EACH) - acked, countedReactions + countedVotes, lost, doubled);
    assertThat(lost).as("acknowledged actions missing after the restart").isZero();
    assertThat(finalReactions).as("every reaction exactly once after the resends").isEqualTo(expectedReactions);
    assertThat(finalVotes).as("every vote exactly once after the resends").isEqualTo(people.size());
    assertThat(countedReactions + countedVotes).as("counted after the restart: at least the acked")
        .isGreaterThanOrEqualTo(acked);
  }

  private long reactions(Http http, String stageId) {
    return await(http.getAnonymous("/api/v1/stages/" + stageId + "/reactions")).json().getJsonObject("totals")
        .getLong(CLAP, 0L);
  }

  private long votes(Http http, String stageId, String pollId) {
    JsonObject counts = await(http.get("/api/v1/stages/" + stageId + "/polls/" + pollId)).json()
        .getJsonObject("results").getJsonObject("counts");
    return counts.getLong("a", 0L) + counts.getLong("b", 0L) + counts.getLong("c", 0L);
  }
}
