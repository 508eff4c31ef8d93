package org.plenum.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.plenum.testing.Await.await;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.plenum.PlenumServer;
import org.plenum.testing.Http;
import org.plenum.testing.TestServer;
import org.plenum.testing.TestVertx;
import org.plenum.testing.WsClient;

/** A join buys a bounded snapshot: the newest posts and a cursor; older posts come in bounded pages. */
class JoinSnapshotTest {
  private static final int POSTS = 25;
  private Vertx serverVertx;
  private Vertx clientVertx;
  private PlenumServer server;
  private String stageId;
  private final List<String> postIds = new ArrayList<>();

  @BeforeEach
  void start() {
    serverVertx = TestVertx.create();
    clientVertx = TestVertx.create();
    server = await(TestServer.start(serverVertx, Map.of("PLENUM_JOIN_POSTS_LIMIT", "10")));
    Http http = new Http(clientVertx, server.port(), TestServer.ORGANISER_TOKEN);
    stageId = await(http.stage()).getString("id");
    WsClient asker = await(WsClient.connect(clientVertx, server.port()));
    await(asker.join(stageId));
    for (int i = 0; i < POSTS; i++) {
      postIds.add(await(asker.request(new JsonObject().put("type", "post").put("id", "q-" + i).put("kind", "question")
          .put("text", "Frage " + i))).getString("postId"));
    }
    // a loop's cache takes new posts in on its next tick (joins in between see them as pushes):
    // wait until the last one has been pushed, so every post is in the snapshot's source
    String last = postIds.get(POSTS - 1);
    await(asker.next(m -> "post".equals(m.getString("type")) && last.equals(m.getJsonObject("post").getString("id"))));
  }

  @AfterEach
  void stop() {
    await(server.stop());
    await(clientVertx.close());
    await(serverVertx.close());
    TestVertx.assertNoBlockedLoops();
  }

  private static List<String> ids(JsonArray posts) {
    List<String> out = new ArrayList<>();
    posts.forEach(p -> out.add(((JsonObject) p).getString("id")));
    return out;
  }

  private JsonObject page(WsClient client, String before, Integer limit) {
    JsonObject request = new JsonObject().put("type", "posts").put("id", "pg-" + before + "-" + limit)
        .put("stageId", stageId).put("before", before);
    if (limit != null) {
      request.put("limit", limit);
    }
    return await(client.request(request));
  }

  /** The posts just before {@code cursor}, at most {@code n}. */
  private List<String> before(String cursor, int n) {
    int end = postIds.indexOf(cursor);
    return postIds.subList(Math.max(0, end - n), end);
  }

  @Test
  void joinedCarriesTheNewestPostsAndACursorAndPagesWalkBackToTheFirst() {
    WsClient viewer = await(WsClient.connect(clientVertx, server.port()));
    JsonObject joined = await(viewer.join(stageId));
    List<String> newest = ids(joined.getJsonArray("posts"));
    assertThat(newest).isEqualTo(postIds.subList(15, 25));
    assertThat(joined.getString("postsCursor")).isEqualTo(postIds.get(15));
    assertThat(await(viewer.request(new JsonObject().put("type", "upvote").put("id", "up-3").put("postId", postIds.get(3)))).getString("type")).isEqualTo("ack");

    String cursor = joined.getString("postsCursor");
    JsonObject second = page(viewer, cursor, 500);
    assertThat(second.getString("type")).isEqualTo("page");
    assertThat(ids(second.getJsonArray("posts"))).as("a page is never larger than the join limit")
        .isEqualTo(before(cursor, 10));
    List<String> seen = new ArrayList<>(ids(second.getJsonArray("posts")));
    JsonObject next = second;
    while (next.getValue("postsCursor") != null) {
      next = page(viewer, next.getString("postsCursor"), null);
      seen.addAll(0, ids(next.getJsonArray("posts")));
    }
    assertThat(seen).isEqualTo(postIds.subList(0, postIds.indexOf(cursor)));
    assertThat(next.getJsonArray("upvoted").getList()).containsExactly(postIds.get(3));

    JsonObject small = page(viewer, postIds.get(10), 3);
    assertThat(ids(small.getJsonArray("posts"))).isEqualTo(postIds.subList(7, 10));
    assertThat(small.getString("postsCursor")).isEqualTo(postIds.get(7));
  }

  @Test
  void moderatorsPageTooAndBadRequestsAreRefusedWithoutChangingAnything() {
    WsClient moderator = await(WsClient.connect(clientVertx, server.port()));
    JsonObject joined = await(moderator.joinAsModerator(stageId, TestServer.ORGANISER_TOKEN));
    assertThat(joined.getJsonArray("posts").size()).isEqualTo(10);
    String cursor = joined.getString("postsCursor");
    assertThat(ids(page(moderator, cursor, null).getJsonArray("posts"))).isEqualTo(before(cursor, 10));
    JsonObject unknown = page(moderator, "qaNoSuchPost1", null);
    assertThat(unknown.getString("code")).isEqualTo("invalid_field");
    JsonObject badLimit = await(moderator.request(new JsonObject().put("type", "posts").put("id", "pg-bad")
        .put("stageId", stageId).put("before", postIds.get(9)).put("limit", 0)));
    assertThat(badLimit.getString("code")).isEqualTo("invalid_field");

    WsClient stranger = await(WsClient.connect(clientVertx, server.port()));
    JsonObject notJoined = page(stranger, postIds.get(9), null);
    assertThat(notJoined.getString("code")).isEqualTo("not_joined");
  }
}
