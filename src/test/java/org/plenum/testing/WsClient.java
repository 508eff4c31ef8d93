package org.plenum.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A real WebSocket client speaking protocol v1, for tests: send JSON, wait for the first
 * message (received or still to come) that matches, without sleeping. Test code calls it from
 * the JUnit thread while frames arrive on an event loop, hence the (test-only) synchronisation.
 */
public final class WsClient {
  private static final AtomicLong IDS = new AtomicLong();
  private static final int MAX_CONNECT_ATTEMPTS = 3;
  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(WsClient.class.getName());

  private final WebSocket ws;
  private final List<JsonObject> inbox = new ArrayList<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private final Promise<Short> closed = Promise.promise();
  private final List<java.util.function.Consumer<JsonObject>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  public String token;
  public String participantId;

  private record Waiter(Predicate<JsonObject> match, Promise<JsonObject> promise) {}

  /**
   * Held for as long as this socket is: Vert.x closes a client it finds unreachable (a cleaner),
   * and with it the client's open sockets, even one in the middle of its handshake.
   */
  private final WebSocketClient client;

  private WsClient(WebSocket ws, WebSocketClient client) {
    this.ws = ws;
    this.client = client;
    ws.textMessageHandler(text -> {
      JsonObject m = new JsonObject(text);
      listeners.forEach(l -> l.accept(m));
      received(m);
    });
    ws.closeHandler(v -> closed.tryComplete(ws.closeStatusCode()));
  }

  public static Future<WsClient> connect(Vertx vertx, int port) {
    return connect(vertx, port, new WebSocketClientOptions());
  }

  public static Future<WsClient> connect(Vertx vertx, int port, WebSocketClientOptions options) {
    WebSocketClient client = vertx.createWebSocketClient(options.setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 20));
    return connect(vertx, client, port, 1);
  }

  /** Opens a socket with a client the caller keeps (e.g. one bound to a source address for many sockets). */
  public static Future<WsClient> connect(Vertx vertx, WebSocketClient client, int port) {
    return connect(vertx, client, port, 1);
  }

  /** Opens a socket sending extra handshake headers (e.g. X-Forwarded-For as a proxy would); no retry. */
  public static Future<WsClient> connect(Vertx vertx, WebSocketClient client, int port, java.util.Map<String, String> headers) {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws");
    headers.forEach(options::addHeader);
    return Future.future(promise -> vertx.getOrCreateContext().runOnContext(v -> client.connect(options)
        .map(ws -> new WsClient(ws, client)).onComplete(promise)));
  }

  /**
   * A client whose sockets come from {@code sourceAddress} (any 127.0.0.x on loopback), through a
   * relay because Vert.x 5.1's WebSocket client ignores its local address ({@link SourceAddressClient}).
   */
  public static WebSocketClient clientFrom(Vertx vertx, String sourceAddress) {
    return new SourceAddressClient(vertx, sourceAddress, new WebSocketClientOptions().setMaxConnections(10_000)
        .setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 20));
  }

  /**
   * Opens the socket, retrying (as every real client does) when the TCP connection is lost
   * before the upgrade completed. CI saw this once on loopback, on the first connection of a
   * test, right after earlier tests had opened and closed thousands of sockets; it did not
   * reproduce here in dozens of runs. Plenum's own refusals (404, 403) carry a status and are not
   * retried, and each retry is logged so a real regression still shows.
   */
  private static Future<WsClient> connect(Vertx vertx, WebSocketClient client, int port, int attempt) {
    // connect on an event loop, so the handlers are in place in the same turn the socket opens
    Future<WsClient> opened = Future.future(promise -> vertx.getOrCreateContext().runOnContext(v -> client
        .connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws"))
        .map(ws -> new WsClient(ws, client))
        .onComplete(promise)));
    return opened.recover(err -> {
      if (attempt >= MAX_CONNECT_ATTEMPTS || !lostBeforeUpgrade(err)) {
        return Future.failedFuture(err);
      }
      LOG.warning("WebSocket connection attempt " + attempt + " lost before the upgrade (" + err + "); retrying");
      return connect(vertx, client, port, attempt + 1);
    });
  }

  private static boolean lostBeforeUpgrade(Throwable err) {
    return err instanceof java.net.ConnectException
        || err instanceof io.netty.handler.codec.http.websocketx.WebSocketHandshakeException
            && String.valueOf(err.getMessage()).startsWith("Connection closed");
  }

  public static String nextId(String prefix) {
    return prefix + "-" + IDS.incrementAndGet();
  }

  public WebSocket socket() {
    return ws;
  }

  public Future<Void> sendText(String text) {
    return ws.writeTextMessage(text);
  }

  public Future<Void> send(JsonObject message) {
    return ws.writeTextMessage(message.encode());
  }

  /** Sends an action and waits for its reply (the message carrying the same id). */
  public Future<JsonObject> request(JsonObject message) {
    String id = message.getString("id");
    Future<JsonObject> reply = next(m -> id.equals(m.getString("id")));
    send(message);
    return reply;
  }

  public Future<JsonObject> join(String stageId) {
    return join(stageId, null);
  }

  /** Joins as a viewer coming by the {@code source} link ("hall", "stream"; null: none said). */
  public Future<JsonObject> join(String stageId, String source) {
    JsonObject join = new JsonObject().put("type", "join").put("id", nextId("j")).put("stageId", stageId);
    if (source != null) {
      join.put("source", source);
    }
    if (token != null) {
      join.put("token", token);
    }
    return request(join).map(this::remember);
  }

  public Future<JsonObject> joinAsModerator(String stageId, String auth) {
    return request(new JsonObject().put("type", "join").put("id", nextId("j")).put("stageId", stageId)
        .put("role", "moderator").put("auth", auth)).map(this::remember);
  }

  private JsonObject remember(JsonObject joined) {
    if ("joined".equals(joined.getString("type"))) {
      token = joined.getJsonObject("participant").getString("token");
      participantId = joined.getJsonObject("participant").getString("id");
    }
    return joined;
  }

  /** A single-choice vote under a fresh action id. */
  public Future<JsonObject> vote(String pollId, String choice) {
    return vote(nextId("v"), pollId, choice);
  }

  public Future<JsonObject> vote(String actionId, String pollId, String choice) {
    return request(new JsonObject().put("type", "vote").put("id", actionId).put("pollId", pollId)
        .put("choices", new io.vertx.core.json.JsonArray().add(choice)));
  }

  /** The first message, already received or still to come, that matches; it is consumed. */
  public synchronized Future<JsonObject> next(Predicate<JsonObject> match) {
    Iterator<JsonObject> it = inbox.iterator();
    while (it.hasNext()) {
      JsonObject m = it.next();
      if (match.test(m)) {
        it.remove();
        return Future.succeededFuture(m);
      }
    }
    Promise<JsonObject> promise = Promise.promise();
    waiters.add(new Waiter(match, promise));
    return promise.future();
  }

  /**
   * Hands every message that arrives from now on to {@code listener} as well (on the socket's event
   * loop, before any wait may consume it): for following a client's whole view, e.g. a dashboard.
   */
  public void onMessage(java.util.function.Consumer<JsonObject> listener) {
    listeners.add(listener);
  }

  public Future<JsonObject> nextOfType(String type) {
    return next(m -> type.equals(m.getString("type")));
  }

  /** All messages received and not yet consumed. */
  public synchronized List<JsonObject> inbox() {
    return List.copyOf(inbox);
  }

  public Future<Short> closed() {
    return closed.future();
  }

  public Future<Void> close() {
    return ws.close();
  }

  private synchronized void received(JsonObject m) {
    Iterator<Waiter> it = waiters.iterator();
    while (it.hasNext()) {
      Waiter w = it.next();
      if (w.match().test(m)) {
        it.remove();
        w.promise().complete(m);
        return;
      }
    }
    inbox.add(m);
  }
}
