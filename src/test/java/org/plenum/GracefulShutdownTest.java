package org.plenum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.plenum.testing.Await.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plenum.testing.Http;
import org.plenum.testing.ServerProcess;
import org.plenum.testing.TestServer;
import org.plenum.testing.TestVertx;
import org.plenum.testing.WsClient;

/**
 * SIGTERM to a real server process in the middle of a vote burst: every vote the server had read
 * before the signal is acknowledged before the 1001 close frame, later ones are refused with a
 * retryable code (or, sent too late, not read at all), and after a restart every acknowledged vote
 * is there exactly once and no refused one is.
 */
class GracefulShutdownTest {
  private static final int VOTERS = 300;
  private static final List<String> CHOICES = List.of("a", "b", "c");

  /** How one voter's vote ended when its connection was closed. */
  private record Ending(WsClient voter, String actionId, String choice, boolean readBeforeSigterm, short closeCode,
                        JsonObject reply) {}

  @Test
  void sigtermMidBurstAcknowledgesEveryReadVoteBeforeTheCloseFrameAndKeepsEveryAckedVote(@TempDir Path dir) {
    Map<String, String> env = Map.of("PLENUM_DATA_DIR", dir.toString(), "PLENUM_INSTANCES", "2",
        "PLENUM_SHUTDOWN_GRACE_MS", "10000");
    Vertx clients = TestVertx.create();
    String stageId;
    String pollId;
    List<Ending> endings = new ArrayList<>();
    try (ServerProcess server = ServerProcess.start(env)) {
      Http http = new Http(clients, server.port(), TestServer.ORGANISER_TOKEN);
      stageId = await(http.stage()).getString("id");
      pollId = await(http.openPoll(stageId)).getJsonObject("poll").getString("id");
      List<Future<WsClient>> joining = new ArrayList<>();
      for (int i = 0; i < VOTERS; i++) {
        joining.add(WsClient.connect(clients, server.port()).compose(ws -> ws.join(stageId).map(ws)));
      }
      List<WsClient> voters = await(Future.all(joining), 60).list();

      // Each voter sends its vote and then a ping: the pong proves the server read the vote first.
      AtomicBoolean sigtermSent = new AtomicBoolean();
      int[] pongs = {0};
      io.vertx.core.Promise<Void> halfRead = io.vertx.core.Promise.promise();
      List<Future<Ending>> ending = new ArrayList<>();
      for (int i = 0; i < VOTERS; i++) {
        WsClient voter = voters.get(i);
        String id = WsClient.nextId("v");
        String choice = CHOICES.get(i % 3);
        Future<JsonObject> reply = voter.vote(id, pollId, choice);
        Future<Boolean> read = voter.request(new JsonObject().put("type", "ping").put("id", WsClient.nextId("p")))
            .map(pong -> !sigtermSent.get())
            .otherwise(false);
        read.onSuccess(x -> {
          synchronized (pongs) {
            if (++pongs[0] >= VOTERS / 2) {
              halfRead.tryComplete();
            }
          }
        });
        // the close handler runs after every frame that came before the close frame
        ending.add(voter.closed().map(code -> new Ending(voter, id, choice,
            read.isComplete() && read.result(), code, reply.isComplete() ? reply.result() : null)));
      }
      await(halfRead.future(), 30);
      sigtermSent.set(true);
      server.terminate();
      endings.addAll(await(Future.all(ending), 60).list());
      int exit = server.awaitExit(60);
      List<String> log = server.output();
      assertThat(log).anyMatch(l -> l.contains("\"event\":\"plenum.stopping\""))
          .anyMatch(l -> l.contains("\"event\":\"plenum.stopped\""))
          .noneMatch(l -> l.contains("did not finish cleanly"));
      assertThat(exit).as("exit code after SIGTERM").isIn(0, 143);
    }

    Map<String, Long> acked = new HashMap<>();
    CHOICES.forEach(c -> acked.put(c, 0L));
    Map<String, Long> unanswered = new HashMap<>(acked);
    int ackCount = 0;
    int refused = 0;
    int notAnswered = 0;
    for (Ending e : endings) {
      assertThat(e.closeCode()).as("close code").isEqualTo((short) 1001);
      if (e.readBeforeSigterm()) {
        assertThat(e.reply()).as("the reply to a vote read before SIGTERM, before the close frame").isNotNull();
        assertThat(e.reply().getString("type")).isEqualTo("ack");
      }
      if (e.reply() == null) {
        notAnswered++;
        unanswered.merge(e.choice(), 1L, Long::sum);
      } else if ("ack".equals(e.reply().getString("type"))) {
        ackCount++;
        acked.merge(e.choice(), 1L, Long::sum);
      } else {
        assertThat(e.reply().getString("code")).as("a refusal while shutting down is retryable").isEqualTo("unavailable");
        refused++;
      }
    }

    try (ServerProcess again = ServerProcess.start(env)) {
      Http http = new Http(clients, again.port(), TestServer.ORGANISER_TOKEN);
      JsonObject results = await(http.get("/api/v1/stages/" + stageId + "/polls/" + pollId)).json().getJsonObject("results");
      Map<String, Long> counted = new HashMap<>();
      results.getJsonObject("counts").forEach(c -> counted.put(c.getKey(), ((Number) c.getValue()).longValue()));
      System.out.printf("GracefulShutdownTest: %d votes, %d read before SIGTERM; acked %d %s, refused %d, unanswered %d; "
              + "after restart counted %d voters %s%n", VOTERS, endings.stream().filter(Ending::readBeforeSigterm).count(),
          ackCount, acked, refused, notAnswered, results.getLong("voters"), counted);
      for (String c : CHOICES) {
        assertThat(counted.get(c)).as("votes for %s after the restart", c)
            .isBetween(acked.get(c), acked.get(c) + unanswered.get(c));
      }
      // Each voter resends its vote under the same id: acked ones (and only they, of the answered)
      // were applied, each once.
      List<Future<Boolean>> resent = new ArrayList<>();
      for (Ending e : endings) {
        if (e.reply() == null) {
          continue;
        }
        WsClient returning = await(WsClient.connect(clients, again.port()));
        returning.token = e.voter().token;
        resent.add(returning.join(stageId).compose(j -> returning.vote(e.actionId(), pollId, e.choice()))
            .map(r -> {
              assertThat(r.getString("type")).isEqualTo("ack");
              return r.getBoolean("duplicate");
            })
            .andThen(x -> returning.close()));
      }
      List<Boolean> duplicates = await(Future.all(resent), 60).list();
      List<Ending> answered = endings.stream().filter(e -> e.reply() != null).toList();
      for (int i = 0; i < answered.size(); i++) {
        boolean wasAcked = "ack".equals(answered.get(i).reply().getString("type"));
        assertThat(duplicates.get(i)).as("resent %s (%s before)", answered.get(i).actionId(),
            wasAcked ? "acked" : "refused").isEqualTo(wasAcked);
      }
    } finally {
      await(clients.close());
    }
    TestVertx.assertNoBlockedLoops();
  }
}
