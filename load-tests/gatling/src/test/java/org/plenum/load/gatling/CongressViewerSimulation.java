package org.plenum.load.gatling;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.ws;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The congress-day viewer flow, as a second client we did not write ourselves drives it: viewers
 * arrive over a ramp on three stages (60 / 25 / 15 %), join, vote in the stage's open poll, submit
 * three word-cloud entries, react twice, some ask a question, then stay a while (receiving pushes)
 * and leave. Every request is timed by Gatling from the frame sent to the matching reply frame
 * ({@code joined} for join, {@code ack} with the same id for the actions), so its "join" and
 * ack figures are directly comparable with plenum-load's join and ack latencies.
 *
 * <p>System properties: plenum.url (http://127.0.0.1:18080, loopback only), plenum.token (or
 * PLENUM_ORGANISER_TOKEN), viewers (1800), rampSeconds (60), staySeconds (20), askEvery (3: every
 * third viewer asks a question).
 */
public class CongressViewerSimulation extends Simulation {

  private static final String URL = System.getProperty("plenum.url", "http://127.0.0.1:18080");
  private static final String TOKEN = System.getProperty("plenum.token",
      System.getenv().getOrDefault("PLENUM_ORGANISER_TOKEN", ""));
  private static final int VIEWERS = Integer.getInteger("viewers", 1800);
  private static final int RAMP_SECONDS = Integer.getInteger("rampSeconds", 60);
  private static final int STAY_SECONDS = Integer.getInteger("staySeconds", 20);
  private static final int ASK_EVERY = Integer.getInteger("askEvery", 3);
  private static final String[] WORDS = {"Datenschutz", "Open Source", "KI", "Cloud", "Verwaltung", "Transparenz",
      "Sicherheit", "Vertrauen", "OZG", "Europa", "Bildung", "Innovation"};
  private static final String[] EMOJI = {"👏", "❤️", "😂", "😮", "👍", "🤔"};

  /** One stage of the test event with its open poll and word cloud. */
  private record Stage(String id, String pollId, String cloudId) {
  }

  private final List<Stage> stages = new ArrayList<>();
  private final AtomicLong counter = new AtomicLong();

  public CongressViewerSimulation() throws Exception {
    URI base = URI.create(URL);
    InetAddress host = InetAddress.getByName(base.getHost());
    if (!host.isLoopbackAddress()) {
      throw new IllegalArgumentException("plenum.url must be a loopback address, not " + base.getHost());
    }
    if (TOKEN.length() < 8) {
      throw new IllegalArgumentException("set -Dplenum.token or PLENUM_ORGANISER_TOKEN (the organiser token)");
    }
    setUpEvent();

    HttpProtocolBuilder protocol = http.baseUrl(URL).wsBaseUrl(URL.replaceFirst("^http", "ws"))
        .wsMaxReconnects(0);

    Iterator<Map<String, Object>> feeder = new Iterator<>() {
      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Map<String, Object> next() {
        long n = counter.incrementAndGet();
        // the same 60 / 25 / 15 % split of the audience as plenum-load's congress
        long slot = n % 20;
        Stage s = stages.get(slot < 12 ? 0 : slot < 17 ? 1 : 2);
        Map<String, Object> m = new java.util.HashMap<>();
        m.put("n", n);
        m.put("stageId", s.id());
        m.put("pollId", s.pollId());
        m.put("cloudId", s.cloudId());
        m.put("choice", String.valueOf((char) ('a' + (int) (n % 4))));
        m.put("w1", WORDS[(int) (n % WORDS.length)]);
        m.put("w2", WORDS[(int) ((n + 5) % WORDS.length)]);
        m.put("w3", WORDS[(int) ((n + 9) % WORDS.length)]);
        m.put("e1", EMOJI[(int) (n % EMOJI.length)]);
        m.put("e2", EMOJI[(int) ((n / 6) % EMOJI.length)]);
        m.put("ask", n % ASK_EVERY == 0);
        return m;
      }
    };

    ChainBuilder viewerFlow = exec(ws("connect").connect("/ws"))
        .exec(ws("join").sendText(StringBody("{\"type\":\"join\",\"id\":\"j-#{n}\",\"stageId\":\"#{stageId}\"}"))
            .await(30).on(ws.checkTextMessage("joined")
                .matching(jsonPath("$.type").is("joined"))
                .check(jsonPath("$.participant.token").saveAs("token"))))
        .pause(Duration.ofMillis(200), Duration.ofSeconds(5))
        .exec(action("vote", "v", "{\"type\":\"vote\",\"id\":\"v-#{n}\",\"pollId\":\"#{pollId}\",\"choices\":[\"#{choice}\"]}"))
        .pause(Duration.ofMillis(200), Duration.ofSeconds(3))
        .exec(action("word", "w1", "{\"type\":\"word\",\"id\":\"w1-#{n}\",\"cloudId\":\"#{cloudId}\",\"text\":\"#{w1}\"}"))
        .exec(action("word", "w2", "{\"type\":\"word\",\"id\":\"w2-#{n}\",\"cloudId\":\"#{cloudId}\",\"text\":\"#{w2}\"}"))
        .exec(action("word", "w3", "{\"type\":\"word\",\"id\":\"w3-#{n}\",\"cloudId\":\"#{cloudId}\",\"text\":\"#{w3}\"}"))
        .pause(Duration.ofMillis(200), Duration.ofSeconds(3))
        .exec(action("react", "r1", "{\"type\":\"react\",\"id\":\"r1-#{n}\",\"emoji\":\"#{e1}\"}"))
        .exec(action("react", "r2", "{\"type\":\"react\",\"id\":\"r2-#{n}\",\"emoji\":\"#{e2}\"}"))
        .doIf("#{ask}").then(exec(action("post", "q",
            "{\"type\":\"post\",\"id\":\"q-#{n}\",\"kind\":\"question\",\"text\":\"Gatling-Frage Nummer #{n}?\"}")))
        .pause(Duration.ofSeconds(STAY_SECONDS))
        .exec(ws("close").close());

    ScenarioBuilder viewer = scenario("congress viewer").feed(feeder).exec(viewerFlow);
    setUp(viewer.injectOpen(rampUsers(VIEWERS).during(Duration.ofSeconds(RAMP_SECONDS))))
        .protocols(protocol)
        .maxDuration(Duration.ofSeconds(RAMP_SECONDS + STAY_SECONDS + 120L))
        .assertions(global().failedRequests().count().is(0L));
  }

  /** One action: the frame, then the reply with the same id, which must be an ack. */
  private static ChainBuilder action(String name, String idPrefix, String frame) {
    return exec(ws(name).sendText(StringBody(frame)).await(30).on(ws.checkTextMessage(name + " ack")
        .matching(jsonPath("$.id").is(session -> idPrefix + "-" + session.getLong("n")))
        .check(jsonPath("$.type").is("ack"))));
  }

  // ------------------------------------------------------------------ REST set-up (docs/rest.md)

  private void setUpEvent() throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String event = id(post(client, "/api/v1/events", "{\"name\":\"Gatling congress viewer flow\"}"));
    for (int i = 1; i <= 3; i++) {
      String stage = id(post(client, "/api/v1/events/" + event + "/stages", "{\"name\":\"Gatling stage " + i + "\"}"));
      String poll = nested(post(client, "/api/v1/stages/" + stage + "/polls",
          "{\"kind\":\"single\",\"question\":\"Gatling poll\",\"options\":[\"A\",\"B\",\"C\",\"D\"],"
              + "\"resultsVisible\":true,\"open\":true}"));
      String cloud = nested(post(client, "/api/v1/stages/" + stage + "/clouds",
          "{\"prompt\":\"Gatling cloud\",\"maxEntries\":3,\"resultsVisible\":true,\"open\":true}"));
      stages.add(new Stage(stage, poll, cloud));
    }
    org.slf4j.LoggerFactory.getLogger(CongressViewerSimulation.class).info("event {}, stages {}", event, stages);
  }

  private static String post(HttpClient client, String path, String body) throws Exception {
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(URL + path))
        .timeout(Duration.ofSeconds(15))
        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException("POST " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

  /** The first "id" of a JSON answer (the resource's own id comes first in Plenum's answers). */
  private static String id(String json) {
    Matcher m = ID.matcher(json);
    if (!m.find()) {
      throw new IllegalStateException("no id in " + json);
    }
    return m.group(1);
  }

  /** The id of {"poll": {...}} or {"cloud": {...}}. */
  private static String nested(String json) {
    return id(json.substring(json.indexOf('{', 1)));
  }
}
