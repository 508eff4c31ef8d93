package org.plenum.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import org.plenum.PlenumServer;
import org.plenum.config.ConfigLoader;
import org.plenum.config.PlenumConfig;
import org.plenum.metrics.PlenumMetrics;

/** Starts a real Plenum node for a test: memory engine, any free port, one event loop unless asked for more. */
public final class TestServer {
  public static final String ORGANISER_TOKEN = "test-organiser-token";

  private TestServer() {}

  public static PlenumConfig config(Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>();
    env.put("PLENUM_HTTP_PORT", "0");
    env.put("PLENUM_HTTP_HOST", "127.0.0.1");
    env.put("PLENUM_DATA_DIR", "");
    env.put("PLENUM_INSTANCES", "1");
    env.put("PLENUM_ORGANISER_TOKEN", ORGANISER_TOKEN);
    env.put("PLENUM_MODERATOR_TICK_MS", "20");
    env.put("PLENUM_VIEWER_TICK_MS", "100");
    env.put("PLENUM_SHUTDOWN_GRACE_MS", "500");
    // tests act fast and often as one participant; the limits themselves are tested explicitly
    env.put("PLENUM_LIMIT_POST", "1000/1s");
    env.put("PLENUM_LIMIT_WORD", "1000/1s");
    env.put("PLENUM_LIMIT_VOTE", "1000/1s");
    env.put("PLENUM_LIMIT_UPVOTE", "1000/1s");
    env.put("PLENUM_LIMIT_REACTION", "1000/1s");
    env.putAll(overrides);
    return ConfigLoader.load(env, new String[0]);
  }

  public static Future<PlenumServer> start(Vertx vertx) {
    return start(vertx, Map.of());
  }

  public static Future<PlenumServer> start(Vertx vertx, Map<String, String> overrides) {
    return start(vertx, overrides, new PlenumMetrics());
  }

  /** With the test's own metrics, to assert on what the node counted. */
  public static Future<PlenumServer> start(Vertx vertx, Map<String, String> overrides, PlenumMetrics metrics) {
    return PlenumServer.start(vertx, config(overrides), metrics);
  }

  /**
   * A node with {@code instances} gateways, each on its own event loop of {@code vertx} (made with
   * {@link TestVertx#create(int)} and at least as many loops): connections are spread over them in turn.
   */
  public static Future<PlenumServer> startWithInstances(Vertx vertx, int instances, PlenumMetrics metrics) {
    Map<String, String> overrides = new HashMap<>();
    overrides.put("PLENUM_INSTANCES", String.valueOf(instances));
    return start(vertx, overrides, metrics);
  }
}
