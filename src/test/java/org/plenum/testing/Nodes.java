package org.plenum.testing;

import static org.plenum.testing.Await.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.plenum.PlenumServer;

/**
 * Several Plenum nodes of one deployment, sharing one Redis, for multi-node tests. A node runs
 * either in this JVM on a Vert.x of its own ({@link Kind#IN_PROCESS}: cheap, fast to start) or as a
 * child JVM ({@link Kind#PROCESS}, through {@link ServerProcess}) where a test must send it a real
 * signal ({@code kill -9}, SIGTERM). Nodes are named {@code node-a}, {@code node-b}, … in order.
 *
 * <p>The Redis deployment is given as environment settings ({@link #redis(RedisServerProcess)}
 * for one redis-server, {@link #redis(String, List)} for other modes), so a Redis Cluster variant
 * of a test passes other settings and nothing else. All clients (HTTP and WebSocket) run on one
 * client Vert.x, {@link #clients()}. Start and close from the JUnit thread, never an event loop.
 */
public final class Nodes implements AutoCloseable {
  /** Where a node runs. */
  public enum Kind { IN_PROCESS, PROCESS }

  private final Vertx clients;
  private final List<Node> nodes;

  private Nodes(Vertx clients, List<Node> nodes) {
    this.clients = clients;
    this.nodes = nodes;
  }

  /** The settings for one standalone redis-server. */
  public static Map<String, String> redis(RedisServerProcess redis) {
    return redis("standalone", List.of(redis.url()));
  }

  /**
   * The settings for a Redis deployment: {@code redisMode} ({@code standalone}, {@code cluster},
   * {@code sentinel}, {@code replication}) and its endpoints, comma-separated into {@code redisUrl}.
   * {@code standalone} is the default and is not set explicitly.
   */
  public static Map<String, String> redis(String mode, List<String> urls) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PLENUM_ENGINE", "redis");
    env.put("PLENUM_REDIS_URL", String.join(",", urls));
    if (!"standalone".equals(mode)) {
      env.put("PLENUM_REDIS_MODE", mode);
    }
    return env;
  }

  /** {@code count} nodes in this JVM, each on its own Vert.x, with {@code env} (Redis settings and any overrides). */
  public static Nodes inProcess(int count, Map<String, String> env) {
    return start(env, java.util.Collections.nCopies(count, Kind.IN_PROCESS).toArray(Kind[]::new));
  }

  /** {@code count} nodes as child JVMs (one event loop each), with {@code env}. */
  public static Nodes processes(int count, Map<String, String> env) {
    return start(env, java.util.Collections.nCopies(count, Kind.PROCESS).toArray(Kind[]::new));
  }

  /**
   * One node per kind given, in that order ({@code node-a} first), all with {@code env}; they start
   * in parallel and this returns once every one accepts requests. Child JVMs run one event loop
   * ({@code PLENUM_INSTANCES=1}, unless {@code env} says otherwise), like in-process nodes.
   */
  public static Nodes start(Map<String, String> env, Kind... kinds) {
    Vertx clients = TestVertx.create();
    // one thread per node: a start blocks its thread (a child process until it logged its start)
    java.util.concurrent.ExecutorService starters = java.util.concurrent.Executors.newFixedThreadPool(Math.max(1, kinds.length));
    List<CompletableFuture<Node>> starting = new ArrayList<>();
    for (int i = 0; i < kinds.length; i++) {
      String id = "node-" + (char) ('a' + i);
      Map<String, String> nodeEnv = new HashMap<>();
      nodeEnv.put("PLENUM_INSTANCES", "1");
      nodeEnv.putAll(env);
      nodeEnv.put("PLENUM_NODE_ID", id);
      Kind kind = kinds[i];
      starting.add(CompletableFuture.supplyAsync(() -> kind == Kind.PROCESS
          ? Node.process(id, ServerProcess.start(nodeEnv), clients)
          : Node.inProcess(id, nodeEnv, clients), starters));
    }
    List<Node> nodes = new ArrayList<>();
    try {
      for (CompletableFuture<Node> s : starting) {
        nodes.add(s.get(90, TimeUnit.SECONDS));
      }
    } catch (Exception e) {
      starting.forEach(s -> s.thenAccept(Node::stop));
      await(clients.close());
      throw new IllegalStateException("the nodes did not start: " + e, e);
    } finally {
      starters.shutdown();
    }
    return new Nodes(clients, nodes);
  }

  /** The Vert.x every test client (HTTP, WebSocket) of these nodes runs on. */
  public Vertx clients() {
    return clients;
  }

  public Node node(int index) {
    return nodes.get(index);
  }

  public List<Node> all() {
    return List.copyOf(nodes);
  }

  public int size() {
    return nodes.size();
  }

  /** Node {@code index} modulo the number of nodes: for spreading clients round-robin. */
  public Node roundRobin(int index) {
    return nodes.get(Math.floorMod(index, nodes.size()));
  }

  /** Creates an event with one stage through {@code via}'s REST API; returns the stage (with its {@code eventId}). */
  public JsonObject stage(Node via) {
    return await(via.http().stage());
  }

  /** Creates a poll ({@code newPoll} as in rest.md#newpoll) through {@code via}; returns its id. */
  public String poll(Node via, String stageId, JsonObject newPoll) {
    Http.Response created = await(via.http().post("/api/v1/stages/" + stageId + "/polls", newPoll));
    return requireStatus(created, 201, "create poll").json().getJsonObject("poll").getString("id");
  }

  /** An open single-choice poll with visible results and the given option labels (ids a, b, c, …). */
  public static JsonObject singleChoice(String question, String... options) {
    return new JsonObject().put("kind", "single").put("question", question)
        .put("options", new JsonArray(List.of((Object[]) options))).put("resultsVisible", true).put("open", true);
  }

  /** An open multiple-choice poll with visible results allowing {@code maxSelections} of the options. */
  public static JsonObject multipleChoice(String question, int maxSelections, String... options) {
    return singleChoice(question, options).put("kind", "multiple").put("maxSelections", maxSelections);
  }

  /** An open rating poll (1…{@code scale}) with visible results. */
  public static JsonObject rating(String question, int scale) {
    return new JsonObject().put("kind", "rating").put("question", question).put("scale", scale)
        .put("resultsVisible", true).put("open", true);
  }

  /** {@code POST /api/v1/stages/{stageId}/polls/{pollId}/{action}} ({@code open}, {@code close}, …) through {@code via}. */
  public JsonObject pollAction(Node via, String stageId, String pollId, String action) {
    return requireStatus(await(via.http().post("/api/v1/stages/" + stageId + "/polls/" + pollId + "/" + action, null)),
        200, action + " poll").json();
  }

  /** Creates an open word cloud with visible results through {@code via}; returns its id. */
  public String cloud(Node via, String stageId, int maxEntries) {
    return await(via.http().openCloud(stageId, maxEntries)).getJsonObject("cloud").getString("id");
  }

  /** {@code GET} through {@code via} with the organiser token; fails on any status but 200. */
  public Http.Response get(Node via, String path) {
    return requireStatus(await(via.http().get(path)), 200, "GET " + path);
  }

  private static Http.Response requireStatus(Http.Response response, int status, String what) {
    if (response.status() != status) {
      throw new AssertionError(what + ": HTTP " + response.status() + " " + response.body());
    }
    return response;
  }

  /** Stops every node still running (gracefully; child JVMs with {@code kill -9}) and the client Vert.x. */
  @Override
  public void close() {
    nodes.forEach(Node::stop);
    await(clients.close());
  }

  /** One node of the deployment. */
  public static final class Node {
    private final String id;
    private final Vertx vertx;
    private final PlenumServer server;
    private final ServerProcess process;
    private final int port;
    private final Http http;
    private final Vertx clients;
    private boolean stopped;

    private Node(String id, Vertx vertx, PlenumServer server, ServerProcess process, int port, Vertx clients) {
      this.id = id;
      this.vertx = vertx;
      this.server = server;
      this.process = process;
      this.port = port;
      this.clients = clients;
      this.http = new Http(clients, port, TestServer.ORGANISER_TOKEN);
    }

    private static Node inProcess(String id, Map<String, String> env, Vertx clients) {
      Vertx vertx = TestVertx.create();
      try {
        PlenumServer server = await(TestServer.start(vertx, env), 60);
        return new Node(id, vertx, server, null, server.port(), clients);
      } catch (RuntimeException | AssertionError e) {
        await(vertx.close());
        throw e;
      }
    }

    private static Node process(String id, ServerProcess process, Vertx clients) {
      return new Node(id, null, null, process, process.port(), clients);
    }

    /** {@code node-a}, {@code node-b}, …: the node's {@code nodeId}. */
    public String id() {
      return id;
    }

    public Kind kind() {
      return process != null ? Kind.PROCESS : Kind.IN_PROCESS;
    }

    public int port() {
      return port;
    }

    /** {@code http://127.0.0.1:<port>} */
    public String httpUrl() {
      return "http://127.0.0.1:" + port;
    }

    /** {@code ws://127.0.0.1:<port>/ws} */
    public String wsUrl() {
      return "ws://127.0.0.1:" + port + "/ws";
    }

    /** A REST client of this node with the organiser token. */
    public Http http() {
      return http;
    }

    /** Opens a WebSocket to this node (not joined yet). */
    public Future<WsClient> connect() {
      return WsClient.connect(clients, port);
    }

    /** A new viewer joined to the stage on this node. */
    public Future<WsClient> viewer(String stageId) {
      return connect().compose(ws -> ws.join(stageId).map(joined -> {
        requireJoined(joined);
        return ws;
      }));
    }

    /** A moderator (with the organiser token) joined to the stage on this node; the {@code joined} stays in its inbox. */
    public Future<WsClient> moderator(String stageId) {
      return connect().compose(ws -> ws.joinAsModerator(stageId, TestServer.ORGANISER_TOKEN).map(joined -> {
        requireJoined(joined);
        return ws;
      }));
    }

    private static void requireJoined(JsonObject reply) {
      if (!"joined".equals(reply.getString("type"))) {
        throw new AssertionError("join refused: " + reply);
      }
    }

    /** The in-process server ({@link Kind#IN_PROCESS} only). */
    public PlenumServer server() {
      if (server == null) {
        throw new IllegalStateException(id + " runs in a child process");
      }
      return server;
    }

    /** The child process ({@link Kind#PROCESS} only), for its output and exit code. */
    public ServerProcess process() {
      if (process == null) {
        throw new IllegalStateException(id + " runs in this JVM");
      }
      return process;
    }

    /** {@code kill -9} ({@link Kind#PROCESS} only): no shutdown at all; waits until the process is gone. */
    public void kill() {
      try {
        process().kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while killing " + id, e);
      }
      stopped = true;
    }

    /** SIGTERM ({@link Kind#PROCESS} only): the node drains and exits by itself; see {@link ServerProcess#awaitExit}. */
    public void terminate() {
      process().terminate();
    }

    /** Stops the node: an in-process one gracefully, a child process with {@code kill -9} if it still runs. */
    public void stop() {
      if (stopped) {
        return;
      }
      stopped = true;
      if (process != null) {
        process.close();
      } else {
        try {
          await(server.stop(), 30);
        } finally {
          await(vertx.close(), 30);
        }
      }
    }

    @Override
    public String toString() {
      return id + "@" + port;
    }
  }
}
