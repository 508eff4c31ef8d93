package org.plenum.gateway;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.plenum.testing.RedisServerProcess;

/** {@link EventPasscodeTest} on the Redis engine, on a real redis-server (the passcode is stored in the event's document). */
class EventPasscodeOnRedisTest extends EventPasscodeTest {
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
