package org.plenum.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.plenum.testing.Await.await;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.dhatim.fastexcel.reader.Sheet;
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

/** A ranking poll's Borda points, mean ranks and distribution in the JSON, CSV, XLSX and JSONL exports, on both engines. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RankingExportTest {
  private RedisServerProcess redis;
  private Vertx serverVertx;
  private Vertx clientVertx;
  private PlenumServer server;
  private Http http;
  private final List<WsClient> clients = new ArrayList<>();
  private String stageId;
  private String pollId;

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
    clients.forEach(WsClient::close);
    clients.clear();
    await(server.stop());
    await(clientVertx.close());
    await(serverVertx.close());
    TestVertx.assertNoBlockedLoops();
  }

  /** Three voters rank OZG, KI, Cloud: (KI, OZG, Cloud), (KI, Cloud, OZG), (OZG, KI, Cloud). */
  private void start(String engine) {
    serverVertx = TestVertx.create();
    clientVertx = TestVertx.create();
    Map<String, String> env = engine.equals("redis")
        ? Map.of("PLENUM_ENGINE", "redis", "PLENUM_REDIS_URL", redis.url(), "PLENUM_NODE_ID", "rank-" + System.nanoTime())
        : Map.of();
    server = await(TestServer.start(serverVertx, env));
    http = new Http(clientVertx, server.port(), TestServer.ORGANISER_TOKEN);
    stageId = await(http.stage()).getString("id");
    pollId = await(http.post("/api/v1/stages/" + stageId + "/polls", new JsonObject().put("kind", "ranking")
        .put("question", "Was zuerst?").put("options", new JsonArray().add("OZG").add("KI").add("Cloud"))
        .put("resultsVisible", true).put("open", true))).json().getJsonObject("poll").getString("id");
    for (String[] order : new String[][] {{"b", "a", "c"}, {"b", "c", "a"}, {"a", "b", "c"}}) {
      WsClient v = await(WsClient.connect(clientVertx, server.port()));
      clients.add(v);
      await(v.join(stageId));
      JsonObject ack = await(v.request(new JsonObject().put("type", "vote").put("id", WsClient.nextId("r")).put("pollId", pollId)
          .put("choices", new JsonArray(List.of((Object[]) order)))));
      assertThat(ack.getString("type")).as(ack.encode()).isEqualTo("ack");
    }
  }

  private Http.Response export(String query) {
    Http.Response r = await(http.get("/api/v1/stages/" + stageId + "/export?" + query));
    assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    return r;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"memory", "redis"})
  void rankingRowsCarryBordaPointsMeanRanksAndTheDistribution(String engine) throws IOException {
    start(engine);
    List<JsonObject> rows = export("format=json&kind=polls").json().getJsonArray("polls").stream()
        .map(JsonObject.class::cast).filter(r -> pollId.equals(r.getString("pollId"))).toList();
    assertThat(rows).extracting(r -> r.getString("option")).containsExactly("OZG", "KI", "Cloud");
    assertThat(rows).extracting(r -> r.getString("pollKind")).containsOnly("ranking");
    assertThat(rows).extracting(r -> r.getLong("bordaPoints")).containsExactly(3L, 5L, 1L);
    assertThat(rows).extracting(r -> r.getLong("count")).containsExactly(3L, 5L, 1L);
    assertThat(rows).extracting(r -> r.getDouble("share")).containsExactly(0.5, 0.8333, 0.1667);
    assertThat(rows).extracting(r -> r.getDouble("mean")).containsExactly(2.0, 1.33, 2.67);
    assertThat(rows).extracting(r -> r.getString("positions")).containsExactly("1|1|1", "2|1|0", "0|1|2");
    assertThat(rows).allSatisfy(r -> assertThat(r.getLong("voters")).isEqualTo(3));

    byte[] bytes = export("format=csv&kind=polls&separator=semicolon").body().getBytes();
    String text = new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8);
    List<Map<String, String>> csv = new ArrayList<>();
    try (CSVParser parser = CSVFormat.RFC4180.builder().setDelimiter(';').setHeader().setSkipHeaderRecord(true).get()
        .parse(new StringReader(text))) {
      for (CSVRecord record : parser) {
        csv.add(record.toMap());
      }
    }
    assertThat(csv).extracting(r -> r.get("bordaPoints") + " " + r.get("mean") + " " + r.get("positions"))
        .containsExactly("3 2,0 1|1|1", "5 1,33 2|1|0", "1 2,67 0|1|2");

    Http.Response xlsx = export("format=xlsx&kind=polls");
    try (ReadableWorkbook wb = new ReadableWorkbook(new ByteArrayInputStream(xlsx.body().getBytes()))) {
      Sheet sheet = wb.getFirstSheet();
      List<Row> sheetRows = sheet.read();
      List<String> header = new ArrayList<>();
      sheetRows.get(0).forEach(cell -> header.add(cell.asString()));
      assertThat(header).isEqualTo(ExportTable.POLLS.columns());
      int points = header.indexOf("bordaPoints");
      int positions = header.indexOf("positions");
      List<String> seen = new ArrayList<>();
      for (Row row : sheetRows.subList(1, sheetRows.size())) {
        seen.add(((BigDecimal) row.getCell(points).getValue()).longValue() + " " + row.getCell(positions).getValue());
      }
      assertThat(seen).containsExactly("3 1|1|1", "5 2|1|0", "1 0|1|2");
    }

    List<JsonObject> log = export("format=jsonl").body().toString(StandardCharsets.UTF_8).lines().map(JsonObject::new)
        .filter(l -> pollId.equals(l.getString("targetId"))).toList();
    assertThat(log).extracting(l -> l.getJsonArray("choices").encode())
        .as("the log keeps each voter's order, best first")
        .containsExactlyInAnyOrder("[\"b\",\"a\",\"c\"]", "[\"b\",\"c\",\"a\"]", "[\"a\",\"b\",\"c\"]");
  }
}
