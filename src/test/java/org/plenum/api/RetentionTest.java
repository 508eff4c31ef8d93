package org.plenum.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.plenum.testing.Await.await;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.plenum.PlenumServer;
import org.plenum.testing.Http;
import org.plenum.testing.TestServer;
import org.plenum.testing.TestVertx;
import org.plenum.testing.WsClient;

/** retentionDays: the sweep deletes events that ended longer ago, and only those. */
class RetentionTest {
  Vertx serverVertx;
  Vertx clientVertx;
  PlenumServer server;
  Http http;

  Map<String, String> engine() {
    return Map.of();
  }

  @BeforeEach
  void start() {
    serverVertx = TestVertx.create();
    clientVertx = TestVertx.create();
    Map<String, String> config = new HashMap<>(engine());
    config.put("PLENUM_RETENTION_DAYS", "2");
    server = await(TestServer.start(serverVertx, config));
    http = new Http(clientVertx, server.port(), TestServer.ORGANISER_TOKEN);
  }

  @AfterEach
  void stop() {
    await(server.stop());
    await(clientVertx.close());
    await(serverVertx.close());
    TestVertx.assertNoBlockedLoops();
  }

  private JsonObject stageWithTalkEnding(Instant end) {
    JsonObject stage = await(http.stage());
    await(http.post("/api/v1/stages/" + stage.getString("id") + "/talks", new JsonObject().put("title", "Vortrag")
        .put("startsAt", end.minus(1, ChronoUnit.HOURS).toString()).put("endsAt", end.toString())));
    return stage;
  }

  @Test
  void eventsThatEndedLongerAgoThanTheRetentionPeriodAreDeleted() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    JsonObject old = stageWithTalkEnding(now.minus(3, ChronoUnit.DAYS));
    JsonObject recent = stageWithTalkEnding(now.minus(1, ChronoUnit.DAYS));
    JsonObject upcoming = stageWithTalkEnding(now.plus(1, ChronoUnit.DAYS));
    JsonObject noProgramme = await(http.stage());
    // an old programme, but a poll opened just now: the event is still going on
    JsonObject active = stageWithTalkEnding(now.minus(5, ChronoUnit.DAYS));
    await(http.openPoll(active.getString("id")));
    WsClient viewer = await(WsClient.connect(clientVertx, server.port()));
    await(viewer.join(old.getString("id")));

    List<String> deleted = await(server.retention().sweep());

    assertThat(deleted).containsExactly(old.getString("eventId"));
    assertThat(await(viewer.closed())).isEqualTo((short) 4404);
    assertThat(await(http.get("/api/v1/events/" + old.getString("eventId"))).status()).isEqualTo(404);
    assertThat(await(http.get("/api/v1/stages/" + old.getString("id"))).status()).isEqualTo(404);
    for (JsonObject kept : List.of(recent, upcoming, noProgramme, active)) {
      assertThat(await(http.get("/api/v1/events/" + kept.getString("eventId"))).status()).isEqualTo(200);
    }
    assertThat(await(server.retention().sweep())).as("nothing more to delete").isEmpty();
  }
}
