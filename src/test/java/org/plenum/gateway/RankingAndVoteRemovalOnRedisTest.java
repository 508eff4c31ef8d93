package org.plenum.gateway;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.plenum.testing.RedisServerProcess;

/** Ranking polls and removing a participant's votes over WebSockets, on the redis engine (vote.lua, unvote.lua). */
class RankingAndVoteRemovalOnRedisTest extends RankingAndVoteRemovalTest {
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
    return Map.of("PLENUM_ENGINE", "redis", "PLENUM_REDIS_URL", redis.url(), "PLENUM_NODE_ID", "rank-" + System.nanoTime());
  }
}
