package org.plenum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.plenum.testing.Await.await;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plenum.testing.Http;
import org.plenum.testing.TestServer;
import org.plenum.testing.TestVertx;
import org.plenum.testing.WsClient;

/** Stop the server, start it again on the same data directory: nothing is gone. */
class PersistenceTest {

  @Test
  void aRestartedMemoryServerKeepsEverything(@TempDir Path dir) {
    Vertx vertx = TestVertx.create();
    Map<String, String> env = Map.of("PLENUM_DATA_DIR", dir.toString());
    PlenumServer first = await(TestServer.start(vertx, env));
    Http http = new Http(vertx, first.port(), TestServer.ORGANISER_TOKEN);
    JsonObject stage = await(http.stage());
    String stageId = stage.getString("id");
    String pollId = await(http.openPoll(stageId)).getJsonObject("poll").getString("id");
    WsClient viewer = await(WsClient.connect(vertx, first.port()));
    await(viewer.join(stageId));
    await(viewer.vote("kept-1", pollId, "b"));
    String token = viewer.token;
    await(first.stop());

    PlenumServer second = await(TestServer.start(vertx, env));
    Http again = new Http(vertx, second.port(), TestServer.ORGANISER_TOKEN);
    JsonObject results = await(again.get("/api/v1/stages/" + stageId + "/polls/" + pollId)).json().getJsonObject("results");
    assertThat(results.getJsonObject("counts").getMap()).containsEntry("b", 1);
    assertThat(results.getLong("version")).isEqualTo(1);
    assertThat(await(again.get("/api/v1/join/" + stage.getString("code"))).status()).isEqualTo(200);

    WsClient returning = await(WsClient.connect(vertx, second.port()));
    returning.token = token;
    JsonObject joined = await(returning.join(stageId));
    assertThat(joined.getJsonObject("participant").getBoolean("renewed")).isFalse();
    assertThat(await(returning.vote("kept-1", pollId, "b")).getBoolean("duplicate")).isTrue();
    await(returning.vote("after-restart", pollId, "c"));
    assertThat(await(again.get("/api/v1/stages/" + stageId + "/polls/" + pollId)).json()
        .getJsonObject("results").getJsonObject("counts").getMap()).containsEntry("b", 0).containsEntry("c", 1);
    await(second.stop());
    await(vertx.close());
    TestVertx.assertNoBlockedLoops();
  }
}
