package org.plenum.gateway;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.plenum.testing.RedisServerProcess;

/** {@link TalkSurveyTest} on the Redis engine, on a real redis-server (surveys in the stage's hash-tagged keys). */
class TalkSurveyOnRedisTest extends TalkSurveyTest {
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
