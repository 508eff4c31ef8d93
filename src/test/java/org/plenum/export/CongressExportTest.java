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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
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
 * Issue 8's key test: a scripted congress over real connections, on both engines. Three stages, each
 * with a talk long past or still to come (which must show zeros) and a running one; on stage 1 the
 * running "Keynote" is cut short during the script and the "Panel" follows, so items are attributed by
 * the time the poll or cloud was opened, the post sent or the interaction accepted. Viewers join from
 * the hall, the stream and neither; polls of every kind, a word cloud with a hidden and a merged word,
 * questions with upvotes, an answer and a reply, comments, feedback, reactions. Every export (event,
 * each stage, each talk) is read back in every format — JSON (checked against the OpenAPI row schemas),
 * CSV with both separators (Commons CSV, BOM checked), XLSX (fastexcel-reader), JSON Lines — and every
 * figure is asserted; the formats must carry identical rows. Per-minute figures are asserted as sums
 * (which minute a thing fell in is not under the test's control), the split between the two talks of
 * stage 1 likewise for minute-based totals; everything attributed by an instant is asserted exactly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CongressExportTest {
  private static final List<String> TABLES = List.of("polls", "words", "posts", "reactions", "timeline", "presence",
      "activity", "summary", "scores", "survey");
  private static final Map<String, String> ROW_SCHEMAS = Map.of("survey", "ExportSurveyRow", "polls", "ExportPollRow", "words", "ExportWordRow",
      "posts", "ExportPostRow", "reactions", "ExportReactionRow", "timeline", "ExportTimelineRow",
      "presence", "ExportPresenceRow", "activity", "ExportActivityRow", "summary", "ExportSummaryRow",
      "scores", "ExportScoreRow");

  private RedisServerProcess redis;
  private Vertx serverVertx;
  private Vertx clientVertx;
  private PlenumServer server;
  private Http http;
  private final List<WsClient> clients = new ArrayList<>();
  private final List<String> participantIds = new ArrayList<>();

  private String eventId;
  private String s1;
  private String s2;
  private String s3;
  private String pastTalk;
  private String keynote;
  private String panel;
  private String morning;
  private String workshop;
  private String evening;
  private String lightning;
  private String single;
  private String multiple;
  private String rating;
  private String s2poll;
  private String cloud1;
  private String cloud3;
  private String q1;
  private String q2;
  private String q3;
  private Instant split;

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
      env.putAll(Map.of("PLENUM_ENGINE", "redis", "PLENUM_REDIS_URL", redis.url(), "PLENUM_NODE_ID", "congress-" + System.nanoTime()));
    }
    server = await(TestServer.start(serverVertx, env));
    http = new Http(clientVertx, server.port(), TestServer.ORGANISER_TOKEN);
    participantIds.clear();
  }

  // ---- the script --------------------------------------------------------------------------

  private void script() {
    eventId = await(http.post("/api/v1/events", new JsonObject().put("name", "Kongress 2026"))).json().getString("id");
    s1 = stage("Saal 1");
    s2 = stage("Saal 2");
    s3 = stage("Saal 3");
    Instant now = Instant.now();
    pastTalk = talk(s1, "Frühstück", now.minus(3, ChronoUnit.HOURS), now.minus(2, ChronoUnit.HOURS));
    keynote = talk(s1, "Keynote", now.minus(1, ChronoUnit.HOURS), now.plus(1, ChronoUnit.HOURS));
    morning = talk(s2, "Vormittag", now.minus(3, ChronoUnit.HOURS), now.minus(2, ChronoUnit.HOURS));
    workshop = talk(s2, "Workshop", now.minus(1, ChronoUnit.HOURS), now.plus(1, ChronoUnit.HOURS));
    evening = talk(s3, "Abend", now.plus(2, ChronoUnit.HOURS), now.plus(3, ChronoUnit.HOURS));
    lightning = talk(s3, "Lightning", now.minus(1, ChronoUnit.HOURS), now.plus(1, ChronoUnit.HOURS));

    // stage 1, the keynote: 3 hall, 2 stream, 1 neither; a moderator (not a viewer)
    WsClient h1 = viewer(s1, "hall");
    WsClient h2 = viewer(s1, "hall");
    WsClient h3 = viewer(s1, "hall");
    WsClient st1 = viewer(s1, "stream");
    WsClient st2 = viewer(s1, "stream");
    viewer(s1, null);
    WsClient moderator = await(WsClient.connect(clientVertx, server.port()));
    clients.add(moderator);
    assertThat(await(moderator.joinAsModerator(s1, TestServer.ORGANISER_TOKEN)).getString("type")).isEqualTo("joined");
    // stage 2: 2 hall, 1 stream; stage 3: 2 stream, 1 neither
    WsClient w1 = viewer(s2, "hall");
    WsClient w2 = viewer(s2, "hall");
    WsClient w3 = viewer(s2, "stream");
    WsClient l1 = viewer(s3, "stream");
    WsClient l2 = viewer(s3, "stream");
    WsClient l3 = viewer(s3, null);

    single = poll(s1, new JsonObject().put("kind", "single").put("question", "Welche Option?")
        .put("options", new JsonArray().add("A").add("B").add("C")));
    multiple = poll(s1, new JsonObject().put("kind", "multiple").put("question", "Welche Themen?")
        .put("options", new JsonArray().add("X").add("Y").add("Z")));
    ok(h1.vote("congress-v1", single, "a"));
    ok(h1.vote("congress-v1", single, "a")); // a retry: acknowledged again, counted once
    ok(h2.vote(single, "a"));
    ok(h3.vote(single, "b"));
    ok(st1.vote(single, "a"));
    ok(h1.request(action("vote").put("pollId", multiple).put("choices", new JsonArray().add("a").add("b"))));
    ok(h2.request(action("vote").put("pollId", multiple).put("choices", new JsonArray().add("b"))));
    ok(st2.request(action("vote").put("pollId", multiple).put("choices", new JsonArray().add("b").add("c"))));

    cloud1 = await(http.openCloud(s1, 3)).getJsonObject("cloud").getString("id");
    ok(word(h1, cloud1, "Klima"));
    ok(word(h2, cloud1, "klima"));
    ok(word(st1, cloud1, "Verkehr"));
    String spam = ok(word(h3, cloud1, "Spam")).getString("key");
    String ki = ok(word(st2, cloud1, "KI")).getString("key");
    String ai = ok(word(h3, cloud1, "AI")).getString("key");
    ok(http.post("/api/v1/stages/" + s1 + "/clouds/" + cloud1 + "/hide-word", new JsonObject().put("key", spam)));
    ok(http.post("/api/v1/stages/" + s1 + "/clouds/" + cloud1 + "/merge", new JsonObject().put("from", ai).put("into", ki)));

    q1 = ok(h1.request(action("post").put("kind", "question").put("text", "Wann gibt es Kaffee?"))).getString("postId");
    ok(st2.request(action("post").put("kind", "comment").put("text", "Toller Vortrag")));
    ok(h2.request(action("upvote").put("postId", q1)));
    ok(st1.request(action("upvote").put("postId", q1)));
    ok(http.post("/api/v1/stages/" + s1 + "/posts/" + q1 + "/answer", null));
    ok(http.post("/api/v1/stages/" + s1 + "/posts/" + q1 + "/reply", new JsonObject().put("text", "Um zehn.")));
    ok(h1.request(action("react").put("emoji", "👏")));
    ok(h1.request(action("react").put("emoji", "👏")));
    ok(h2.request(action("react").put("emoji", "❤️")));
    // the keynote's feedback survey (issue 12): three respond, one of them twice (the latest counts)
    String survey = "/api/v1/stages/" + s1 + "/talks/" + keynote + "/survey";
    assertThat(await(http.send(io.vertx.core.http.HttpMethod.PUT, survey, new JsonObject().put("questions", new JsonArray()
        .add(new JsonObject().put("kind", "rating").put("text", "Wie war die Keynote?").put("scale", 10))
        .add(new JsonObject().put("kind", "single").put("text", "Nützlich?").put("options", new JsonArray().add("Ja").add("Nein")))
        .add(new JsonObject().put("kind", "text").put("text", "Anregungen?"))), TestServer.ORGANISER_TOKEN)).status()).isEqualTo(200);
    ok(http.post(survey + "/open", null));
    ok(h1.request(surveyAnswer(keynote, 7, "b", null)));
    ok(h1.request(surveyAnswer(keynote, 9, "a", "Mehr Zeit für Fragen")));
    ok(h2.request(surveyAnswer(keynote, 6, "a", null)));
    ok(st1.request(surveyAnswer(keynote, null, "b", "Folien teilen")));

    // stage 2 and 3, all in their running talk
    s2poll = poll(s2, new JsonObject().put("kind", "single").put("question", "Ja oder nein?")
        .put("options", new JsonArray().add("Ja").add("Nein")));
    ok(w1.vote(s2poll, "a"));
    ok(w2.vote(s2poll, "b"));
    ok(w3.vote(s2poll, "a"));
    ok(w3.request(action("post").put("kind", "comment").put("text", "Mehr davon")));
    ok(w1.request(action("react").put("emoji", "❤️")));
    cloud3 = await(http.openCloud(s3, 3)).getJsonObject("cloud").getString("id");
    ok(word(l1, cloud3, "Open Source"));
    ok(word(l2, cloud3, "open source"));
    q3 = ok(l3.request(action("post").put("kind", "question").put("text", "Folien online?"))).getString("postId");

    // the keynote's peak (6 on stage 1) is sampled before it ends
    awaitSample(p -> at(p, s1, 6));
    pause(5);
    split = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    pause(5);
    assertThat(await(http.put("/api/v1/stages/" + s1 + "/talks/" + keynote, new JsonObject().put("title", "Keynote")
        .put("startsAt", now.minus(1, ChronoUnit.HOURS).toString()).put("endsAt", split.toString()))).status()).isEqualTo(200);
    panel = talk(s1, "Panel", split, now.plus(1, ChronoUnit.HOURS));
    // no sample before the panel may see the late joiners: wait for one of the panel's intervals
    awaitSample(p -> p.getString("stageId").equals(s1) && !Instant.parse(p.getString("at")).isBefore(split));

    // stage 1, the panel: two more join by the stream link
    WsClient st3 = viewer(s1, "stream");
    WsClient st4 = viewer(s1, "stream");
    rating = poll(s1, new JsonObject().put("kind", "rating").put("question", "Wie war die Keynote?").put("scale", 5));
    ok(st3.request(action("vote").put("pollId", rating).put("rating", 4)));
    ok(st4.request(action("vote").put("pollId", rating).put("rating", 5)));
    ok(h1.request(action("vote").put("pollId", rating).put("rating", 3)));
    ok(st3.vote(single, "c")); // the keynote's poll, still open: the row stays the keynote's, the vote is the panel's
    q2 = ok(st3.request(action("post").put("kind", "question").put("text", "Wer moderiert?"))).getString("postId");
    ok(st4.request(action("upvote").put("postId", q2)));
    ok(h2.request(action("upvote").put("postId", q2)));
    ok(st4.request(action("post").put("kind", "feedback").put("text", "Gerne länger")));
    ok(st3.request(action("react").put("emoji", "👏")));

    for (WsClient c : List.of(h1, h2, h3, st1, st2, st3, st4, w1, w2, w3, l1, l2, l3)) {
      participantIds.add(c.participantId);
    }
    // everyone at once: stage 1 with 8, stage 2 with 3, stage 3 with 3 in one interval
    awaitSample(p -> at(p, s1, 8), p -> at(p, s2, 3), p -> at(p, s3, 3));
    // then everyone leaves, so that no further samples change the figures between the formats' exports
    clients.forEach(c -> await(c.close()));
    clients.clear();
    String before;
    String after = presenceNow();
    int rounds = 0;
    do {
      assertThat(rounds++).as("presence samples stop once nobody is connected").isLessThan(10);
      before = after;
      pause(2_100);
      after = presenceNow();
    } while (!after.equals(before));
  }

  private static boolean at(JsonObject p, String stageId, long viewers) {
    return p.getString("stageId").equals(stageId) && p.getLong("viewers") == viewers;
  }

  private String presenceNow() {
    return export("/api/v1/events/" + eventId + "/export?format=json&kind=presence").json().getJsonArray("presence").encode();
  }

  private String stage(String name) {
    return await(http.post("/api/v1/events/" + eventId + "/stages", new JsonObject().put("name", name))).json().getString("id");
  }

  private String talk(String stageId, String title, Instant from, Instant to) {
    Http.Response r = await(http.post("/api/v1/stages/" + stageId + "/talks", new JsonObject().put("title", title)
        .put("startsAt", from.toString()).put("endsAt", to.toString())));
    assertThat(r.status()).as(r.body().toString()).isBetween(200, 201);
    return r.json().getString("id");
  }

  private String poll(String stageId, JsonObject spec) {
    return await(http.post("/api/v1/stages/" + stageId + "/polls", spec.put("resultsVisible", true).put("open", true)))
        .json().getJsonObject("poll").getString("id");
  }

  private WsClient viewer(String stageId, String source) {
    WsClient c = await(WsClient.connect(clientVertx, server.port()));
    clients.add(c);
    JsonObject joined = await(source == null ? c.join(stageId) : c.join(stageId, source));
    assertThat(joined.getString("type")).isEqualTo("joined");
    return c;
  }

  private static JsonObject surveyAnswer(String talkId, Integer rating, String choice, String text) {
    JsonObject answers = new JsonObject().put("q2", new JsonObject().put("choices", new JsonArray().add(choice)));
    if (rating != null) {
      answers.put("q1", new JsonObject().put("rating", rating));
    }
    if (text != null) {
      answers.put("q3", new JsonObject().put("text", text));
    }
    return action("survey").put("talkId", talkId).put("answers", answers);
  }

  private static JsonObject action(String type) {
    return new JsonObject().put("type", type).put("id", WsClient.nextId(type));
  }

  private static Future<JsonObject> word(WsClient c, String cloudId, String text) {
    return c.request(action("word").put("cloudId", cloudId).put("text", text));
  }

  private static JsonObject ok(Future<JsonObject> reply) {
    JsonObject r = await(reply);
    assertThat(r.getString("type")).as(r.encode()).isEqualTo("ack");
    return r;
  }

  private static void ok(Future<Http.Response> response, Object... unused) {
    Http.Response r = await(response);
    assertThat(r.status()).as(r.body().toString()).isBetween(200, 299);
  }

  private void pause(long ms) {
    await(Future.<Void>future(p -> clientVertx.setTimer(ms, id -> p.complete())));
  }

  /** Polls the presence table (Vert.x timers) until one interval has a sample matching each condition. */
  @SafeVarargs
  private void awaitSample(Predicate<JsonObject>... conditions) {
    for (int i = 0; i < 150; i++) {
      Map<String, List<JsonObject>> byInterval = rows(export("/api/v1/events/" + eventId + "/export?format=json&kind=presence")
          .json(), "presence").stream().collect(Collectors.groupingBy(p -> p.getString("at")));
      for (List<JsonObject> interval : byInterval.values()) {
        boolean all = true;
        for (Predicate<JsonObject> c : conditions) {
          all &= interval.stream().anyMatch(c);
        }
        if (all) {
          return;
        }
      }
      pause(200);
    }
    throw new AssertionError("no such presence sample within 30 s");
  }

  // ---- reading back ------------------------------------------------------------------------

  private Http.Response export(String path) {
    Http.Response r = await(http.get(path));
    assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    return r;
  }

  private static List<JsonObject> rows(JsonObject export, String table) {
    return export.getJsonArray(table).stream().map(JsonObject.class::cast).collect(Collectors.toList());
  }

  private static List<JsonObject> where(List<JsonObject> rows, String column, Object value) {
    return rows.stream().filter(r -> value.equals(r.getValue(column))).collect(Collectors.toList());
  }

  private static JsonObject one(List<JsonObject> rows, String column, Object value) {
    List<JsonObject> found = where(rows, column, value);
    assertThat(found).as(column + "=" + value).hasSize(1);
    return found.get(0);
  }

  private static long sum(List<JsonObject> rows, String column) {
    return rows.stream().mapToLong(r -> r.getLong(column)).sum();
  }

  /** A cell's figure in one canonical spelling, whatever the format: numbers by value, null as empty. */
  private static String canonical(Object v, String type, boolean decimalComma) {
    if (v == null) {
      return "";
    }
    if (type.equals("integer") || type.equals("number")) {
      String s = v.toString();
      if (s.isEmpty()) {
        return "";
      }
      return new BigDecimal(decimalComma ? s.replace(',', '.') : s).stripTrailingZeros().toPlainString();
    }
    return v.toString();
  }

  private Map<String, String> columnTypes(JsonObject schemas, String table) {
    Map<String, String> types = new LinkedHashMap<>();
    JsonObject props = schemas.getJsonObject(ROW_SCHEMAS.get(table)).getJsonObject("properties");
    props.fieldNames().forEach(f -> types.put(f, props.getJsonObject(f).getString("type")));
    return types;
  }

  private static List<Map<String, String>> canonicalJson(List<JsonObject> rows, Map<String, String> types) {
    List<Map<String, String>> out = new ArrayList<>();
    for (JsonObject r : rows) {
      Map<String, String> m = new LinkedHashMap<>();
      types.forEach((c, t) -> m.put(c, canonical(r.getValue(c), t, false)));
      out.add(m);
    }
    return out;
  }

  private static List<Map<String, String>> csv(byte[] bytes, char separator, Map<String, String> types) throws IOException {
    assertThat(bytes).as("UTF-8 byte-order mark").startsWith((byte) 0xEF, (byte) 0xBB, (byte) 0xBF);
    String text = new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8);
    List<Map<String, String>> out = new ArrayList<>();
    try (CSVParser parser = CSVFormat.RFC4180.builder().setDelimiter(separator).setHeader().setSkipHeaderRecord(true).get()
        .parse(new StringReader(text))) {
      assertThat(parser.getHeaderNames()).isEqualTo(new ArrayList<>(types.keySet()));
      for (CSVRecord record : parser) {
        Map<String, String> m = new LinkedHashMap<>();
        types.forEach((c, t) -> m.put(c, canonical(record.get(c), t, separator == ';')));
        out.add(m);
      }
    }
    return out;
  }

  private static Map<String, List<Map<String, String>>> xlsx(byte[] bytes, Map<String, Map<String, String>> typesByTable)
      throws IOException {
    assertThat(bytes).startsWith((byte) 'P', (byte) 'K');
    Map<String, List<Map<String, String>>> sheets = new LinkedHashMap<>();
    try (ReadableWorkbook wb = new ReadableWorkbook(new ByteArrayInputStream(bytes))) {
      for (Sheet sheet : wb.getSheets().collect(Collectors.toList())) {
        Map<String, String> types = typesByTable.get(sheet.getName());
        List<Row> rows = sheet.read();
        List<String> header = new ArrayList<>();
        rows.get(0).forEach(cell -> header.add(cell.asString()));
        assertThat(header).isEqualTo(new ArrayList<>(types.keySet()));
        List<Map<String, String>> maps = new ArrayList<>();
        for (Row row : rows.subList(1, rows.size())) {
          Map<String, String> m = new LinkedHashMap<>();
          for (int i = 0; i < header.size(); i++) {
            org.dhatim.fastexcel.reader.Cell cell = i < row.getCellCount() ? row.getCell(i) : null;
            Object v = cell == null ? null : cell.getValue();
            String type = types.get(header.get(i));
            if (v != null && (type.equals("integer") || type.equals("number"))) {
              assertThat(v).as(sheet.getName() + "." + header.get(i) + " is a number cell").isInstanceOf(BigDecimal.class);
            }
            if (v != null && type.equals("boolean")) {
              assertThat(v).as(sheet.getName() + "." + header.get(i) + " is a boolean cell").isInstanceOf(Boolean.class);
            }
            m.put(header.get(i), canonical(v, type, false));
          }
          maps.add(m);
        }
        sheets.put(sheet.getName(), maps);
      }
    }
    return sheets;
  }

  /** Each JSON row has exactly the schema's properties, in order, each of its type or null where nullable. */
  private static void assertRowsMatchSchema(JsonObject export, JsonObject schemas) {
    JsonObject top = schemas.getJsonObject("Export");
    top.getJsonArray("required").forEach(f -> assertThat(export.containsKey((String) f)).as("export." + f).isTrue());
    assertThat(export.getString("schema")).isEqualTo("plenum-export/1");
    for (String table : TABLES) {
      JsonObject schema = schemas.getJsonObject(ROW_SCHEMAS.get(table));
      JsonObject props = schema.getJsonObject("properties");
      List<String> required = schema.getJsonArray("required").stream().map(String.class::cast).toList();
      for (JsonObject row : rows(export, table)) {
        assertThat(new ArrayList<>(row.fieldNames())).as(table + " row columns").isEqualTo(new ArrayList<>(props.fieldNames()));
        assertThat(row.fieldNames()).containsAll(required);
        for (String f : row.fieldNames()) {
          JsonObject p = props.getJsonObject(f);
          Object v = row.getValue(f);
          if (v == null) {
            assertThat(p.getBoolean("nullable", false)).as(table + "." + f + " may be null").isTrue();
            continue;
          }
          switch (p.getString("type")) {
            case "integer" -> assertThat(v).as(table + "." + f).isInstanceOfAny(Integer.class, Long.class);
            case "number" -> assertThat(v).as(table + "." + f).isInstanceOf(Number.class);
            case "boolean" -> assertThat(v).as(table + "." + f).isInstanceOf(Boolean.class);
            default -> {
              assertThat(v).as(table + "." + f).isInstanceOf(String.class);
              if ("date-time".equals(p.getString("format"))) {
                Instant.parse((String) v);
              }
              if (p.containsKey("enum")) {
                assertThat(p.getJsonArray("enum").getList()).as(table + "." + f).contains(v);
              }
            }
          }
        }
      }
    }
  }

  // ---- the test ----------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"memory", "redis"})
  void everyFigureOfTheScriptedCongressInEveryFormat(String engine) throws IOException {
    start(engine);
    script();
    JsonObject schemas = await(http.get("/api/v1/openapi.json")).json().getJsonObject("components").getJsonObject("schemas");
    Map<String, Map<String, String>> types = new LinkedHashMap<>();
    TABLES.forEach(t -> types.put(t, columnTypes(schemas, t)));

    Http.Response eventResponse = export("/api/v1/events/" + eventId + "/export?format=json");
    JsonObject e = eventResponse.json();
    assertRowsMatchSchema(e, schemas);
    assertEventFigures(e);
    String raw = eventResponse.body().toString();
    participantIds.forEach(id -> assertThat(raw).doesNotContain(id));

    // every scope, every format: the same rows
    List<String> scopes = new ArrayList<>(List.of("/api/v1/events/" + eventId + "/export", "/api/v1/stages/" + s1 + "/export",
        "/api/v1/stages/" + s2 + "/export", "/api/v1/stages/" + s3 + "/export"));
    for (String[] t : new String[][] {{s1, pastTalk}, {s1, keynote}, {s1, panel}, {s2, morning}, {s2, workshop},
        {s3, evening}, {s3, lightning}}) {
      scopes.add("/api/v1/stages/" + t[0] + "/talks/" + t[1] + "/export");
    }
    Map<String, JsonObject> jsonByScope = new HashMap<>();
    for (String scope : scopes) {
      JsonObject json = export(scope + "?format=json").json();
      assertRowsMatchSchema(json, schemas);
      jsonByScope.put(scope, json);
      Map<String, List<Map<String, String>>> sheets = xlsx(export(scope + "?format=xlsx").body().getBytes(), types);
      assertThat(sheets.keySet()).containsExactlyElementsOf(TABLES);
      for (String table : TABLES) {
        List<Map<String, String>> expected = canonicalJson(rows(json, table), types.get(table));
        assertThat(sheets.get(table)).as(scope + " xlsx " + table).isEqualTo(expected);
        assertThat(csv(export(scope + "?format=csv&kind=" + table).body().getBytes(), ',', types.get(table)))
            .as(scope + " csv , " + table).isEqualTo(expected);
        assertThat(csv(export(scope + "?format=csv&kind=" + table + "&separator=semicolon").body().getBytes(), ';',
            types.get(table))).as(scope + " csv ; " + table).isEqualTo(expected);
        JsonObject only = export(scope + "?format=json&kind=" + table).json();
        assertThat(canonicalJson(rows(only, table), types.get(table))).as(scope + " json kind " + table).isEqualTo(expected);
      }
    }
    // the event's rows are the stages' rows together (summary: plus the event's own row)
    for (String table : TABLES) {
      List<JsonObject> together = new ArrayList<>();
      for (String st : List.of(s1, s2, s3)) {
        together.addAll(rows(jsonByScope.get("/api/v1/stages/" + st + "/export"), table));
      }
      List<JsonObject> ofEvent = rows(e, table);
      if (table.equals("summary")) {
        ofEvent = ofEvent.subList(0, ofEvent.size() - 1);
      }
      assertThat(canonicalJson(ofEvent, types.get(table))).as("event " + table).isEqualTo(canonicalJson(together, types.get(table)));
    }
    assertTalkExports(jsonByScope);
    assertSemicolonDecimals();
    assertInteractionLog();
  }

  private void assertEventFigures(JsonObject e) {
    assertThat(e.getJsonArray("stages")).hasSize(3);
    assertThat(e.getJsonArray("stages").getJsonObject(0).getJsonArray("talks")).extracting(t -> ((JsonObject) t).getString("title"))
        .containsExactlyInAnyOrder("Frühstück", "Keynote", "Panel");

    // polls: counts, shares, mean, voters, attributed to the talk running when opened
    List<JsonObject> polls = rows(e, "polls");
    assertThat(polls).hasSize(3 + 3 + 5 + 2);
    List<JsonObject> one = where(polls, "pollId", single);
    assertThat(one).extracting(p -> p.getString("option")).containsExactly("A", "B", "C");
    assertThat(one).extracting(p -> p.getLong("count")).containsExactly(3L, 1L, 1L);
    assertThat(one).extracting(p -> p.getDouble("share")).containsExactly(0.6, 0.2, 0.2);
    assertThat(one).allSatisfy(p -> {
      assertThat(p.getLong("voters")).isEqualTo(5);
      assertThat(p.getValue("mean")).isNull();
      assertThat(p.getString("talkId")).isEqualTo(keynote);
      assertThat(p.getString("talk")).isEqualTo("Keynote");
      assertThat(p.getString("pollKind")).isEqualTo("single");
      assertThat(p.getString("state")).isEqualTo("open");
    });
    List<JsonObject> many = where(polls, "pollId", multiple);
    assertThat(many).extracting(p -> p.getLong("count")).containsExactly(1L, 3L, 1L);
    assertThat(many).extracting(p -> p.getDouble("share")).containsExactly(0.3333, 1.0, 0.3333);
    assertThat(many).allSatisfy(p -> {
      assertThat(p.getLong("voters")).isEqualTo(3);
      assertThat(p.getString("talkId")).isEqualTo(keynote);
    });
    List<JsonObject> rate = where(polls, "pollId", rating);
    assertThat(rate).extracting(p -> p.getString("optionKey")).containsExactly("1", "2", "3", "4", "5");
    assertThat(rate).extracting(p -> p.getLong("count")).containsExactly(0L, 0L, 1L, 1L, 1L);
    assertThat(rate).allSatisfy(p -> {
      assertThat(p.getDouble("mean")).isEqualTo(4.0);
      assertThat(p.getLong("voters")).isEqualTo(3);
      assertThat(p.getString("talkId")).as("opened during the panel").isEqualTo(panel);
      assertThat(p.getString("talk")).isEqualTo("Panel");
    });
    List<JsonObject> second = where(polls, "pollId", s2poll);
    assertThat(second).extracting(p -> p.getLong("count")).containsExactly(2L, 1L);
    assertThat(second).extracting(p -> p.getDouble("share")).containsExactly(0.6667, 0.3333);
    assertThat(second).allSatisfy(p -> assertThat(p.getString("talkId")).isEqualTo(workshop));

    // words: counts, contributors, entries, the hidden and the merged word
    List<JsonObject> words = rows(e, "words");
    Map<String, JsonObject> w1 = where(words, "cloudId", cloud1).stream().collect(Collectors.toMap(w -> w.getString("key"), w -> w));
    assertThat(w1).containsOnlyKeys("klima", "verkehr", "spam", "ki");
    assertThat(w1.get("klima").getString("text")).isEqualTo("Klima");
    assertThat(w1.get("klima").getLong("count")).isEqualTo(2);
    assertThat(w1.get("verkehr").getLong("count")).isEqualTo(1);
    assertThat(w1.get("ki").getLong("count")).as("AI merged into KI").isEqualTo(2);
    assertThat(w1.get("ki").getBoolean("hidden")).isFalse();
    assertThat(w1.get("spam").getLong("count")).isEqualTo(1);
    assertThat(w1.get("spam").getBoolean("hidden")).isTrue();
    assertThat(w1.values()).allSatisfy(w -> {
      assertThat(w.getLong("contributors")).isEqualTo(5);
      assertThat(w.getLong("entries")).isEqualTo(6);
      assertThat(w.getString("talkId")).isEqualTo(keynote);
    });
    List<JsonObject> w3 = where(words, "cloudId", cloud3);
    assertThat(w3).extracting(w -> w.getString("key") + ":" + w.getLong("count") + ":" + w.getLong("contributors") + ":"
        + w.getLong("entries") + ":" + w.getString("talkId")).containsExactly("open source:2:2:2:" + lightning);
    assertThat(words).hasSize(5);

    // survey: the keynote's, rating 1..10, two options, two texts; h1's first response replaced
    List<JsonObject> survey = rows(e, "survey");
    assertThat(survey).hasSize(10 + 2 + 2).allSatisfy(r -> {
      assertThat(r.getString("talkId")).isEqualTo(keynote);
      assertThat(r.getLong("responses")).isEqualTo(3);
      assertThat(r.containsKey("participantId")).isFalse();
    });
    List<JsonObject> ratingRows = where(survey, "questionId", "q1");
    assertThat(ratingRows).extracting(r -> r.getLong("count")).containsExactly(0L, 0L, 0L, 0L, 0L, 1L, 0L, 0L, 1L, 0L);
    assertThat(ratingRows).allSatisfy(r -> {
      assertThat(r.getDouble("mean")).isEqualTo(7.5);
      assertThat(r.getLong("answered")).isEqualTo(2);
    });
    assertThat(where(survey, "questionId", "q2")).extracting(r -> r.getString("option") + "=" + r.getLong("count") + "/" + r.getDouble("share"))
        .containsExactly("Ja=2/0.6667", "Nein=1/0.3333");
    assertThat(where(survey, "questionId", "q3")).extracting(r -> r.getString("text"))
        .containsExactlyInAnyOrder("Mehr Zeit für Fragen", "Folien teilen");

    // posts: upvotes, state, answered, reply, talk by the time sent
    List<JsonObject> posts = rows(e, "posts");
    assertThat(posts).hasSize(6);
    JsonObject p1 = one(posts, "postId", q1);
    assertThat(p1.getLong("upvotes")).isEqualTo(2);
    assertThat(p1.getBoolean("answered")).isTrue();
    assertThat(p1.getString("reply")).isEqualTo("Um zehn.");
    assertThat(p1.getString("state")).isEqualTo("published");
    assertThat(p1.getString("talkId")).isEqualTo(keynote);
    JsonObject p2 = one(posts, "postId", q2);
    assertThat(p2.getLong("upvotes")).isEqualTo(2);
    assertThat(p2.getBoolean("answered")).isFalse();
    assertThat(p2.getValue("reply")).isNull();
    assertThat(p2.getString("state")).isEqualTo("published");
    assertThat(p2.getString("talkId")).isEqualTo(panel);
    assertThat(one(posts, "postId", q3).getString("talkId")).isEqualTo(lightning);
    assertThat(one(posts, "text", "Toller Vortrag").getString("postKind")).isEqualTo("comment");
    assertThat(one(posts, "text", "Toller Vortrag").getString("talkId")).isEqualTo(keynote);
    assertThat(one(posts, "text", "Gerne länger").getString("postKind")).isEqualTo("feedback");
    assertThat(one(posts, "text", "Gerne länger").getString("talkId")).isEqualTo(panel);
    assertThat(one(posts, "text", "Mehr davon").getString("talkId")).isEqualTo(workshop);
    assertThat(posts).allSatisfy(p -> assertThat(p.getValue("name")).isNull());

    // reactions: totals per stage, per minute summing up to them
    List<JsonObject> reactions = rows(e, "reactions");
    assertThat(reactions).extracting(x -> x.getString("stageId").equals(s1) ? "1:" + x.getString("emoji") + "=" + x.getLong("count")
        : "2:" + x.getString("emoji") + "=" + x.getLong("count")).containsExactly("1:👏=3", "1:❤️=1", "2:❤️=1");
    assertThat(reactions).allSatisfy(x -> assertThat(x.getValue("talkId")).isNull());
    List<JsonObject> timeline = rows(e, "timeline");
    assertThat(sum(where(where(timeline, "stageId", s1), "emoji", "👏"), "count")).isEqualTo(3);
    assertThat(sum(where(where(timeline, "stageId", s1), "emoji", "❤️"), "count")).isEqualTo(1);
    assertThat(sum(where(where(timeline, "stageId", s2), "emoji", "❤️"), "count")).isEqualTo(1);
    assertThat(where(timeline, "stageId", s3)).isEmpty();
    assertThat(timeline).allSatisfy(x -> assertThat(x.getString("minute")).endsWith(":00Z"));

    // presence: the split by join source, one sample per stage per interval
    List<JsonObject> presence = rows(e, "presence");
    Map<String, Long> perInterval = new HashMap<>();
    for (JsonObject p : presence) {
      assertThat(p.getLong("viewersHall") + p.getLong("viewersStream") + p.getLong("viewersOther")).isEqualTo(p.getLong("viewers"));
      perInterval.merge(p.getString("stageId") + "@" + p.getString("at"), 1L, Long::sum);
      Instant at = Instant.parse(p.getString("at"));
      if (p.getString("stageId").equals(s1)) {
        assertThat(p.getString("talkId")).isEqualTo(at.isBefore(split) ? keynote : panel);
        assertThat(p.getLong("moderators")).isBetween(0L, 1L);
        if (at.isBefore(split)) {
          assertThat(p.getLong("viewers")).as("the late joiners came after the keynote").isLessThanOrEqualTo(6);
        }
      }
    }
    assertThat(perInterval.values()).containsOnly(1L);
    assertThat(presence).anySatisfy(p -> assertSample(p, s1, 6, 3, 2, 1, keynote));
    assertThat(presence).anySatisfy(p -> assertSample(p, s1, 8, 3, 4, 1, panel));
    assertThat(presence).anySatisfy(p -> assertSample(p, s2, 3, 2, 1, 0, workshop));
    assertThat(presence).anySatisfy(p -> assertSample(p, s3, 3, 0, 2, 1, lightning));
    assertThat(where(presence, "stageId", s1)).allSatisfy(p -> assertThat(p.getLong("viewers")).isLessThanOrEqualTo(8));

    // activity per minute: sums per stage
    List<JsonObject> activity = rows(e, "activity");
    assertActivity(where(activity, "stageId", s1), 11, 6, 2, 4, 1, 1, 4);
    assertActivity(where(activity, "stageId", s2), 3, 0, 0, 0, 1, 0, 1);
    assertActivity(where(activity, "stageId", s3), 0, 2, 1, 0, 0, 0, 0);
    assertThat(activity).allSatisfy(a -> assertThat(a.getString("minute")).endsWith(":00Z"));

    // summary: per talk, per stage, the event
    List<JsonObject> summary = rows(e, "summary");
    assertThat(summary).extracting(s -> s.getString("scope"))
        .containsExactly("talk", "talk", "talk", "stage", "talk", "talk", "stage", "talk", "talk", "stage", "event");
    JsonObject past = one(summary, "talkId", pastTalk);
    assertSummary(past, 0, 0, 0, 0);
    assertThat(past.getValue("peakAt")).isNull();
    assertActivity(List.of(past), 0, 0, 0, 0, 0, 0, 0);
    assertSummary(one(summary, "talkId", morning), 0, 0, 0, 0);
    assertSummary(one(summary, "talkId", evening), 0, 0, 0, 0);
    JsonObject key = one(summary, "talkId", keynote);
    assertSummary(key, 5, 6, 3, 2);
    assertThat(Instant.parse(key.getString("peakAt"))).isBefore(split);
    JsonObject pan = one(summary, "talkId", panel);
    assertSummary(pan, 4, 8, 3, 4);
    assertThat(Instant.parse(pan.getString("peakAt"))).isAfterOrEqualTo(split);
    // minutes are attributed by their start: which of the two a minute fell to is the clock's; together they are the stage's
    assertActivity(List.of(key, pan), 11, 6, 2, 4, 1, 1, 4);
    JsonObject st1 = summary.get(3);
    assertThat(st1.getString("stageId")).isEqualTo(s1);
    assertThat(st1.getValue("talkId")).isNull();
    assertSummary(st1, 7, 8, 3, 4);
    assertActivity(List.of(st1), 11, 6, 2, 4, 1, 1, 4);
    JsonObject work = one(summary, "talkId", workshop);
    assertSummary(work, 3, 3, 2, 1);
    assertActivity(List.of(work), 3, 0, 0, 0, 1, 0, 1);
    JsonObject st2 = summary.get(6);
    assertThat(st2.getString("stageId")).isEqualTo(s2);
    assertSummary(st2, 3, 3, 2, 1);
    JsonObject light = one(summary, "talkId", lightning);
    assertSummary(light, 3, 3, 0, 2);
    assertActivity(List.of(light), 0, 2, 1, 0, 0, 0, 0);
    JsonObject st3 = summary.get(9);
    assertThat(st3.getString("stageId")).isEqualTo(s3);
    assertSummary(st3, 3, 3, 0, 2);
    JsonObject event = summary.get(10);
    assertThat(event.getValue("stageId")).isNull();
    assertThat(event.getValue("talkId")).isNull();
    assertSummary(event, 13, 14, 5, 7);
    assertActivity(List.of(event), 14, 8, 3, 4, 2, 1, 5);
  }

  private static void assertSample(JsonObject p, String stageId, long viewers, long hall, long stream, long other, String talkId) {
    assertThat(p.getString("stageId")).isEqualTo(stageId);
    assertThat(p.getLong("viewers")).isEqualTo(viewers);
    assertThat(p.getLong("viewersHall")).isEqualTo(hall);
    assertThat(p.getLong("viewersStream")).isEqualTo(stream);
    assertThat(p.getLong("viewersOther")).isEqualTo(other);
    assertThat(p.getString("talkId")).isEqualTo(talkId);
  }

  private static void assertSummary(JsonObject s, long participants, long peak, long peakHall, long peakStream) {
    assertThat(s.getLong("participants")).as(s.encode()).isEqualTo(participants);
    assertThat(s.getLong("peakViewers")).as(s.encode()).isEqualTo(peak);
    assertThat(s.getLong("peakViewersHall")).as(s.encode()).isEqualTo(peakHall);
    assertThat(s.getLong("peakViewersStream")).as(s.encode()).isEqualTo(peakStream);
  }

  private static void assertActivity(List<JsonObject> rows, long votes, long words, long questions, long upvotes,
                                     long comments, long feedback, long reactions) {
    assertThat(List.of(sum(rows, "votes"), sum(rows, "words"), sum(rows, "questions"), sum(rows, "upvotes"),
        sum(rows, "comments"), sum(rows, "feedback"), sum(rows, "reactions")))
        .as("votes, words, questions, upvotes, comments, feedback, reactions")
        .containsExactly(votes, words, questions, upvotes, comments, feedback, reactions);
  }

  private void assertTalkExports(Map<String, JsonObject> byScope) {
    JsonObject key = byScope.get("/api/v1/stages/" + s1 + "/talks/" + keynote + "/export");
    assertThat(key.getString("stageId")).isEqualTo(s1);
    assertThat(rows(key, "polls")).extracting(p -> p.getString("pollId")).containsOnly(single, multiple).hasSize(6);
    assertThat(rows(key, "words")).hasSize(4);
    assertThat(rows(key, "posts")).extracting(p -> p.getString("text")).containsExactlyInAnyOrder("Wann gibt es Kaffee?",
        "Toller Vortrag");
    assertThat(rows(key, "reactions")).as("stage totals name no talk").isEmpty();
    assertThat(rows(key, "summary")).extracting(s -> s.getString("talkId")).containsExactly(keynote);
    for (String table : List.of("timeline", "presence", "activity")) {
      assertThat(rows(key, table)).allSatisfy(r -> assertThat(r.getString("talkId")).isEqualTo(keynote));
    }
    assertThat(rows(key, "presence")).isNotEmpty();
    assertThat(rows(key, "survey")).hasSize(10 + 2 + 2).allSatisfy(r -> assertThat(r.getString("talk")).isEqualTo("Keynote"));
    JsonObject pan = byScope.get("/api/v1/stages/" + s1 + "/talks/" + panel + "/export");
    assertThat(rows(pan, "polls")).extracting(p -> p.getString("pollId")).containsOnly(rating).hasSize(5);
    assertThat(rows(pan, "words")).isEmpty();
    assertThat(rows(pan, "survey")).as("the keynote's survey is the keynote's").isEmpty();
    assertThat(rows(pan, "posts")).extracting(p -> p.getString("text")).containsExactlyInAnyOrder("Wer moderiert?", "Gerne länger");
    assertThat(rows(pan, "presence")).isNotEmpty().allSatisfy(r -> assertThat(r.getString("talkId")).isEqualTo(panel));
    // the activity minutes of the two talks are the stage's
    long stageMinutes = rows(byScope.get("/api/v1/stages/" + s1 + "/export"), "activity").size();
    assertThat(rows(key, "activity").size() + rows(pan, "activity").size()).isEqualTo(stageMinutes);
    for (String[] t : new String[][] {{s1, pastTalk}, {s2, morning}, {s3, evening}}) {
      JsonObject empty = byScope.get("/api/v1/stages/" + t[0] + "/talks/" + t[1] + "/export");
      for (String table : TABLES) {
        if (table.equals("summary")) {
          assertThat(rows(empty, table)).hasSize(1);
        } else {
          assertThat(rows(empty, table)).as(t[1] + " " + table).isEmpty();
        }
      }
    }
    JsonObject work = byScope.get("/api/v1/stages/" + s2 + "/talks/" + workshop + "/export");
    assertThat(rows(work, "polls")).hasSize(2);
    assertThat(rows(work, "posts")).hasSize(1);
    JsonObject light = byScope.get("/api/v1/stages/" + s3 + "/talks/" + lightning + "/export");
    assertThat(rows(light, "words")).hasSize(1);
    assertThat(rows(light, "posts")).extracting(p -> p.getString("postId")).containsExactly(q3);
  }

  /** With {@code ;} the decimals have a comma (German Excel), with {@code ,} a point. */
  private void assertSemicolonDecimals() {
    String semi = export("/api/v1/stages/" + s1 + "/export?format=csv&kind=polls&separator=semicolon").body().toString();
    assertThat(semi).startsWith("\uFEFFeventId;event;stageId;").contains(";0,6;").contains(";0,3333;").contains(";4,0;;;\r\n");
    String comma = export("/api/v1/stages/" + s1 + "/export?format=csv&kind=polls").body().toString();
    assertThat(comma).startsWith("\uFEFFeventId,event,stageId,").contains(",0.6,").contains(",4.0,,,\r\n");
  }

  private void assertInteractionLog() {
    List<JsonObject> lines = jsonl(export("/api/v1/events/" + eventId + "/export?format=jsonl"));
    assertThat(lines).hasSize(29 + 5 + 3);
    Map<String, Long> kinds = where(lines, "stageId", s1).stream()
        .collect(Collectors.groupingBy(l -> l.getString("kind"), Collectors.counting()));
    assertThat(kinds).isEqualTo(Map.of("votes", 11L, "words", 6L, "questions", 2L, "upvotes", 4L, "comments", 1L,
        "feedback", 1L, "reactions", 4L));
    assertThat(where(lines, "stageId", s1)).allSatisfy(l ->
        assertThat(l.getString("talkId")).isEqualTo(Instant.parse(l.getString("at")).isBefore(split) ? keynote : panel));
    assertThat(where(lines, "stageId", s2)).hasSize(5).allSatisfy(l -> assertThat(l.getString("talkId")).isEqualTo(workshop));
    assertThat(where(lines, "stageId", s3)).hasSize(3).allSatisfy(l -> assertThat(l.getString("talkId")).isEqualTo(lightning));
    assertThat(lines.stream().map(l -> l.getString("participant")).distinct().count()).isEqualTo(13);
    String raw = lines.toString();
    participantIds.forEach(id -> assertThat(raw).doesNotContain(id));

    List<JsonObject> key = jsonl(export("/api/v1/stages/" + s1 + "/talks/" + keynote + "/export?format=jsonl"));
    assertThat(key).hasSize(20).allSatisfy(l -> assertThat(l.getString("talkId")).isEqualTo(keynote));
    assertThat(key.stream().map(l -> l.getString("participant")).distinct().count()).isEqualTo(5);
    List<JsonObject> pan = jsonl(export("/api/v1/stages/" + s1 + "/talks/" + panel + "/export?format=jsonl"));
    assertThat(pan).hasSize(9).allSatisfy(l -> assertThat(l.getString("talkId")).isEqualTo(panel));
    assertThat(pan.stream().map(l -> l.getString("participant")).distinct().count()).isEqualTo(4);
    assertThat(where(pan, "targetId", rating)).extracting(l -> l.getLong("rating")).containsExactlyInAnyOrder(4L, 5L, 3L);
    assertThat(where(pan, "targetId", single)).extracting(l -> l.getJsonArray("options").getString(0)).containsExactly("C");
    assertThat(where(key, "targetId", single)).hasSize(4);
    assertThat(jsonl(export("/api/v1/stages/" + s1 + "/talks/" + pastTalk + "/export?format=jsonl"))).isEmpty();
    assertThat(jsonl(export("/api/v1/stages/" + s2 + "/export?format=jsonl"))).hasSize(5);
  }

  private static List<JsonObject> jsonl(Http.Response r) {
    String body = r.body().toString(StandardCharsets.UTF_8);
    return body.lines().map(JsonObject::new).collect(Collectors.toList());
  }
}
