package org.plenum.gateway;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.plenum.testing.RedisServerProcess;

/** The poll-timer tests on the redis engine, with two nodes on one Redis (both arm the timer). */
class PollTimerOnRedisTest extends PollTimerTest {
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

  @Override
  boolean shared() {
    return true;
  }
}
