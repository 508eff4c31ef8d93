package org.plenum.load;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tiny in-memory stand-in for the Plenum server, written from docs/protocol.md and docs/rest.md,
 * so the generator can be tested end to end without the real one. All state lives on the
 * verticle's one event loop. {@code countTwice} makes it apply resent action ids again, the bug the
 * exactly-once check exists to catch.
 */
final class FakePlenum extends VerticleBase {

  private final String token;
  private final boolean countTwice;
  private final int listeners;
  private HttpServer server;
  private final List<HttpServer> servers = new ArrayList<>();
  /** stageId -> viewers last told to moderators. */
  private final Map<String, Integer> presenceSent = new HashMap<>();
  private int ids;

  private final Map<String, JsonObject> stages = new HashMap<>();
  private final Map<String, Poll> polls = new LinkedHashMap<>();
  private final List<Client> clients = new ArrayList<>();

  private static final class Poll {
    JsonObject poll;
    final Map<String, List<String>> votes = new HashMap<>(); // participant -> choices
    final Set<String> applied = new HashSet<>(); // participant/actionId
    long version;
    boolean dirtyModerators;
    boolean dirtyViewers;
  }

  private static final class Client {
    final ServerWebSocket ws;
    String stageId;
    boolean moderator;
    String participant;

    Client(ServerWebSocket ws) {
      this.ws = ws;
    }
  }

  FakePlenum(String token, boolean countTwice) {
    this(token, countTwice, 1);
  }

  /** {@code listeners} ports serving the same state: "nodes" of one deployment. */
  FakePlenum(String token, boolean countTwice, int listeners) {
    this.token = token;
    this.countTwice = countTwice;
    this.listeners = listeners;
  }

  int port() {
    return server.actualPort();
  }

  int port(int listener) {
    return servers.get(listener).actualPort();
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(50, id -> tick(true));
    vertx.setPeriodic(500, id -> tick(false));
    List<Future<HttpServer>> all = new ArrayList<>();
    for (int i = 0; i < listeners; i++) {
      all.add(vertx.createHttpServer()
          .webSocketHandler(this::onSocket)
          .requestHandler(this::onRequest)
          .listen(0, "127.0.0.1"));
    }
    return Future.all(all).onSuccess(cf -> {
      for (Future<HttpServer> f : all) {
        servers.add(f.result());
      }
      server = servers.get(0);
    });
  }

  private int viewersOn(String stageId) {
    int n = 0;
    for (Client c : clients) {
      if (!c.moderator && stageId.equals(c.stageId)) {
        n++;
      }
    }
    return n;
  }

  private String id(String prefix) {
    return prefix + Integer.toString(++ids, 36) + "x";
  }

  // ------------------------------------------------------------------ REST

  private static final Pattern STAGES = Pattern.compile("/api/v1/events/([^/]+)/stages");
  private static final Pattern POLLS = Pattern.compile("/api/v1/stages/([^/]+)/polls");
  private static final Pattern POLL = Pattern.compile("/api/v1/stages/([^/]+)/polls/([^/]+)(/(open|close|reveal|hide))?");

  private void onRequest(HttpServerRequest req) {
    String path = req.path();
    if (path.startsWith("/health/")) {
      req.response().end("{}");
      return;
    }
    if (path.equals("/metrics")) {
      req.response().end("process_cpu_usage 0.1\njvm_memory_used_bytes{area=\"heap\",id=\"x\"} 1048576\n"
          + "plenum_connections{role=\"viewer\"} " + clients.size() + "\n");
      return;
    }
    if (!("Bearer " + token).equals(req.getHeader("Authorization"))) {
      req.response().setStatusCode(401).end("{\"error\":{\"code\":\"unauthorized\",\"message\":\"no\"}}");
      return;
    }
    req.body().onSuccess(body -> {
      JsonObject in = body.length() == 0 ? new JsonObject() : body.toJsonObject();
      Matcher m;
      if (path.equals("/api/v1/events")) {
        reply(req, 201, new JsonObject().put("id", id("ev")).put("name", in.getString("name"))
            .put("stages", new JsonArray()));
      } else if ((m = STAGES.matcher(path)).matches()) {
        JsonObject st = new JsonObject().put("id", id("st")).put("eventId", m.group(1))
            .put("name", in.getString("name")).put("code", "K7M2Q" + (char) ('A' + stages.size()));
        stages.put(st.getString("id"), st);
        reply(req, 201, st);
      } else if ((m = POLL.matcher(path)).matches()) {
        Poll p = polls.get(m.group(2));
        if (m.group(4) != null) {
          p.poll.put("state", m.group(4).equals("open") ? "open" : m.group(4).equals("close") ? "closed"
              : p.poll.getString("state"));
          broadcastPoll(p);
        }
        reply(req, 200, new JsonObject().put("poll", p.poll).put("results", results(p)));
      } else if ((m = POLLS.matcher(path)).matches()) {
        Poll p = new Poll();
        JsonArray options = new JsonArray();
        JsonArray labels = in.getJsonArray("options", new JsonArray());
        for (int i = 0; i < labels.size(); i++) {
          options.add(new JsonObject().put("id", String.valueOf((char) ('a' + i))).put("label", labels.getString(i)));
        }
        String kind = in.getString("kind");
        p.poll = new JsonObject().put("id", id("pl")).put("stageId", m.group(1)).put("kind", kind)
            .put("question", in.getString("question")).put("options", options)
            .put("maxSelections", kind.equals("rating") ? null : in.getInteger("maxSelections", labels.size()))
            .put("scale", kind.equals("rating") ? in.getInteger("scale", 5) : null)
            .put("state", in.getBoolean("open", false) ? "open" : "draft")
            .put("resultsVisible", in.getBoolean("resultsVisible", false));
        polls.put(p.poll.getString("id"), p);
        broadcastPoll(p);
        reply(req, 201, new JsonObject().put("poll", p.poll).put("results", results(p)));
      } else {
        req.response().setStatusCode(404).end("{\"error\":{\"code\":\"not_found\",\"message\":\"" + path + "\"}}");
      }
    });
  }

  private static void reply(HttpServerRequest req, int status, JsonObject body) {
    req.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }

  private List<String> keys(Poll p) {
    List<String> keys = new ArrayList<>();
    if (p.poll.getString("kind").equals("rating")) {
      for (int i = 1; i <= p.poll.getInteger("scale"); i++) {
        keys.add(String.valueOf(i));
      }
    } else {
      for (int i = 0; i < p.poll.getJsonArray("options").size(); i++) {
        keys.add(String.valueOf((char) ('a' + i)));
      }
    }
    return keys;
  }

  private JsonObject results(Poll p) {
    JsonObject counts = new JsonObject();
    keys(p).forEach(k -> counts.put(k, 0));
    for (List<String> v : p.votes.values()) {
      v.forEach(k -> counts.put(k, counts.getInteger(k) + 1));
    }
    return new JsonObject().put("pollId", p.poll.getString("id")).put("version", p.version)
        .put("voters", p.votes.size()).put("counts", counts).putNull("mean");
  }

  // ------------------------------------------------------------------ WebSocket

  private void onSocket(ServerWebSocket ws) {
    Client c = new Client(ws);
    clients.add(c);
    ws.closeHandler(v -> clients.remove(c));
    ws.textMessageHandler(text -> onMessage(c, new JsonObject(text)));
  }

  private void onMessage(Client c, JsonObject msg) {
    String id = msg.getString("id");
    switch (msg.getString("type")) {
      case "join" -> {
        c.stageId = msg.getString("stageId");
        c.moderator = "moderator".equals(msg.getString("role"));
        if (c.moderator && !token.equals(msg.getString("auth"))) {
          error(c, id, "unauthorized");
          return;
        }
        String t = msg.getString("token");
        boolean renewed = t == null || !t.startsWith("v1.");
        c.participant = renewed ? id("pa") : t.substring(3);
        JsonArray snapshot = new JsonArray();
        for (Poll p : polls.values()) {
          if (p.poll.getString("stageId").equals(c.stageId) && (c.moderator || !p.poll.getString("state").equals("draft"))) {
            snapshot.add(new JsonObject().put("poll", p.poll).put("results", visible(p, c) ? results(p) : null));
          }
        }
        JsonObject joined = new JsonObject().put("type", "joined").put("id", id)
            .put("role", c.moderator ? "moderator" : "viewer")
            .put("participant", new JsonObject().put("id", c.participant).put("token", "v1." + c.participant)
                .put("renewed", renewed))
            .put("stage", stages.get(c.stageId)).put("polls", snapshot);
        if (c.moderator) {
          joined.put("presence", new JsonObject().put("stageId", c.stageId).put("viewers", viewersOn(c.stageId))
              .put("moderators", 1).put("presenters", 0));
        }
        c.ws.writeTextMessage(joined.encode());
      }
      case "vote" -> {
        Poll p = polls.get(msg.getString("pollId"));
        if (p == null) {
          error(c, id, "unknown_poll");
          return;
        }
        if (!p.poll.getString("state").equals("open")) {
          error(c, id, "poll_not_open");
          return;
        }
        String key = c.participant + "/" + id;
        boolean duplicate = p.applied.contains(key) && !countTwice;
        if (!duplicate) {
          p.applied.add(key);
          List<String> choices = new ArrayList<>();
          if (msg.containsKey("rating")) {
            choices.add(String.valueOf(msg.getInteger("rating")));
          } else {
            msg.getJsonArray("choices").forEach(x -> choices.add((String) x));
          }
          if (countTwice && p.votes.containsKey(c.participant)) {
            p.votes.put(c.participant + "#" + p.version, choices); // the bug: counted as another voter
          } else {
            p.votes.put(c.participant, choices);
          }
          p.version++;
          p.dirtyModerators = true;
          p.dirtyViewers = true;
        }
        c.ws.writeTextMessage(new JsonObject().put("type", "ack").put("id", id).put("duplicate", duplicate).encode());
      }
      case "ping" -> c.ws.writeTextMessage(new JsonObject().put("type", "pong").put("id", id).encode());
      default -> error(c, id, "unknown_type");
    }
  }

  private boolean visible(Poll p, Client c) {
    return c.moderator || p.poll.getBoolean("resultsVisible");
  }

  private void error(Client c, String id, String code) {
    c.ws.writeTextMessage(new JsonObject().put("type", "error").put("id", id).put("code", code)
        .put("message", code).encode());
  }

  private void broadcastPoll(Poll p) {
    for (Client c : clients) {
      if (p.poll.getString("stageId").equals(c.stageId) && (c.moderator || !p.poll.getString("state").equals("draft"))) {
        c.ws.writeTextMessage(new JsonObject().put("type", "poll").put("stageId", c.stageId).put("poll", p.poll)
            .put("results", visible(p, c) ? results(p) : null).encode());
      }
    }
  }

  private void tick(boolean moderators) {
    if (moderators) {
      for (String stageId : stages.keySet()) {
        int n = viewersOn(stageId);
        if (!Integer.valueOf(n).equals(presenceSent.put(stageId, n))) {
          String frame = new JsonObject().put("type", "presence").put("stageId", stageId).put("viewers", n)
              .put("moderators", 1).put("presenters", 0).encode();
          for (Client c : clients) {
            if (c.moderator && stageId.equals(c.stageId)) {
              c.ws.writeTextMessage(frame);
            }
          }
        }
      }
    }
    for (Poll p : polls.values()) {
      if (moderators ? !p.dirtyModerators : !p.dirtyViewers) {
        continue;
      }
      if (moderators) {
        p.dirtyModerators = false;
      } else {
        p.dirtyViewers = false;
      }
      String frame = new JsonObject().put("type", "results").put("stageId", p.poll.getString("stageId"))
          .put("results", results(p)).encode();
      for (Client c : clients) {
        if (c.moderator == moderators && p.poll.getString("stageId").equals(c.stageId) && visible(p, c)) {
          c.ws.writeTextMessage(frame);
        }
      }
    }
  }
}
