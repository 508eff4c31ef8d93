package org.plenum.engine;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import org.plenum.config.PlenumConfig;
import org.plenum.metrics.PlenumMetrics;

/**
 * Builds the engine the configuration asks for, behind its {@link ConfinedEngine} (the one place
 * the contract's threading guarantee is given); the implementations stay package-private.
 */
public final class Engines {
  private Engines() {}

  public static Engine create(Vertx vertx, PlenumConfig config, PlenumMetrics metrics) {
    Change.registerCodec(vertx);
    long ttlMillis = config.actionIdTtlSeconds() * 1000L;
    return switch (config.engine()) {
      case MEMORY -> confined(new MemoryEngine(vertx, vertx.getOrCreateContext(),
          config.dataDir().isEmpty() ? null : Path.of(config.dataDir()).toAbsolutePath(), config.fsync(),
          new MemoryEngine.Options(config.journal().actionIdWindow(), ttlMillis, config.journal().snapshotEveryRecords(),
              config.journal().snapshotEveryMegabytes() * (1L << 20), config.journal().snapshotAfterDeleteSeconds() * 1000L),
          metrics));
      case REDIS -> new ConfinedEngine(new RedisEngine(vertx,
          new RedisTarget(config.redisMode(), config.redisEndpoints(), config.redisMasterName()), config.redisPoolSize(),
          config.nodeId(), ttlMillis, metrics, config.redisCommandTimeoutMs()), null);
    };
  }

  /** The memory engine runs on its own context; every call is brought there. */
  static Engine confined(MemoryEngine engine) {
    return new ConfinedEngine(engine, engine.owner());
  }
}
