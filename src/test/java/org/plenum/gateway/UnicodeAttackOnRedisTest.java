package org.plenum.gateway;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.plenum.testing.RedisServerProcess;

/**
 * The Unicode attack test on the redis engine: the defences sit in front of the engine, and must hold whichever
 * engine stores the actions (on Redis, some limits also take from the deployment's allowance).
 */
class UnicodeAttackOnRedisTest extends UnicodeAttackTest {
  private static RedisServerProcess redis;

  @BeforeAll
  static void startRedis() {
    redis = RedisServerProcess.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @Override
  Map<String, String> engine() {
    return Map.of("PLENUM_ENGINE", "redis", "PLENUM_REDIS_URL", redis.url());
  }
}
