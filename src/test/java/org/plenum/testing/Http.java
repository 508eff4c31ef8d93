package org.plenum.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/** A small real HTTP client for the REST API in tests. */
public final class Http {
  private final HttpClient client;
  private final io.vertx.core.Context context;
  private final int port;
  private final String token;

  public record Response(int status, Buffer body) {
    public JsonObject json() {
      return new JsonObject(body);
    }

    public Object any() {
      return Json.decodeValue(body);
    }
  }

  public Http(Vertx vertx, int port, String token) {
    this.client = vertx.createHttpClient();
    this.context = vertx.getOrCreateContext();
    this.port = port;
    this.token = token;
  }

  public Future<Response> get(String path) {
    return send(HttpMethod.GET, path, null, token);
  }

  public Future<Response> getAnonymous(String path) {
    return send(HttpMethod.GET, path, null, null);
  }

  public Future<Response> put(String path, Object body) {
    return send(HttpMethod.PUT, path, body, token);
  }

  public Future<Response> post(String path, Object body) {
    return send(HttpMethod.POST, path, body, token);
  }

  public Future<Response> send(HttpMethod method, String path, Object body, String bearer) {
    return send(method, path, body, bearer, java.util.Map.of());
  }

  /** As {@link #send(HttpMethod, String, Object, String)}, with further request headers. */
  public Future<Response> send(HttpMethod method, String path, Object body, String bearer, java.util.Map<String, String> headers) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(path);
    headers.forEach(options::putHeader);
    if (bearer != null) {
      options.putHeader("Authorization", "Bearer " + bearer);
    }
    Buffer payload = body == null ? Buffer.buffer() : body instanceof Buffer b ? b
        : body instanceof String s ? Buffer.buffer(s) : Buffer.buffer(Json.encode(body));
    // Run the exchange on an event loop: there the response's body handler is set in the same
    // turn as the response arrives. Composed from the JUnit thread, the continuation may run
    // later, after the body has already gone by, and the body never completes.
    return Future.future(promise -> context.runOnContext(v -> client.request(options)
        .compose(req -> req.putHeader("Content-Type", "application/json").send(payload)
            .compose(resp -> resp.body().map(b -> new Response(resp.statusCode(), b))))
        .onComplete(promise)));
  }

  /** Creates an event with one stage and returns the stage JSON. */
  public Future<JsonObject> stage() {
    return post("/api/v1/events", new JsonObject().put("name", "Test event"))
        .compose(e -> post("/api/v1/events/" + e.json().getString("id") + "/stages", new JsonObject().put("name", "Main")))
        .map(Response::json);
  }

  /** Creates an open word cloud with visible results on a stage; returns {cloud, results}. */
  public Future<JsonObject> openCloud(String stageId, int maxEntries) {
    return post("/api/v1/stages/" + stageId + "/clouds", new JsonObject().put("prompt", "Ein Wort?")
        .put("maxEntries", maxEntries).put("resultsVisible", true).put("open", true)).map(Response::json);
  }

  /** Creates an open single-choice poll (a, b, c) with visible results on a stage; returns {poll, results}. */
  public Future<JsonObject> openPoll(String stageId) {
    return post("/api/v1/stages/" + stageId + "/polls", new JsonObject().put("kind", "single").put("question", "Which?")
        .put("options", new io.vertx.core.json.JsonArray().add("A").add("B").add("C"))
        .put("resultsVisible", true).put("open", true)).map(Response::json);
  }
}
