package org.plenum.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.plenum.testing.Await.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
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

/**
 * The statistics of issue 8 over real connections, on both engines: viewers join stage 1 by the hall
 * link (3), the stream link (2) and neither (1), a moderator watches; one viewer joins stage 2 by the
 * stream link. Their interactions (a retried vote among them) are counted exactly once; the presence
 * samples show the split by join source; the summary has the talk's, the stages' and the event's
 * figures; CSV (Commons CSV), XLSX (fastexcel-reader), JSON and the JSON Lines log read back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatisticsExportTest {
  private RedisServerProcess redis;
  private Vertx serverVertx;
  private Vertx clientVertx;
  private PlenumServer server;
  private Http http;
  private final List<WsClient> clients = new ArrayList<>();

  private String eventId;
  private String stage1;
  private String stage2;
  private String talkId;
  private String pollId;
  private final List<String> participantIds = new ArrayList<>();

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

  private void start(String engine) {
    serverVertx = TestVertx.create();
    clientVertx = TestVertx.create();
    Map<String, String> env = new HashMap<>(Map.of("PLENUM_STATS_SAMPLE_SECONDS", "1"));
    if (engine.equals("redis")) {
      env.putAll(Map.of("PLENUM_ENGINE", "redis", "PLENUM_REDIS_URL", redis.url(), "PLENUM_NODE_ID", "stats-" + System.nanoTime()));
    }
    server = await(TestServer.start(serverVertx, env));
    http = new Http(clientVertx, server.port(), TestServer.ORGANISER_TOKEN);
    participantIds.clear();
    script();
  }

  private void script() {
    eventId = await(http.post("/api/v1/events", new JsonObject().put("name", "Statistikkongress"))).json().getString("id");
    stage1 = stage("Saal 1");
    stage2 = stage("Saal 2");
    Instant now = Instant.now();
    talkId = await(http.post("/api/v1/stages/" + stage1 + "/talks", new JsonObject().put("title", "Keynote")
        .put("startsAt", now.minus(1, ChronoUnit.HOURS).toString()).put("endsAt", now.plus(1, ChronoUnit.HOURS).toString())))
        .json().getString("id");
    pollId = await(http.post("/api/v1/stages/" + stage1 + "/polls", new JsonObject().put("kind", "single")
        .put("question", "Ja oder nein?").put("options", new JsonArray().add("Ja").add("Nein")).put("open", true)))
        .json().getJsonObject("poll").getString("id");
    String cloud = await(http.openCloud(stage1, 3)).getJsonObject("cloud").getString("id");

    WsClient h1 = viewer(stage1, "hall");
    WsClient h2 = viewer(stage1, "hall");
    WsClient h3 = viewer(stage1, "hall");
    WsClient s1 = viewer(stage1, "stream");
    WsClient s2 = viewer(stage1, "stream");
    viewer(stage1, null);
    WsClient moderator = await(WsClient.connect(clientVertx, server.port()));
    clients.add(moderator);
    assertThat(await(moderator.joinAsModerator(stage1, TestServer.ORGANISER_TOKEN)).getString("type")).isEqualTo("joined");
    WsClient other = viewer(stage2, "stream");

    ok(h1.vote("v1", pollId, "a"));
    ok(h1.vote("v1", pollId, "a")); // a retry: acknowledged again, counted once
    ok(h2.vote(pollId, "b"));
    ok(s1.vote(pollId, "a"));
    ok(h2.vote(pollId, "a")); // a changed vote counts as a vote
    ok(h3.request(action("word").put("cloudId", cloud).put("text", "Klima")));
    ok(s2.request(action("word").put("cloudId", cloud).put("text", "Verkehr")));
    String q = ok(h1.request(action("post").put("kind", "question").put("text", "Wann geht es los?"))).getString("postId");
    ok(s1.request(action("post").put("kind", "comment").put("text", "Super")));
    ok(h3.request(action("post").put("kind", "feedback").put("text", "Zu leise")));
    ok(h2.request(action("upvote").put("postId", q)));
    ok(s2.request(action("upvote").put("postId", q)));
    JsonObject react = action("react").put("emoji", "👏");
    ok(h1.request(react));
    ok(h1.request(react.copy())); // the same action id again
    ok(h2.request(action("react").put("emoji", "👏")));
    ok(other.request(action("react").put("emoji", "❤️")));
    ok(other.vote(await(http.post("/api/v1/stages/" + stage2 + "/polls", new JsonObject().put("kind", "single")
        .put("question", "Zweiter Saal?").put("options", new JsonArray().add("Ja").add("Nein")).put("open", true)))
        .json().getJsonObject("poll").getString("id"), "b"));
    for (WsClient c : List.of(h1, h2, h3, s1, s2, other)) {
      participantIds.add(c.participantId);
    }
  }

  private String stage(String name) {
    return await(http.post("/api/v1/events/" + eventId + "/stages", new JsonObject().put("name", name))).json().getString("id");
  }

  private WsClient viewer(String stageId, String source) {
    WsClient c = await(WsClient.connect(clientVertx, server.port()));
    clients.add(c);
    assertThat(await(c.join(stageId, source)).getString("type")).isEqualTo("joined");
    return c;
  }

  private static JsonObject action(String type) {
    return new JsonObject().put("type", type).put("id", WsClient.nextId(type));
  }

  private static JsonObject ok(Future<JsonObject> reply) {
    JsonObject r = await(reply);
    assertThat(r.getString("type")).as(r.encode()).isEqualTo("ack");
    return r;
  }

  private Http.Response export(String path) {
    Http.Response r = await(http.get(path));
    assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    return r;
  }

  private static List<JsonObject> rows(JsonObject export, String table) {
    return export.getJsonArray(table).stream().map(JsonObject.class::cast).collect(Collectors.toList());
  }

  /**
   * Polls the event's presence table (with Vert.x timers) until a sample of stage 1 shows everyone who
   * joined, and one of stage 2 its viewer, in the same interval; returns that interval's start.
   */
  private String awaitFullSample() {
    for (int i = 0; i < 100; i++) {
      List<JsonObject> presence = rows(export("/api/v1/events/" + eventId + "/export?kind=presence").json(), "presence");
      Set<String> full2 = presence.stream().filter(p -> p.getString("stageId").equals(stage2) && p.getLong("viewers") == 1)
          .map(p -> p.getString("at")).collect(Collectors.toSet());
      for (JsonObject p : presence) {
        if (p.getString("stageId").equals(stage1) && p.getLong("viewers") == 6 && full2.contains(p.getString("at"))) {
          return p.getString("at");
        }
      }
      await(Future.<Void>future(p -> clientVertx.setTimer(200, id -> p.complete())));
    }
    throw new AssertionError("no sample with every viewer within 20 s");
  }

  // ---- the tests ---------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"memory", "redis"})
  void jsonExportSplitsViewersByJoinSourceAndCountsEveryInteractionOnce(String engine) {
    start(engine);
    String fullAt = awaitFullSample();
    JsonObject e = export("/api/v1/events/" + eventId + "/export?format=json").json();

    List<JsonObject> presence = rows(e, "presence");
    JsonObject full = presence.stream().filter(p -> p.getString("stageId").equals(stage1) && p.getString("at").equals(fullAt))
        .findFirst().orElseThrow();
    assertThat(full.getLong("viewersHall")).isEqualTo(3);
    assertThat(full.getLong("viewersStream")).isEqualTo(2);
    assertThat(full.getLong("viewersOther")).isEqualTo(1);
    assertThat(full.getLong("moderators")).isEqualTo(1);
    assertThat(full.getLong("presenters")).isZero();
    assertThat(full.getString("talkId")).isEqualTo(talkId);
    assertThat(full.getString("talk")).isEqualTo("Keynote");
    Map<String, Long> perInterval = new HashMap<>();
    for (JsonObject p : presence) {
      assertThat(Instant.parse(p.getString("at")).toEpochMilli() % 1000).as("aligned to the interval").isZero();
      assertThat(p.getLong("viewersHall") + p.getLong("viewersStream") + p.getLong("viewersOther")).isEqualTo(p.getLong("viewers"));
      perInterval.merge(p.getString("stageId") + "@" + p.getString("at"), 1L, Long::sum);
    }
    assertThat(perInterval.values()).as("one sample per stage per interval").containsOnly(1L);

    List<JsonObject> activity = rows(e, "activity");
    assertThat(sum(activity, stage1, "votes")).isEqualTo(4);
    assertThat(sum(activity, stage1, "words")).isEqualTo(2);
    assertThat(sum(activity, stage1, "questions")).isEqualTo(1);
    assertThat(sum(activity, stage1, "comments")).isEqualTo(1);
    assertThat(sum(activity, stage1, "feedback")).isEqualTo(1);
    assertThat(sum(activity, stage1, "upvotes")).isEqualTo(2);
    assertThat(sum(activity, stage1, "reactions")).isEqualTo(2);
    assertThat(sum(activity, stage2, "reactions")).isEqualTo(1);
    assertThat(sum(activity, stage2, "votes")).isEqualTo(1);
    assertThat(activity).allSatisfy(a -> assertThat(a.getString("minute")).endsWith(":00Z"));

    List<JsonObject> summary = rows(e, "summary");
    assertThat(summary).extracting(s -> s.getString("scope")).containsExactly("talk", "stage", "stage", "event");
    JsonObject talk = summary.get(0);
    assertThat(talk.getString("talkId")).isEqualTo(talkId);
    assertThat(talk.getLong("participants")).as("h1 h2 h3 s1 s2 interacted; the sixth viewer did not").isEqualTo(5);
    assertThat(talk.getLong("peakViewers")).isEqualTo(6);
    assertThat(talk.getLong("votes")).isEqualTo(4);
    JsonObject s1 = summary.get(1);
    assertThat(s1.getString("stageId")).isEqualTo(stage1);
    assertThat(s1.getValue("talkId")).isNull();
    assertThat(s1.getLong("participants")).isEqualTo(5);
    assertThat(s1.getLong("peakViewers")).isEqualTo(6);
    assertThat(s1.getLong("peakViewersHall")).isEqualTo(3);
    assertThat(s1.getLong("peakViewersStream")).isEqualTo(2);
    assertThat(s1.getString("peakAt")).isNotNull();
    assertThat(s1.getLong("reactions")).isEqualTo(2);
    JsonObject s2 = summary.get(2);
    assertThat(s2.getLong("participants")).isEqualTo(1);
    assertThat(s2.getLong("peakViewersStream")).isEqualTo(1);
    JsonObject event = summary.get(3);
    assertThat(event.getValue("stageId")).isNull();
    assertThat(event.getLong("participants")).isEqualTo(6);
    assertThat(event.getLong("peakViewers")).as("both stages in one interval").isEqualTo(7);
    assertThat(event.getLong("peakViewersStream")).isEqualTo(3);
    assertThat(event.getLong("votes")).isEqualTo(5);
    assertThat(event.getLong("reactions")).isEqualTo(3);
    assertThat(e.encode()).satisfies(raw -> participantIds.forEach(id -> assertThat(raw).doesNotContain(id)));
  }

  private static long sum(List<JsonObject> rows, String stageId, String column) {
    return rows.stream().filter(r -> r.getString("stageId").equals(stageId)).mapToLong(r -> r.getLong(column)).sum();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"memory", "redis"})
  void csvAndXlsxCarryTheSameFigures(String engine) throws IOException {
    start(engine);
    awaitFullSample();
    for (char separator : new char[] {',', ';'}) {
      String sep = separator == ';' ? "&separator=semicolon" : "";
      List<Map<String, String>> summary = csv(export("/api/v1/events/" + eventId + "/export?format=csv&kind=summary" + sep)
          .body().getBytes(), separator);
      assertThat(summary).extracting(r -> r.get("scope") + ":" + r.get("participants") + ":" + r.get("votes"))
          .containsExactly("talk:5:4", "stage:5:4", "stage:1:1", "event:6:5");
      assertThat(summary.get(3).get("stageId")).isEmpty();
      List<Map<String, String>> presence = csv(export("/api/v1/stages/" + stage1 + "/export?format=csv&kind=presence" + sep)
          .body().getBytes(), separator);
      assertThat(presence).anySatisfy(p -> {
        assertThat(p.get("viewers")).isEqualTo("6");
        assertThat(p.get("viewersHall")).isEqualTo("3");
        assertThat(p.get("viewersStream")).isEqualTo("2");
        assertThat(p.get("viewersOther")).isEqualTo("1");
      });
      List<Map<String, String>> activity = csv(export("/api/v1/stages/" + stage1 + "/export?format=csv&kind=activity" + sep)
          .body().getBytes(), separator);
      assertThat(activity.stream().mapToLong(a -> Long.parseLong(a.get("upvotes"))).sum()).isEqualTo(2);
    }

    byte[] xlsx = export("/api/v1/events/" + eventId + "/export?format=xlsx").body().getBytes();
    try (ReadableWorkbook wb = new ReadableWorkbook(new ByteArrayInputStream(xlsx))) {
      Map<String, List<Map<String, Object>>> sheets = new HashMap<>();
      for (Sheet sheet : wb.getSheets().collect(Collectors.toList())) {
        List<Row> rows = sheet.read();
        List<String> header = new ArrayList<>();
        rows.get(0).forEach(cell -> header.add(cell.asString()));
        List<Map<String, Object>> maps = new ArrayList<>();
        for (Row row : rows.subList(1, rows.size())) {
          Map<String, Object> m = new HashMap<>();
          for (int i = 0; i < header.size(); i++) {
            org.dhatim.fastexcel.reader.Cell cell = i < row.getCellCount() ? row.getCell(i) : null;
            m.put(header.get(i), cell == null ? null : cell.getValue());
          }
          maps.add(m);
        }
        sheets.put(sheet.getName(), maps);
      }
      assertThat(sheets).containsKeys("presence", "activity", "summary");
      assertThat(sheets.get("summary")).extracting(r -> r.get("scope") + ":" + ((BigDecimal) r.get("participants")).longValue()
          + ":" + ((BigDecimal) r.get("reactions")).longValue())
          .containsExactly("talk:5:2", "stage:5:2", "stage:1:1", "event:6:3");
      assertThat(sheets.get("presence")).anySatisfy(p -> {
        assertThat(((BigDecimal) p.get("viewersHall")).longValue()).isEqualTo(3);
        assertThat(((BigDecimal) p.get("viewersStream")).longValue()).isEqualTo(2);
      });
    }
  }

  private static List<Map<String, String>> csv(byte[] bytes, char separator) throws IOException {
    assertThat(bytes).startsWith((byte) 0xEF, (byte) 0xBB, (byte) 0xBF);
    String text = new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8);
    List<Map<String, String>> rows = new ArrayList<>();
    try (CSVParser parser = CSVFormat.RFC4180.builder().setDelimiter(separator).setHeader().setSkipHeaderRecord(true).get()
        .parse(new StringReader(text))) {
      for (CSVRecord record : parser) {
        rows.add(record.toMap());
      }
    }
    return rows;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"memory", "redis"})
  void theInteractionLogIsPseudonymisedPerExport(String engine) {
    start(engine);
    List<JsonObject> lines = jsonl(export("/api/v1/events/" + eventId + "/export?format=jsonl"));
    assertThat(lines).extracting(l -> l.getString("kind")).containsExactly("votes", "votes", "votes", "votes", "words",
        "words", "questions", "comments", "feedback", "upvotes", "upvotes", "reactions", "reactions", // stage 1
        "reactions", "votes"); // stage 2
    JsonObject first = lines.get(0);
    assertThat(first.getString("stageId")).isEqualTo(stage1);
    assertThat(first.getString("talkId")).isEqualTo(talkId);
    assertThat(first.getString("targetId")).isEqualTo(pollId);
    assertThat(first.getJsonArray("choices")).containsExactly("a");
    assertThat(first.getJsonArray("options")).containsExactly("Ja");
    assertThat(lines.get(4).getString("word")).isEqualTo("Klima");
    assertThat(lines.get(6).getString("text")).isEqualTo("Wann geht es los?");
    assertThat(lines.get(9).getBoolean("up")).isTrue();
    assertThat(lines.get(11).getString("emoji")).isEqualTo("👏");
    assertThat(lines.get(11).getValue("targetId")).isNull();
    // h1 voted first and asked the question: one pseudonym within the file; six people, six pseudonyms
    assertThat(lines.get(6).getString("participant")).isEqualTo(first.getString("participant"));
    Set<String> pseudonyms = lines.stream().map(l -> l.getString("participant")).collect(Collectors.toSet());
    assertThat(pseudonyms).hasSize(6).allSatisfy(p -> assertThat(p).matches("p-[A-Za-z0-9_-]{16}"));
    String raw = lines.toString();
    participantIds.forEach(id -> assertThat(raw).doesNotContain(id));
    assertThat(raw).doesNotContain("127.0.0.1");

    Set<String> again = jsonl(export("/api/v1/events/" + eventId + "/export?format=jsonl")).stream()
        .map(l -> l.getString("participant")).collect(Collectors.toSet());
    assertThat(again).as("another export, other pseudonyms").hasSize(6).doesNotContainAnyElementsOf(pseudonyms);

    List<JsonObject> talkOnly = jsonl(export("/api/v1/stages/" + stage1 + "/talks/" + talkId + "/export?format=jsonl"));
    assertThat(talkOnly).hasSize(13).allSatisfy(l -> assertThat(l.getString("talkId")).isEqualTo(talkId));
  }

  private static List<JsonObject> jsonl(Http.Response r) {
    String body = r.body().toString(StandardCharsets.UTF_8);
    assertThat(body).endsWith("\n");
    return body.lines().map(JsonObject::new).collect(Collectors.toList());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"memory"})
  void aTalksExportHoldsOnlyItsRowsAndBadRequestsAreRefused(String engine) {
    start(engine);
    awaitFullSample();
    JsonObject t = export("/api/v1/stages/" + stage1 + "/talks/" + talkId + "/export").json();
    assertThat(t.getString("stageId")).isEqualTo(stage1);
    assertThat(rows(t, "summary")).extracting(s -> s.getString("scope")).containsExactly("talk");
    assertThat(rows(t, "presence")).isNotEmpty().allSatisfy(p -> assertThat(p.getString("talkId")).isEqualTo(talkId));
    assertThat(rows(t, "polls")).isNotEmpty().allSatisfy(p -> assertThat(p.getString("talkId")).isEqualTo(talkId));
    assertThat(rows(t, "reactions")).as("stage totals name no talk").isEmpty();
    assertThat(rows(export("/api/v1/stages/" + stage2 + "/export").json(), "summary")).extracting(s -> s.getString("scope"))
        .containsExactly("stage");

    String base = "/api/v1/stages/" + stage1 + "/talks/" + talkId + "/export";
    assertError(await(http.get("/api/v1/stages/" + stage2 + "/talks/" + talkId + "/export")), 404, "unknown_talk");
    assertError(await(http.get("/api/v1/stages/" + stage1 + "/talks/tknothere000/export")), 404, "unknown_talk");
    assertError(await(http.get("/api/v1/stages/stnothere000/talks/" + talkId + "/export")), 404, "unknown_stage");
    assertError(await(http.get(base + "?format=jsonl&kind=polls")), 400, "invalid_field");
    assertError(await(http.get(base + "?format=jsonl&separator=semicolon")), 400, "invalid_field");
    assertError(await(http.get(base + "?format=csv&kind=presenz")), 400, "invalid_field");
    assertError(await(http.getAnonymous(base)), 401, "unauthorized");

    // a join with an unknown source is refused and joins nothing
    WsClient c = await(WsClient.connect(clientVertx, server.port()));
    clients.add(c);
    JsonObject refused = await(c.join(stage1, "beamer"));
    assertThat(refused.getString("type")).isEqualTo("error");
    assertThat(refused.getString("code")).isEqualTo("invalid_field");
  }

  private static void assertError(Http.Response r, int status, String code) {
    assertThat(r.status()).as(r.body().toString()).isEqualTo(status);
    assertThat(r.json().getJsonObject("error").getString("code")).isEqualTo(code);
  }
}
