package org.plenum.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.plenum.testing.Await.await;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.plenum.testing.WsClient;
import org.plenum.testing.RedisServerProcess;

/**
 * {@link DeletionTest} on the Redis engine, on a real redis-server: after an event is deleted, a
 * full {@code SCAN 0 MATCH *} finds no key of it (nor any value naming its texts).
 */
class DeletionOnRedisTest extends DeletionTest {
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

  /** A second node on the same Redis hears the deletion: its sessions get the push and the close code too. */
  @Test
  void sessionsOnAnotherNodeHearOfDeletions() throws Exception {
    io.vertx.core.Vertx otherVertx = org.plenum.testing.TestVertx.create();
    org.plenum.PlenumServer other = await(org.plenum.testing.TestServer.start(otherVertx, engine()));
    try {
      String pollId = await(http.openPoll(stageId)).getJsonObject("poll").getString("id");
      WsClient there = await(WsClient.connect(clientVertx, other.port()));
      assertThat(await(there.join(stageId)).getString("type")).isEqualTo("joined");
      assertThat(await(http.send(io.vertx.core.http.HttpMethod.DELETE, "/api/v1/stages/" + stageId + "/polls/" + pollId,
          null, org.plenum.testing.TestServer.ORGANISER_TOKEN)).status()).isEqualTo(204);
      await(there.next(m -> "removed".equals(m.getString("type")) && pollId.equals(m.getString("id"))));
      assertThat(await(http.send(io.vertx.core.http.HttpMethod.DELETE, "/api/v1/stages/" + stageId, null,
          org.plenum.testing.TestServer.ORGANISER_TOKEN)).status()).isEqualTo(204);
      assertThat(await(there.closed())).isEqualTo((short) 4404);
      // the other node's read model closes with its last session
      long deadline = System.currentTimeMillis() + 5_000;
      while (other.readModels().model(stageId).isPresent() && System.currentTimeMillis() < deadline) {
        await(clientVertx.timer(20));
      }
      assertThat(other.readModels().model(stageId)).as("the other node forgets the stage").isEmpty();
    } finally {
      await(other.stop());
      await(otherVertx.close());
    }
  }

  @Override
  void assertNothingStoredOf(List<String> texts, List<String> ids) throws Exception {
    Redis raw = Redis.createClient(clientVertx, redis.url());
    try {
      List<String> keys = new ArrayList<>();
      String cursor = "0";
      do {
        Response reply = await(raw.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg("*").arg("COUNT").arg(1000)));
        cursor = reply.get(0).toString();
        reply.get(1).forEach(k -> keys.add(k.toString()));
      } while (!cursor.equals("0"));
      for (String id : ids) {
        assertThat(keys).as("keys naming " + id).noneMatch(k -> k.contains(id));
      }
      // and no string value holds the texts (documents are strings; aggregates are hashes and sets of ids)
      for (String key : keys) {
        Response type = await(raw.send(Request.cmd(Command.TYPE).arg(key)));
        if ("string".equals(type.toString())) {
          Response value = await(raw.send(Request.cmd(Command.GET).arg(key)));
          for (String text : texts) {
            assertThat(value == null ? "" : value.toString()).as(key).doesNotContain(text);
          }
        }
      }
    } finally {
      await(raw.close());
    }
  }
}
