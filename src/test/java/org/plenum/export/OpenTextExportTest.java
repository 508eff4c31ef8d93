package org.plenum.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.plenum.testing.Await.await;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.plenum.PlenumServer;
import org.plenum.testing.Http;
import org.plenum.testing.RedisServerProcess;
import org.plenum.testing.TestServer;
import org.plenum.testing.TestVertx;
import org.plenum.testing.WsClient;

/** Open-text answers (issue 12) in the exports: the posts table with their poll id, the polls row, the log. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenTextExportTest {
  private RedisServerProcess redis;
  private Vertx serverVertx;
  private Vertx clientVertx;
  private PlenumServer server;
  private Http http;

  @BeforeAll
  void startRedis() {
    redis = RedisServerProcess.start();
  }

  @AfterAll
  void stopRedis() {
    redis.close();
  }

  @AfterEach
  void stop() {
    await(server.stop());
    await(clientVertx.close());
    await(serverVertx.close());
    TestVertx.assertNoBlockedLoops();
  }

  private void start(String engine) {
    serverVertx = TestVertx.create();
    clientVertx = TestVertx.create();
    Map<String, String> env = engine.equals("redis")
        ? Map.of("PLENUM_ENGINE", "redis", "PLENUM_REDIS_URL", redis.url(), "PLENUM_NODE_ID", "opentext-" + System.nanoTime())
        : Map.of();
    server = await(TestServer.start(serverVertx, env));
    http = new Http(clientVertx, server.port(), TestServer.ORGANISER_TOKEN);
  }

  private static List<JsonObject> rows(JsonObject export, String table) {
    return export.getJsonArray(table).stream().map(JsonObject.class::cast).collect(Collectors.toList());
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "redis"})
  void answersAreExportedWithTheirPollInEveryFormat(String engine) {
    start(engine);
    JsonObject stage = await(http.stage());
    String stageId = stage.getString("id");
    String pollId = await(http.post("/api/v1/stages/" + stageId + "/polls", new JsonObject().put("kind", "text")
        .put("question", "Was nehmen Sie mit?").put("open", true))).json().getJsonObject("poll").getString("id");
    WsClient viewer = await(WsClient.connect(clientVertx, server.port()));
    await(viewer.join(stageId));
    JsonObject ack = await(viewer.request(new JsonObject().put("type", "answer").put("id", "t1").put("pollId", pollId)
        .put("text", "=Offene Standards")));
    assertThat(ack.getString("type")).as(ack.encode()).isEqualTo("ack");
    String postId = ack.getString("postId");
    await(viewer.request(new JsonObject().put("type", "answer").put("id", "t1").put("pollId", pollId)
        .put("text", "=Offene Standards"))); // a retry: one answer

    String base = "/api/v1/stages/" + stageId + "/export";
    JsonObject e = await(http.get(base + "?format=json")).json();
    List<JsonObject> posts = rows(e, "posts");
    assertThat(posts).hasSize(1);
    assertThat(posts.get(0).getString("postKind")).isEqualTo("answer");
    assertThat(posts.get(0).getString("pollId")).isEqualTo(pollId);
    assertThat(posts.get(0).getString("text")).isEqualTo("=Offene Standards");
    List<String> columns = List.copyOf(posts.get(0).fieldNames());
    assertThat(columns.get(columns.size() - 1)).as("the new column comes last").isEqualTo("pollId");
    List<JsonObject> polls = rows(e, "polls");
    assertThat(polls).hasSize(1);
    assertThat(polls.get(0).getString("pollKind")).isEqualTo("text");
    assertThat(polls.get(0).getString("optionKey")).isEqualTo("answers");
    assertThat(polls.get(0).getLong("count")).isEqualTo(1);
    assertThat(rows(e, "summary").get(0).getLong("answers")).isEqualTo(1);

    String csv = await(http.get(base + "?format=csv&kind=posts")).body().toString(StandardCharsets.UTF_8);
    assertThat(csv.lines().findFirst().orElseThrow()).endsWith(",pollId");
    assertThat(csv).contains(pollId).contains("'=Offene Standards"); // no formula in a spreadsheet

    List<JsonObject> log = await(http.get(base + "?format=jsonl")).body().toString(StandardCharsets.UTF_8).lines()
        .map(JsonObject::new).collect(Collectors.toList());
    assertThat(log).hasSize(1);
    assertThat(log.get(0).getString("kind")).isEqualTo("answers");
    assertThat(log.get(0).getString("targetId")).isEqualTo(postId);
    assertThat(log.get(0).getString("pollId")).isEqualTo(pollId);
    assertThat(log.get(0).getString("text")).isEqualTo("=Offene Standards");
    viewer.close();
  }
}
