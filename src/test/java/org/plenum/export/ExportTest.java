package org.plenum.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.plenum.testing.Await.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
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
import java.util.List;
import java.util.Map;
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
 * Exports of a scripted congress, over real HTTP, on both engines: three stages, polls of every
 * kind voted on by real WebSocket clients, a word cloud with a hidden and a merged word, questions
 * with upvotes, answers, pins and replies, comments, feedback and reactions; every figure is read
 * back from every format (CSV with Commons CSV, XLSX with fastexcel-reader, JSON).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExportTest {
  /** Posts are cleaned to one line; a poll's question keeps its line break. */
  private static final String QUESTION = "Wann; kommt \"die\" Wallet?";
  private static final String MULTILINE = "Welche Themen?\r\nMehrere; \"gerne\"";
  private RedisServerProcess redis;
  private Vertx serverVertx;
  private Vertx clientVertx;
  private PlenumServer server;
  private Http http;
  private final List<WsClient> clients = new ArrayList<>();
  private Congress congress;

  /** What the script created: ids to look rows up by. */
  private record Congress(String eventId, String eventName, String stage1, String stage2, String stage3, String talkId,
                          String single, String multiple, String rating, String cloud, String q1, String q2,
                          String comment, List<String> participantIds, String otherModeratorToken,
                          String ownModeratorToken) {}

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
    Map<String, String> env = engine.equals("redis")
        ? Map.of("PLENUM_ENGINE", "redis", "PLENUM_REDIS_URL", redis.url(), "PLENUM_NODE_ID", "export-" + System.nanoTime())
        : Map.of();
    server = await(TestServer.start(serverVertx, env));
    http = new Http(clientVertx, server.port(), TestServer.ORGANISER_TOKEN);
    congress = script();
  }

  // ---- the script --------------------------------------------------------------------------

  private Congress script() {
    String eventName = "Digitalkongress; \"2026\"";
    String eventId = await(http.post("/api/v1/events", new JsonObject().put("name", eventName))).json().getString("id");
    String s1 = stage(eventId, "Hauptbühne");
    String s2 = stage(eventId, "Bühne 2");
    String s3 = stage(eventId, "Bühne 3");
    Instant now = Instant.now();
    String talkId = await(http.post("/api/v1/stages/" + s1 + "/talks", new JsonObject().put("title", "Eröffnung")
        .put("speakers", "Dr. A. Beispiel").put("startsAt", now.minus(1, ChronoUnit.HOURS).toString())
        .put("endsAt", now.plus(1, ChronoUnit.HOURS).toString()))).json().getString("id");
    String otherEvent = await(http.post("/api/v1/events", new JsonObject().put("name", "Anderes"))).json().getString("id");
    String otherToken = await(http.post("/api/v1/events/" + otherEvent + "/moderators", new JsonObject().put("label", "M")))
        .json().getString("token");
    String ownToken = await(http.post("/api/v1/events/" + eventId + "/moderators", new JsonObject().put("label", "M")))
        .json().getString("token");

    String single = poll(s1, new JsonObject().put("kind", "single").put("question", "Welche Option?")
        .put("options", new JsonArray().add("A").add("B").add("C")));
    String multiple = poll(s1, new JsonObject().put("kind", "multiple").put("question", MULTILINE)
        .put("options", new JsonArray().add("X").add("Y").add("Z")));
    String rating = poll(s1, new JsonObject().put("kind", "rating").put("question", "Wie war es?").put("scale", 5));
    String cloud = await(http.openCloud(s1, 3)).getJsonObject("cloud").getString("id");

    WsClient v1 = viewer(s1);
    WsClient v2 = viewer(s1);
    WsClient v3 = viewer(s1);
    ok(v1.vote(single, "a"));
    ok(v2.vote(single, "a"));
    ok(v3.vote(single, "b"));
    ok(v1.request(action("vote").put("pollId", multiple).put("choices", new JsonArray().add("a").add("b"))));
    ok(v2.request(action("vote").put("pollId", multiple).put("choices", new JsonArray().add("b"))));
    ok(v1.request(action("vote").put("pollId", rating).put("rating", 4)));
    ok(v2.request(action("vote").put("pollId", rating).put("rating", 5)));
    ok(v3.request(action("vote").put("pollId", rating).put("rating", 4)));

    ok(word(v1, cloud, "Wallet"));
    ok(word(v2, cloud, "wallet"));
    ok(word(v3, cloud, "Wallet"));
    String spam = ok(word(v1, cloud, "Quatsch")).getString("key");
    String ki = ok(word(v2, cloud, "KI")).getString("key");
    String ai = ok(word(v3, cloud, "AI")).getString("key");
    ok(http.post("/api/v1/stages/" + s1 + "/clouds/" + cloud + "/hide-word", new JsonObject().put("key", spam)));
    ok(http.post("/api/v1/stages/" + s1 + "/clouds/" + cloud + "/merge", new JsonObject().put("from", ai).put("into", ki)));

    String q1 = ok(v1.request(action("post").put("kind", "question").put("text", QUESTION))).getString("postId");
    String q2 = ok(v2.request(action("post").put("kind", "question").put("text", "Zweite Frage"))).getString("postId");
    String comment = ok(v3.request(action("post").put("kind", "comment").put("text", "=SUMME(A1)").put("name", "Anna")))
        .getString("postId");
    ok(v2.request(action("post").put("kind", "feedback").put("text", "Gut, danke")));
    ok(v2.request(action("upvote").put("postId", q1)));
    ok(v3.request(action("upvote").put("postId", q1)));
    ok(v1.request(action("upvote").put("postId", q2)));
    String posts = "/api/v1/stages/" + s1 + "/posts/";
    ok(http.post(posts + q1 + "/answer", null));
    ok(http.post(posts + q1 + "/reply", new JsonObject().put("text", "Im Juni.")));
    ok(http.post(posts + q2 + "/pin", null));
    ok(v1.request(action("react").put("emoji", "👏")));
    ok(v1.request(action("react").put("emoji", "👏")));
    ok(v2.request(action("react").put("emoji", "❤️")));
    // the opening talk's feedback survey (issue 12): two responses, v1 changes its answer once
    String survey = "/api/v1/stages/" + s1 + "/talks/" + talkId + "/survey";
    ok(http.send(io.vertx.core.http.HttpMethod.PUT, survey, new JsonObject().put("questions", new JsonArray()
        .add(new JsonObject().put("kind", "rating").put("text", "Wie hilfreich?").put("scale", 5).put("required", true))
        .add(new JsonObject().put("kind", "multiple").put("text", "Was war gut?").put("options", new JsonArray().add("Inhalt").add("Folien")))
        .add(new JsonObject().put("kind", "text").put("text", "Was ändern?"))), TestServer.ORGANISER_TOKEN));
    ok(http.post(survey + "/open", null));
    ok(v1.request(surveyAnswer(talkId, 2, "a", null)));
    ok(v1.request(surveyAnswer(talkId, 4, "a", "=Mehr Pausen")));
    ok(v2.request(surveyAnswer(talkId, 5, "b", null)));

    String s2poll = poll(s2, new JsonObject().put("kind", "single").put("question", "Zweite Bühne?")
        .put("options", new JsonArray().add("Ja").add("Nein")));
    WsClient v4 = viewer(s2);
    ok(v4.vote(s2poll, "b"));
    String quiz = poll(s2, new JsonObject().put("kind", "quiz").put("question", "Hauptstadt?")
        .put("options", new JsonArray().add("Berlin").add("Bonn")).put("correct", new JsonArray().add(0)).put("points", 700));
    ok(v4.request(action("nickname").put("nickname", "Quizkönigin")));
    ok(v4.vote(quiz, "a"));
    ok(v4.request(action("post").put("kind", "question").put("text", "Frage auf Bühne 2")));

    List<String> ids = List.of(v1.participantId, v2.participantId, v3.participantId, v4.participantId);
    return new Congress(eventId, eventName, s1, s2, s3, talkId, single, multiple, rating, cloud, q1, q2, comment, ids,
        otherToken, ownToken);
  }

  private String stage(String eventId, String name) {
    return await(http.post("/api/v1/events/" + eventId + "/stages", new JsonObject().put("name", name))).json().getString("id");
  }

  private String poll(String stageId, JsonObject spec) {
    return await(http.post("/api/v1/stages/" + stageId + "/polls", spec.put("resultsVisible", true).put("open", true)))
        .json().getJsonObject("poll").getString("id");
  }

  private WsClient viewer(String stageId) {
    WsClient c = await(WsClient.connect(clientVertx, server.port()));
    clients.add(c);
    await(c.join(stageId));
    return c;
  }

  private static JsonObject surveyAnswer(String talkId, int rating, String choice, String text) {
    JsonObject answers = new JsonObject().put("q1", new JsonObject().put("rating", rating))
        .put("q2", new JsonObject().put("choices", new JsonArray().add(choice)));
    if (text != null) {
      answers.put("q3", new JsonObject().put("text", text));
    }
    return action("survey").put("talkId", talkId).put("answers", answers);
  }

  private static JsonObject action(String type) {
    return new JsonObject().put("type", type).put("id", WsClient.nextId(type));
  }

  private static io.vertx.core.Future<JsonObject> word(WsClient c, String cloudId, String text) {
    return c.request(action("word").put("cloudId", cloudId).put("text", text));
  }

  private static JsonObject ok(io.vertx.core.Future<JsonObject> reply) {
    JsonObject r = await(reply);
    assertThat(r.getString("type")).as(r.encode()).isEqualTo("ack");
    return r;
  }

  private static void ok(io.vertx.core.Future<Http.Response> response, Object... unused) {
    Http.Response r = await(response);
    assertThat(r.status()).as(r.body().toString()).isBetween(200, 299);
  }

  // ---- reading exports back ----------------------------------------------------------------

  private Http.Response export(String path) {
    Http.Response r = await(http.get(path));
    assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    return r;
  }

  /** Waits (polling the export, with Vert.x timers) until the stages' first presence samples are recorded. */
  private void awaitPresenceSamples(String eventId) {
    for (int i = 0; i < 100; i++) {
      if (!export("/api/v1/events/" + eventId + "/export?format=json&kind=presence").json().getJsonArray("presence").isEmpty()) {
        return;
      }
      await(io.vertx.core.Future.<Void>future(p -> clientVertx.setTimer(100, id -> p.complete())));
    }
    throw new AssertionError("no presence sample within 10 s");
  }

  private static List<Map<String, String>> csv(Buffer body, char separator) throws IOException {
    byte[] bytes = body.getBytes();
    assertThat(bytes).startsWith((byte) 0xEF, (byte) 0xBB, (byte) 0xBF);
    String text = new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8);
    assertThat(text).contains("\r\n");
    List<Map<String, String>> rows = new ArrayList<>();
    try (CSVParser parser = CSVFormat.RFC4180.builder().setDelimiter(separator).setHeader().setSkipHeaderRecord(true).get()
        .parse(new StringReader(text))) {
      for (CSVRecord record : parser) {
        rows.add(record.toMap());
      }
    }
    return rows;
  }

  private static List<JsonObject> json(JsonObject export, String table) {
    return export.getJsonArray(table).stream().map(JsonObject.class::cast).collect(Collectors.toList());
  }

  private static <T> List<T> where(List<T> rows, java.util.function.Function<T, Object> column, Object value) {
    return rows.stream().filter(r -> value.equals(column.apply(r))).collect(Collectors.toList());
  }

  // ---- the tests ---------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"memory", "redis"})
  void theEventsJsonExportHoldsEveryFigureOfTheScript(String engine) {
    start(engine);
    Congress c = congress;
    awaitPresenceSamples(c.eventId());
    Http.Response r = export("/api/v1/events/" + c.eventId() + "/export?format=json");
    JsonObject e = r.json();
    assertThat(e.getString("schema")).isEqualTo("plenum-export/1");
    assertThat(e.getJsonObject("event").getString("name")).isEqualTo(c.eventName());
    assertThat(e.getValue("stageId")).isNull();
    assertThat(e.getJsonArray("stages")).hasSize(3);
    JsonObject main = e.getJsonArray("stages").getJsonObject(0);
    assertThat(main.getJsonArray("talks").getJsonObject(0).getString("title")).isEqualTo("Eröffnung");

    List<JsonObject> polls = json(e, "polls");
    List<JsonObject> single = where(polls, p -> p.getString("pollId"), c.single());
    assertThat(single).extracting(p -> p.getString("option")).containsExactly("A", "B", "C");
    assertThat(single).extracting(p -> p.getLong("count")).containsExactly(2L, 1L, 0L);
    assertThat(single).extracting(p -> p.getDouble("share")).containsExactly(0.6667, 0.3333, 0.0);
    assertThat(single).allSatisfy(p -> {
      assertThat(p.getLong("voters")).isEqualTo(3);
      assertThat(p.getString("talk")).isEqualTo("Eröffnung");
      assertThat(p.getString("talkId")).isEqualTo(c.talkId());
      assertThat(p.getString("stage")).isEqualTo("Hauptbühne");
      assertThat(p.getString("event")).isEqualTo(c.eventName());
      assertThat(p.getValue("mean")).isNull();
    });
    List<JsonObject> multiple = where(polls, p -> p.getString("pollId"), c.multiple());
    assertThat(multiple).extracting(p -> p.getLong("count")).containsExactly(1L, 2L, 0L);
    assertThat(multiple).extracting(p -> p.getDouble("share")).containsExactly(0.5, 1.0, 0.0);
    List<JsonObject> rating = where(polls, p -> p.getString("pollId"), c.rating());
    assertThat(rating).extracting(p -> p.getString("optionKey")).containsExactly("1", "2", "3", "4", "5");
    assertThat(rating).extracting(p -> p.getLong("count")).containsExactly(0L, 0L, 0L, 2L, 1L);
    assertThat(rating).allSatisfy(p -> assertThat(p.getDouble("mean")).isEqualTo(4.33));
    List<JsonObject> second = where(polls, p -> p.getString("stageId"), c.stage2()).stream()
        .filter(p -> !"quiz".equals(p.getString("pollKind"))).toList();
    assertThat(second).extracting(p -> p.getLong("count")).containsExactly(0L, 1L);
    assertThat(second).allSatisfy(p -> assertThat(p.getValue("correct")).as("not a quiz").isNull());
    List<JsonObject> quizRows = where(polls, p -> p.getString("pollKind"), "quiz");
    assertThat(quizRows).extracting(p -> p.getString("option") + "=" + p.getLong("count") + "/" + p.getBoolean("correct"))
        .containsExactly("Berlin=1/true", "Bonn=0/false");
    List<JsonObject> scores = json(e, "scores");
    assertThat(scores).extracting(s -> s.getLong("rank") + " " + s.getString("nickname") + " " + s.getLong("points") + " "
        + s.getLong("correctAnswers")).containsExactly("1 Quizkönigin 700 1");
    assertThat(scores.get(0).getString("stageId")).isEqualTo(c.stage2());
    assertThat(second).allSatisfy(p -> assertThat(p.getValue("talk")).isNull());
    assertThat(polls).hasSize(3 + 3 + 5 + 2 + 2);

    List<JsonObject> words = json(e, "words");
    Map<String, JsonObject> byKey = new HashMap<>();
    words.forEach(w -> byKey.put(w.getString("key"), w));
    assertThat(byKey).containsOnlyKeys("wallet", "ki", "quatsch");
    assertThat(byKey.get("wallet").getString("text")).isEqualTo("Wallet");
    assertThat(byKey.get("wallet").getLong("count")).isEqualTo(3);
    assertThat(byKey.get("wallet").getBoolean("hidden")).isFalse();
    assertThat(byKey.get("ki").getLong("count")).as("AI merged into KI").isEqualTo(2);
    assertThat(byKey.get("quatsch").getBoolean("hidden")).isTrue();
    assertThat(words).allSatisfy(w -> {
      assertThat(w.getLong("contributors")).isEqualTo(3);
      assertThat(w.getLong("entries")).isEqualTo(6);
    });

    List<JsonObject> posts = json(e, "posts");
    assertThat(posts).hasSize(5);

    // the survey: rating 1..5 and the two options, one row each, then the open text (no participant named)
    List<JsonObject> survey = json(e, "survey");
    assertThat(survey).hasSize(5 + 2 + 1).allSatisfy(row -> {
      assertThat(row.getString("talkId")).isEqualTo(c.talkId());
      assertThat(row.getString("surveyState")).isEqualTo("open");
      assertThat(row.getLong("responses")).isEqualTo(2);
    });
    assertThat(survey).extracting(x -> x.getString("questionId") + ":" + x.getString("optionKey") + "=" + x.getValue("count"))
        .containsExactly("q1:1=0", "q1:2=0", "q1:3=0", "q1:4=1", "q1:5=1", "q2:a=1", "q2:b=1", "q3:null=null");
    assertThat(survey.get(0).getDouble("mean")).isEqualTo(4.5);
    assertThat(survey.get(3).getDouble("share")).isEqualTo(0.5);
    assertThat(survey.get(5).getString("option")).isEqualTo("Inhalt");
    assertThat(survey.get(5).getValue("mean")).isNull();
    assertThat(survey.get(7).getString("text")).isEqualTo("=Mehr Pausen");
    assertThat(survey.get(7).getString("questionKind")).isEqualTo("text");
    assertThat(survey.get(7).getLong("answered")).isEqualTo(1);
    JsonObject q1 = where(posts, p -> p.getString("postId"), c.q1()).get(0);
    assertThat(q1.getString("text")).isEqualTo(QUESTION);
    assertThat(q1.getLong("upvotes")).isEqualTo(2);
    assertThat(q1.getBoolean("answered")).isTrue();
    assertThat(q1.getString("reply")).isEqualTo("Im Juni.");
    assertThat(q1.getString("state")).isEqualTo("published");
    assertThat(q1.getString("talk")).isEqualTo("Eröffnung");
    JsonObject q2 = where(posts, p -> p.getString("postId"), c.q2()).get(0);
    assertThat(q2.getLong("upvotes")).isEqualTo(1);
    assertThat(q2.getBoolean("pinned")).isTrue();
    JsonObject comment = where(posts, p -> p.getString("postId"), c.comment()).get(0);
    assertThat(comment.getString("postKind")).isEqualTo("comment");
    assertThat(comment.getString("name")).isEqualTo("Anna");
    assertThat(comment.getString("text")).as("only CSV defuses formulas").isEqualTo("=SUMME(A1)");
    assertThat(where(posts, p -> p.getString("postKind"), "feedback")).hasSize(1);

    List<JsonObject> reactions = json(e, "reactions");
    assertThat(reactions).extracting(x -> x.getString("emoji") + "=" + x.getLong("count")).containsExactly("👏=2", "❤️=1");
    List<JsonObject> timeline = json(e, "timeline");
    assertThat(timeline.stream().filter(x -> x.getString("emoji").equals("👏")).mapToLong(x -> x.getLong("count")).sum())
        .isEqualTo(2);
    assertThat(timeline).allSatisfy(x -> assertThat(x.getString("talk")).isEqualTo("Eröffnung"));

    // the document's shape is the one the OpenAPI document declares, row by row
    JsonObject schemas = await(http.get("/api/v1/openapi.json")).json().getJsonObject("components").getJsonObject("schemas");
    assertThat(schemas.getJsonObject("Export").getJsonArray("required")).allSatisfy(f -> assertThat(e.containsKey((String) f)).isTrue());
    Map<String, String> rowSchemas = Map.of("polls", "ExportPollRow", "words", "ExportWordRow", "posts", "ExportPostRow",
        "reactions", "ExportReactionRow", "timeline", "ExportTimelineRow", "presence", "ExportPresenceRow",
        "activity", "ExportActivityRow", "summary", "ExportSummaryRow", "scores", "ExportScoreRow",
        "survey", "ExportSurveyRow");
    for (ExportTable table : ExportTable.values()) {
      JsonObject rowSchema = schemas.getJsonObject(rowSchemas.get(table.wire()));
      assertThat(new ArrayList<>(rowSchema.getJsonObject("properties").fieldNames())).isEqualTo(table.columns());
      assertThat(json(e, table.wire())).isNotEmpty().allSatisfy(row -> {
        assertThat(new ArrayList<>(row.fieldNames())).isEqualTo(table.columns());
        for (String f : row.fieldNames()) {
          JsonObject property = rowSchema.getJsonObject("properties").getJsonObject(f);
          Object v = row.getValue(f);
          if (v == null) {
            assertThat(property.getBoolean("nullable", false)).as(table.wire() + "." + f + " is nullable").isTrue();
          } else {
            String type = property.getString("type");
            assertThat(v).as(table.wire() + "." + f).isInstanceOf(switch (type) {
              case "integer", "number" -> Number.class;
              case "boolean" -> Boolean.class;
              default -> String.class;
            });
          }
        }
      });
    }

    String raw = r.body().toString();
    assertThat(c.participantIds()).allSatisfy(id -> assertThat(raw).doesNotContain(id));
    assertThat(raw).doesNotContain("127.0.0.1");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"memory", "redis"})
  void csvExportsParseBackWithBothSeparators(String engine) throws IOException {
    start(engine);
    Congress c = congress;
    String base = "/api/v1/events/" + c.eventId() + "/export?format=csv";
    Http.Response pollsComma = export(base + "&kind=polls");
    assertThat(pollsComma.body().toString()).startsWith("\uFEFFeventId,event,stageId,stage,talkId,talk,pollId,");
    List<Map<String, String>> polls = csv(pollsComma.body(), ',');
    List<Map<String, String>> single = where(polls, p -> p.get("pollId"), c.single());
    assertThat(single).extracting(p -> p.get("count")).containsExactly("2", "1", "0");
    assertThat(single).extracting(p -> p.get("share")).containsExactly("0.6667", "0.3333", "0.0");
    assertThat(single).allSatisfy(p -> assertThat(p.get("event")).isEqualTo(c.eventName()));
    assertThat(where(polls, p -> p.get("pollId"), c.rating())).extracting(p -> p.get("mean")).containsOnly("4.33");
    assertThat(where(polls, p -> p.get("pollId"), c.multiple())).extracting(p -> p.get("question")).containsOnly(MULTILINE);

    List<Map<String, String>> pollsSemi = csv(export(base + "&kind=polls&separator=semicolon").body(), ';');
    assertThat(where(pollsSemi, p -> p.get("pollId"), c.single())).extracting(p -> p.get("share"))
        .containsExactly("0,6667", "0,3333", "0,0");
    assertThat(where(pollsSemi, p -> p.get("pollId"), c.multiple())).extracting(p -> p.get("question")).containsOnly(MULTILINE);
    assertThat(where(pollsSemi, p -> p.get("pollId"), c.single())).allSatisfy(p -> assertThat(p.get("event")).isEqualTo(c.eventName()));

    for (char separator : new char[] {',', ';'}) {
      String sep = separator == ';' ? "&separator=semicolon" : "";
      Http.Response postsResponse = export(base + "&kind=posts" + sep);
      assertThat(postsResponse.body().toString()).contains("\"" + QUESTION.replace("\"", "\"\"") + "\"");
      List<Map<String, String>> posts = csv(postsResponse.body(), separator);
      assertThat(posts).hasSize(5);
      Map<String, String> q1 = where(posts, p -> p.get("postId"), c.q1()).get(0);
      assertThat(q1.get("text")).isEqualTo(QUESTION);
      assertThat(q1.get("upvotes")).isEqualTo("2");
      assertThat(q1.get("answered")).isEqualTo("true");
      assertThat(q1.get("reply")).isEqualTo("Im Juni.");
      assertThat(q1.get("talk")).isEqualTo("Eröffnung");
      assertThat(where(posts, p -> p.get("postId"), c.comment()).get(0).get("text")).isEqualTo("'=SUMME(A1)");

      List<Map<String, String>> words = csv(export(base + "&kind=words" + sep).body(), separator);
      assertThat(words).extracting(w -> w.get("key") + ":" + w.get("count") + ":" + w.get("hidden"))
          .containsExactlyInAnyOrder("wallet:3:false", "ki:2:false", "quatsch:1:true");
      List<Map<String, String>> reactions = csv(export(base + "&kind=reactions" + sep).body(), separator);
      assertThat(reactions).extracting(x -> x.get("emoji") + "=" + x.get("count")).containsExactly("👏=2", "❤️=1");
      List<Map<String, String>> timeline = csv(export(base + "&kind=timeline" + sep).body(), separator);
      assertThat(timeline.stream().mapToLong(x -> Long.parseLong(x.get("count"))).sum()).isEqualTo(3);
      List<Map<String, String>> survey = csv(export(base + "&kind=survey" + sep).body(), separator);
      assertThat(survey).hasSize(8);
      assertThat(survey.get(0).get("mean")).isEqualTo(separator == ';' ? "4,5" : "4.5");
      assertThat(survey.get(7).get("text")).as("CSV injection guarded").isEqualTo("'=Mehr Pausen");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"memory", "redis"})
  void xlsxExportHasOneSheetPerTableReadBackWithTheLibrary(String engine) throws IOException {
    start(engine);
    Congress c = congress;
    Http.Response r = export("/api/v1/events/" + c.eventId() + "/export?format=xlsx");
    assertThat(r.body().getBytes()).startsWith((byte) 'P', (byte) 'K');
    try (ReadableWorkbook wb = new ReadableWorkbook(new ByteArrayInputStream(r.body().getBytes()))) {
      List<Sheet> sheets = wb.getSheets().collect(Collectors.toList());
      assertThat(sheets).extracting(Sheet::getName).containsExactly("polls", "words", "posts", "reactions", "timeline",
          "presence", "activity", "summary", "scores", "survey");
      Map<String, List<Map<String, Object>>> tables = new HashMap<>();
      for (Sheet sheet : sheets) {
        List<Row> rows = sheet.read();
        List<String> header = new ArrayList<>();
        rows.get(0).forEach(cell -> header.add(cell.asString()));
        assertThat(header).isEqualTo(ExportTable.valueOf(sheet.getName().toUpperCase()).columns());
        List<Map<String, Object>> maps = new ArrayList<>();
        for (Row row : rows.subList(1, rows.size())) {
          Map<String, Object> m = new HashMap<>();
          for (int i = 0; i < header.size(); i++) {
            org.dhatim.fastexcel.reader.Cell cell = i < row.getCellCount() ? row.getCell(i) : null;
            m.put(header.get(i), cell == null ? null : cell.getValue());
          }
          maps.add(m);
        }
        tables.put(sheet.getName(), maps);
      }
      List<Map<String, Object>> single = where(tables.get("polls"), p -> p.get("pollId"), c.single());
      assertThat(single).extracting(p -> ((BigDecimal) p.get("count")).longValue()).containsExactly(2L, 1L, 0L);
      assertThat(single).extracting(p -> ((BigDecimal) p.get("share")).doubleValue()).containsExactly(0.6667, 0.3333, 0.0);
      assertThat(single).allSatisfy(p -> assertThat(p.get("event")).isEqualTo(c.eventName()));
      assertThat(where(tables.get("polls"), p -> p.get("pollId"), c.rating()))
          .extracting(p -> ((BigDecimal) p.get("mean")).doubleValue()).containsOnly(4.33);
      assertThat(tables.get("words")).extracting(w -> w.get("key") + ":" + ((BigDecimal) w.get("count")).longValue() + ":" + w.get("hidden"))
          .containsExactlyInAnyOrder("wallet:3:false", "ki:2:false", "quatsch:1:true");
      Map<String, Object> q1 = where(tables.get("posts"), p -> p.get("postId"), c.q1()).get(0);
      assertThat(q1.get("text")).isEqualTo(QUESTION);
      assertThat(((BigDecimal) q1.get("upvotes")).longValue()).isEqualTo(2);
      assertThat(q1.get("answered")).isEqualTo(Boolean.TRUE);
      assertThat(tables.get("posts")).hasSize(5);
      assertThat(tables.get("reactions")).extracting(x -> x.get("emoji") + "=" + ((BigDecimal) x.get("count")).longValue())
          .containsExactly("👏=2", "❤️=1");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"memory"})
  void aStageExportHoldsOnlyThatStageAndOneTableOnRequest(String engine) {
    start(engine);
    Congress c = congress;
    JsonObject e = export("/api/v1/stages/" + c.stage2() + "/export").json();
    assertThat(e.getString("stageId")).isEqualTo(c.stage2());
    assertThat(e.getJsonArray("stages")).hasSize(1);
    assertThat(json(e, "polls")).hasSize(4).allSatisfy(p -> assertThat(p.getString("stageId")).isEqualTo(c.stage2()));
    assertThat(json(e, "posts")).extracting(p -> p.getString("text")).containsExactly("Frage auf Bühne 2");
    assertThat(json(e, "words")).isEmpty();
    JsonObject onlyPosts = export("/api/v1/stages/" + c.stage1() + "/export?format=json&kind=posts").json();
    assertThat(onlyPosts.fieldNames()).contains("posts").doesNotContain("polls", "words", "reactions", "timeline",
        "presence", "activity", "summary", "scores");
    JsonObject empty = export("/api/v1/stages/" + c.stage3() + "/export?format=json").json();
    assertThat(json(empty, "polls")).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"memory"})
  void onlyTheOrganiserMayExportAndBadQueriesAreRefusedCleanly(String engine) {
    start(engine);
    Congress c = congress;
    String event = "/api/v1/events/" + c.eventId() + "/export?format=json";
    String stage = "/api/v1/stages/" + c.stage1() + "/export?format=json";
    for (String path : List.of(event, stage)) {
      assertError(await(http.getAnonymous(path)), 401, "unauthorized");
      assertError(await(http.send(io.vertx.core.http.HttpMethod.GET, path, null, c.otherModeratorToken())), 403, "forbidden");
      assertError(await(http.send(io.vertx.core.http.HttpMethod.GET, path, null, c.ownModeratorToken())), 403, "forbidden");
    }
    String base = "/api/v1/events/" + c.eventId() + "/export";
    assertError(await(http.get(base + "?format=pdf")), 400, "invalid_field");
    assertError(await(http.get(base + "?format=csv")), 400, "missing_field");
    assertError(await(http.get(base + "?format=csv&kind=votes")), 400, "invalid_field");
    assertError(await(http.get(base + "?format=csv&kind=polls&separator=tab")), 400, "invalid_field");
    assertError(await(http.get(base + "?format=json&separator=semicolon")), 400, "invalid_field");
    assertError(await(http.get(base + "?format=json&format=csv")), 400, "invalid_field");
    assertError(await(http.get("/api/v1/events/evnothere000/export")), 404, "unknown_event");
    assertError(await(http.get("/api/v1/stages/stnothere000/export")), 404, "unknown_stage");
    Http.Response ok = export(base + "?format=csv&kind=polls");
    assertThat(ok.body().toString()).contains("Welche Option?");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"memory"})
  void aClientThatStopsReadingHoldsBackTheExportButNotTheServer(String engine) {
    start(engine);
    // setup through the engine: 20,000 long posts make an export far bigger than socket buffers
    org.plenum.engine.Engine store = server.engine();
    String text = "Lange Frage; \"mit\" Inhalt ".repeat(18);
    List<io.vertx.core.Future<?>> writes = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      writes.add(store.submitPost(new org.plenum.engine.PostAction("big" + i, org.plenum.stage.Post.create(
          org.plenum.stage.Ids.newId("qa"), congress.stage3(), org.plenum.stage.PostKind.QUESTION, "pa" + i, null, text + i,
          org.plenum.stage.StageSettings.DEFAULT, Instant.now()))));
      if (writes.size() == 500) {
        await(io.vertx.core.Future.all(writes));
        writes.clear();
      }
    }
    await(io.vertx.core.Future.all(writes));
    String path = "/api/v1/stages/" + congress.stage3() + "/export?format=csv&kind=posts";
    Buffer whole = export(path).body();
    assertThat(whole.length()).isGreaterThan(8_000_000);

    io.vertx.core.http.HttpClient raw = clientVertx.createHttpClient();
    io.vertx.core.Promise<io.vertx.core.http.HttpClientResponse> headers = io.vertx.core.Promise.promise();
    Buffer slow = Buffer.buffer();
    io.vertx.core.Promise<Void> ended = io.vertx.core.Promise.promise();
    clientVertx.runOnContext(v -> raw.request(new io.vertx.core.http.RequestOptions().setHost("127.0.0.1").setPort(server.port())
            .setURI(path).putHeader("Authorization", "Bearer " + TestServer.ORGANISER_TOKEN))
        .compose(io.vertx.core.http.HttpClientRequest::send)
        .onSuccess(resp -> {
          resp.pause();
          resp.handler(slow::appendBuffer);
          resp.endHandler(e -> ended.complete());
          headers.complete(resp);
        }).onFailure(headers::fail));
    io.vertx.core.http.HttpClientResponse response = await(headers.future());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Transfer-Encoding")).isEqualTo("chunked");
    assertThat(response.getHeader("Content-Disposition")).isEqualTo("attachment; filename=\"plenum-" + congress.stage3() + "-posts.csv\"");
    // while the download is held back, the server goes on answering, exports included
    for (int i = 0; i < 5; i++) {
      assertThat(await(http.get("/api/v1/events/" + congress.eventId())).status()).isEqualTo(200);
      assertThat(export("/api/v1/stages/" + congress.stage2() + "/export?format=json").json().getJsonArray("polls")).hasSize(4);
    }
    assertThat(ended.future().isComplete()).as("a paused client cannot have the whole file").isFalse();
    clientVertx.runOnContext(v -> response.resume());
    await(ended.future(), 60);
    assertThat(slow).isEqualTo(whole);
    await(raw.close());
  }

  private static void assertError(Http.Response r, int status, String code) {
    assertThat(r.status()).as(r.body().toString()).isEqualTo(status);
    assertThat(r.json().getJsonObject("error").getString("code")).isEqualTo(code);
  }
}
