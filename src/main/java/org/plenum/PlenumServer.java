package org.plenum;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.plenum.api.ApiRoutes;
import org.plenum.api.Catalog;
import org.plenum.config.PlenumConfig;
import org.plenum.engine.Engine;
import org.plenum.engine.Engines;
import org.plenum.engine.PollDeadlines;
import org.plenum.gateway.GatewayVerticle;
import org.plenum.gateway.NodeLimits;
import org.plenum.gateway.ParticipantTokens;
import org.plenum.hub.ReadModels;
import org.plenum.metrics.PlenumMetrics;

/**
 * A running Plenum node: the engine, the node's read models (one per stage it serves) and one
 * gateway per event loop. Start, ask its port, stop.
 */
public final class PlenumServer {
  private final Vertx vertx;
  private final PlenumConfig config;
  private final Engine engine;
  private final Catalog catalog;
  private final PollDeadlines deadlines;
  private final List<GatewayVerticle> gateways = new ArrayList<>();
  private final List<String> deployments = new ArrayList<>();
  /** Set when the graceful stop begins; read by every event loop's readiness check. */
  private final AtomicBoolean draining = new AtomicBoolean();
  private int port;
  private ReadModels readModels;
  private org.plenum.api.RetentionSweeper retention;
  /** Shared random ports handed out in this JVM (several nodes may run in one Vert.x in tests). */
  private static final java.util.concurrent.atomic.AtomicInteger ANY_PORTS = new java.util.concurrent.atomic.AtomicInteger();

  private PlenumServer(Vertx vertx, PlenumConfig config, Engine engine) {
    this.vertx = vertx;
    this.config = config;
    this.engine = engine;
    this.catalog = new Catalog(engine);
    this.deadlines = new PollDeadlines(vertx, engine);
  }

  public static Future<PlenumServer> start(Vertx vertx, PlenumConfig config, PlenumMetrics metrics) {
    Engine engine = Engines.create(vertx, config, metrics);
    PlenumServer server = new PlenumServer(vertx, config, engine);
    return engine.start()
        .compose(v -> server.deadlines.start())
        .compose(v -> engine.tokenSecret())
        .compose(secret -> server.deployGateways(new ParticipantTokens(secret), metrics, openApi()))
        .map(v -> {
          server.retention = new org.plenum.api.RetentionSweeper(vertx, engine, config.retention().retentionDays(),
              config.retention().retentionSweepMinutes() * 60_000L);
          server.retention.start();
          return server;
        });
  }

  /** The first gateway binds the configured port (0 = any); the others share the port it got. */
  private Future<Void> deployGateways(ParticipantTokens tokens, PlenumMetrics metrics, Buffer openApi) {
    Future<Void> chain = Future.succeededFuture();
    NodeLimits limits = new NodeLimits(config);
    int listenPort = config.httpPort() == 0 ? -ANY_PORTS.incrementAndGet() : config.httpPort();
    // one read model per stage per node, shared by every gateway: reads and encodes once per node
    ReadModels readModels = new ReadModels(engine, metrics, config.nodeId(), config.reactions(),
        config.gateway().joinPostsLimit(), config.moderatorTickMs(), config.viewerTickMs(), config.statsSampleSeconds());
    this.readModels = readModels;
    for (int i = 0; i < config.instances(); i++) {
      int index = i;
      chain = chain.compose(v -> {
        PlenumConfig bound = index == 0 ? config : config.withHttpPort(port);
        ApiRoutes routes = new ApiRoutes(vertx, bound, catalog, metrics, openApi, draining::get, limits.passcodeAttempts());
        // every gateway listens on the same port: Vert.x shares a server among those that ask for
        // the same port, and spreads its connections over them in turn. Port 0 (any) would be bound
        // anew by each; a negative port is a random port shared by those asking for that value
        GatewayVerticle gateway = new GatewayVerticle(config, engine, metrics, tokens, routes::router, index, limits,
            readModels, listenPort);
        return vertx.deployVerticle(gateway).map(id -> {
          deployments.add(id);
          gateways.add(gateway);
          if (index == 0) {
            port = gateway.actualPort();
          }
          return null;
        });
      });
    }
    return chain;
  }

  private static Buffer openApi() {
    try (InputStream in = PlenumServer.class.getResourceAsStream("/openapi.json")) {
      return in == null ? Buffer.buffer("{}") : Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new IllegalStateException("openapi.json is unreadable", e);
    }
  }

  public int port() {
    return port;
  }

  public Engine engine() {
    return engine;
  }

  /** The node's read models (one per stage served), for tests and diagnostics. */
  public ReadModels readModels() {
    return readModels;
  }

  /** The retention sweep (docs/configuration.md, retentionDays); tests run it on demand. */
  public org.plenum.api.RetentionSweeper retention() {
    return retention;
  }

  public Catalog catalog() {
    return catalog;
  }

  public PlenumConfig config() {
    return config;
  }

  /**
   * Graceful: readiness fails at once ({@code /health/ready} 503 with {@code draining}), new
   * connections are refused, every session is closed with 1001 once its in-flight writes are
   * answered, then the engine is flushed.
   */
  public Future<Void> stop() {
    draining.set(true);
    if (retention != null) {
      retention.stop();
    }
    List<Future<Void>> shutdowns = new ArrayList<>();
    for (GatewayVerticle g : gateways) {
      shutdowns.add(g.shutdown(config.shutdownGraceMs()));
    }
    return Future.join(shutdowns)
        .transform(v -> {
          List<Future<Void>> undeploys = new ArrayList<>();
          for (String id : deployments) {
            undeploys.add(vertx.undeploy(id));
          }
          return Future.join(undeploys);
        })
        .transform(v -> {
          deadlines.stop();
          return engine.stop();
        });
  }

  /** This node's poll timers (for tests and diagnostics). */
  public PollDeadlines deadlines() {
    return deadlines;
  }
}
