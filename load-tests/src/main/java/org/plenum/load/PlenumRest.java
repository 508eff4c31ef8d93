package org.plenum.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;

/** The REST calls the generator makes (docs/rest.md), each a Future. */
public final class PlenumRest {

  /** A non-2xx answer, with the error code from the body when there is one. */
  public static final class RestException extends RuntimeException {
    public final int status;
    public final String code;

    RestException(int status, String code, String message) {
      super(status + " " + code + ": " + message);
      this.status = status;
      this.code = code;
    }
  }

  private final HttpClient client;
  /** Every request starts on this one context, whichever thread asks for it. */
  private final io.vertx.core.Context context;
  private final ObjectMapper mapper;
  private final String host;
  private final int port;
  private final String bearer;

  public PlenumRest(Vertx vertx, URI base, String organiserToken, ObjectMapper mapper) {
    this.host = base.getHost();
    this.port = base.getPort() > 0 ? base.getPort() : 80;
    this.bearer = "Bearer " + organiserToken;
    this.mapper = mapper;
    this.context = vertx.getOrCreateContext();
    this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(5000).setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(8));
  }

  public Future<JsonNode> createEvent(String name) {
    return call(HttpMethod.POST, "/api/v1/events", obj().put("name", name), true, 201);
  }

  public Future<JsonNode> createStage(String eventId, String name) {
    return call(HttpMethod.POST, "/api/v1/events/" + eventId + "/stages", obj().put("name", name), true, 201);
  }

  /** Creates a poll as a draft; {@code optionCount} labels for single/multiple, scale 5 for rating. */
  public Future<PollInfo> createPoll(String stageId, String kind, String question, int optionCount,
                                     boolean resultsVisible) {
    ObjectNode body = obj().put("kind", kind).put("question", question).put("resultsVisible", resultsVisible);
    if ("rating".equals(kind)) {
      body.put("scale", 5);
    } else {
      var options = body.putArray("options");
      for (int i = 0; i < optionCount; i++) {
        options.add("Option " + (char) ('A' + i));
      }
      if ("multiple".equals(kind)) {
        body.put("maxSelections", Math.max(1, optionCount - 1));
      }
      if ("quiz".equals(kind)) { // a quiz question: option A is the correct one, answered once each
        body.putArray("correct").add(0);
      }
    }
    return call(HttpMethod.POST, "/api/v1/stages/" + stageId + "/polls", body, true, 201).map(PollInfo::from);
  }

  public Future<JsonNode> pollAction(String stageId, String pollId, String action) {
    return call(HttpMethod.POST, "/api/v1/stages/" + stageId + "/polls/" + pollId + "/" + action, null, true, 200);
  }

  /** The poll with its results, read with the organiser token (so results are always there). */
  public Future<JsonNode> poll(String stageId, String pollId) {
    return call(HttpMethod.GET, "/api/v1/stages/" + stageId + "/polls/" + pollId, null, true, 200);
  }

  /** Creates a word cloud as a draft (docs/rest.md: POST /stages/{id}/clouds). */
  public Future<JsonNode> createCloud(String stageId, String prompt, int maxEntries, boolean resultsVisible) {
    ObjectNode body = obj().put("prompt", prompt).put("maxEntries", maxEntries).put("resultsVisible", resultsVisible);
    return call(HttpMethod.POST, "/api/v1/stages/" + stageId + "/clouds", body, true, 201);
  }

  public Future<JsonNode> cloudAction(String stageId, String cloudId, String action) {
    return call(HttpMethod.POST, "/api/v1/stages/" + stageId + "/clouds/" + cloudId + "/" + action, null, true, 200);
  }

  /** The cloud with its results (hidden words included), read with the organiser token. */
  public Future<JsonNode> cloud(String stageId, String cloudId) {
    return call(HttpMethod.GET, "/api/v1/stages/" + stageId + "/clouds/" + cloudId, null, true, 200);
  }

  /** Every post of the stage but deleted ones, read with the organiser token. */
  public Future<JsonNode> posts(String stageId) {
    return call(HttpMethod.GET, "/api/v1/stages/" + stageId + "/posts", null, true, 200);
  }

  /** approve, reject, answer, pin, … */
  public Future<JsonNode> postAction(String stageId, String postId, String action) {
    return call(HttpMethod.POST, "/api/v1/stages/" + stageId + "/posts/" + postId + "/" + action, null, true, 200);
  }

  public Future<JsonNode> reactions(String stageId) {
    return call(HttpMethod.GET, "/api/v1/stages/" + stageId + "/reactions", null, true, 200);
  }

  public Future<JsonNode> stageSettings(String stageId, boolean questionModeration, boolean commentModeration) {
    ObjectNode body = obj().put("questionModeration", questionModeration).put("commentModeration", commentModeration);
    return call(HttpMethod.PATCH, "/api/v1/stages/" + stageId + "/settings", body, true, 200);
  }

  /** The status code of a GET with the organiser token (feature probes). */
  public Future<Integer> status(String path) {
    return onContext(() -> client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port)
            .setURI(path).setTimeout(5000).putHeader("Authorization", bearer))
        .compose(req -> req.send())
        .compose(resp -> resp.body().map(b -> resp.statusCode())));
  }

  private <T> Future<T> onContext(java.util.function.Supplier<Future<T>> work) {
    io.vertx.core.Promise<T> p = io.vertx.core.Promise.promise();
    context.runOnContext(v -> work.get().onComplete(p));
    return p.future();
  }

  public Future<String> metricsText() {
    return onContext(() -> client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port)
            .setURI("/metrics").setTimeout(5000))
        .compose(req -> req.send())
        .compose(resp -> resp.body().map(b -> {
          if (resp.statusCode() != 200) {
            throw new RestException(resp.statusCode(), "metrics", "GET /metrics answered " + resp.statusCode());
          }
          return b.toString();
        })));
  }

  public Future<Integer> health(String path) {
    return onContext(() -> client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port)
            .setURI(path).setTimeout(5000))
        .compose(req -> req.send())
        .compose(resp -> resp.body().map(b -> resp.statusCode())));
  }

  private Future<JsonNode> call(HttpMethod method, String path, JsonNode body, boolean auth, int expected) {
    RequestOptions ro = new RequestOptions().setMethod(method).setHost(host).setPort(port).setURI(path)
        .setTimeout(15000);
    if (auth) {
      ro.putHeader("Authorization", bearer);
    }
    if (body != null) {
      ro.putHeader("Content-Type", "application/json");
    }
    return onContext(() -> client.request(ro)
        .compose(req -> body == null ? req.send() : req.send(Buffer.buffer(write(body))))
        .compose(resp -> resp.body().map(b -> {
          JsonNode json = read(b.toString());
          if (resp.statusCode() != expected) {
            if (resp.statusCode() / 100 == 2) {
              // Documented status differs from the one answered: accept, but it is worth knowing.
              return json;
            }
            JsonNode err = json == null ? null : json.path("error");
            throw new RestException(resp.statusCode(), err == null ? "?" : err.path("code").asText("?"),
                method + " " + path + " -> " + (err == null ? b.toString() : err.path("message").asText()));
          }
          return json;
        })));
  }

  private ObjectNode obj() {
    return mapper.createObjectNode();
  }

  private String write(JsonNode n) {
    try {
      return mapper.writeValueAsString(n);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private JsonNode read(String s) {
    if (s == null || s.isBlank()) {
      return null;
    }
    try {
      return mapper.readTree(s);
    } catch (Exception e) {
      return mapper.createObjectNode().put("unparsable", s);
    }
  }

  public Future<Void> close() {
    return client.close();
  }
}
