package org.plenum.testing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class's deployment: a Redis and {@link Nodes} on it, started before the class's tests and
 * stopped after them (then no event loop may have been blocked). Register it as a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final NodesExtension deployment = NodesExtension.onRedis(3).with("PLENUM_LIMIT_POST", "2/60s");
 * }</pre>
 *
 * A Redis Cluster (or Sentinel) variant passes its own {@link Redis} to {@link #on}.
 */
public final class NodesExtension implements BeforeAllCallback, AfterAllCallback {
  /** A running Redis deployment: the settings that point a node at it, and how to stop it. */
  public interface Redis extends AutoCloseable {
    /** {@code PLENUM_ENGINE}, {@code PLENUM_REDIS_URL} and, beyond standalone, {@code PLENUM_REDIS_MODE}. */
    Map<String, String> env();

    @Override
    void close();
  }

  private final Supplier<Redis> startRedis;
  private final Nodes.Kind[] kinds;
  private final Map<String, String> env = new HashMap<>();
  private Redis redis;
  private Nodes nodes;

  private NodesExtension(Supplier<Redis> startRedis, Nodes.Kind[] kinds) {
    this.startRedis = startRedis;
    this.kinds = kinds.clone();
  }

  /** {@code count} in-process nodes on one fresh redis-server ({@link RedisServerProcess}). */
  public static NodesExtension onRedis(int count) {
    return on(NodesExtension::standalone, java.util.Collections.nCopies(count, Nodes.Kind.IN_PROCESS).toArray(Nodes.Kind[]::new));
  }

  /** One node per kind, on the Redis deployment {@code startRedis} starts. */
  public static NodesExtension on(Supplier<Redis> startRedis, Nodes.Kind... kinds) {
    return new NodesExtension(startRedis, kinds);
  }

  /** One fresh standalone redis-server. */
  public static Redis standalone() {
    RedisServerProcess server = RedisServerProcess.start();
    return new Redis() {
      @Override
      public Map<String, String> env() {
        return Nodes.redis(server);
      }

      @Override
      public void close() {
        server.close();
      }
    };
  }

  /** A fresh six-node Redis Cluster (three primaries, one replica each; {@link RedisClusterProcess}), redisMode=cluster. */
  public static Redis cluster() {
    RedisClusterProcess cluster = RedisClusterProcess.start();
    return new Redis() {
      @Override
      public Map<String, String> env() {
        return Nodes.redis("cluster", List.of(cluster.urls().split(",")));
      }

      @Override
      public void close() {
        cluster.close();
      }
    };
  }

  /** A fresh primary, replica and Sentinel ({@link RedisSentinelProcess}), redisMode=sentinel. */
  public static Redis sentinel() {
    RedisSentinelProcess sentinel = RedisSentinelProcess.start();
    return new Redis() {
      @Override
      public Map<String, String> env() {
        Map<String, String> env = new HashMap<>(Nodes.redis("sentinel", List.of(sentinel.url())));
        env.put("PLENUM_REDIS_MASTER_NAME", RedisSentinelProcess.MASTER_NAME);
        return env;
      }

      @Override
      public void close() {
        sentinel.close();
      }
    };
  }

  /** A setting for every node ({@code PLENUM_…} environment name). */
  public NodesExtension with(String envName, String value) {
    env.put(envName, value);
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    redis = startRedis.get();
    Map<String, String> all = new HashMap<>(redis.env());
    all.putAll(env);
    try {
      nodes = Nodes.start(all, kinds);
    } catch (RuntimeException e) {
      redis.close();
      throw e;
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    try {
      if (nodes != null) {
        nodes.close();
      }
    } finally {
      redis.close();
    }
    TestVertx.assertNoBlockedLoops();
  }

  public Nodes nodes() {
    return nodes;
  }

  public Nodes.Node node(int index) {
    return nodes.node(index);
  }

  public io.vertx.core.Vertx clients() {
    return nodes.clients();
  }

  public Redis redis() {
    return redis;
  }
}
