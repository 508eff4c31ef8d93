package org.plenum.hub;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.plenum.engine.Engine;
import org.plenum.metrics.PlenumMetrics;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;
import org.plenum.protocol.Role;
import org.plenum.protocol.ServerMessages;
import org.plenum.protocol.Wire;
import org.plenum.stage.Post;
import org.plenum.stage.PostState;
import org.plenum.stage.PostView;

/**
 * Questions, comments and feedback, pushed one changed post at a time (a stage can have hundreds;
 * a snapshot of all of them per tick would be wasteful). Moderators see every post with its
 * original text; the audience sees published posts; a pending or rejected post goes only to its
 * author's own sessions, and a post that leaves the public list is retracted from everyone else
 * without its text.
 */
final class PostFeed extends FeedBase {
  static final String PREFIX = "post";
  private final int pageLimit;

  PostFeed(Engine engine, Fanout fanout, PlenumMetrics metrics, int pageLimit) {
    super(PREFIX, engine, fanout, metrics);
    this.pageLimit = pageLimit;
  }

  @Override
  public Future<Void> load(StageReadModel room) {
    read("posts");
    return engine.posts(room.stage.id()).map(posts -> {
      posts.forEach(v -> room.posts.putIfAbsent(v.post().id(), v));
      return null;
    });
  }

  @Override
  public Future<Void> push(StageReadModel room, Audience audience, String postId, long dirtySince) {
    String key = key(postId);
    read(PREFIX);
    return engine.post(room.stage.id(), postId).map(found -> {
      if (found.isEmpty()) {
        return null;
      }
      PostView view = found.get();
      PostView cached = room.posts.get(postId);
      if (cached == null || view.version() > cached.version()) {
        room.posts.put(postId, view);
        room.toLoops(loop -> loop.putPost(view));
      }
      long shown = room.pushedVersion(audience, key);
      if (view.version() <= shown) {
        return null;
      }
      String stageId = room.stage.id();
      long version = view.version();
      if (audience == Audience.MODERATORS) {
        SharedFrame frame = encode(ServerMessages.post(stageId, view, false, true));
        room.pushed(audience, key, version, frame);
        fanout.write(room, audience, frame, key, version, null, null);
      } else {
        Post post = view.post();
        String author = post.authorId();
        fanout.write(room, audience, encode(ServerMessages.post(stageId, view, true, false)), key, version, author, null);
        boolean everyoneMaySee = post.isPublic() || post.state() == PostState.DELETED;
        if (everyoneMaySee) {
          SharedFrame frame = encode(ServerMessages.post(stageId, view, false, false));
          room.pushed(audience, key, version, frame);
          fanout.write(room, audience, frame, key, version, null, author);
        } else if (shown >= 0) {
          // it was public and no longer is: others drop it; its text is not sent again
          SharedFrame frame = encode(ServerMessages.post(stageId, retracted(view), false, false));
          room.pushed(audience, key, version, frame);
          fanout.write(room, audience, frame, key, version, null, author);
        } else {
          room.pushedVersion.get(audience).remove(key);
        }
      }
      metrics.changeToPush(audience.metricTag(), System.nanoTime() - dirtySince);
      return null;
    });
  }

  private static PostView retracted(PostView v) {
    Post p = v.post();
    return new PostView(new Post(p.id(), p.stageId(), p.kind(), p.authorId(), null, "", null, p.state(), false, false,
        null, p.createdAt(), p.revision(), p.pollId()), 0, v.version());
  }

  /**
   * The newest {@code joinPostsLimit} posts the session may see, oldest first, and a cursor for
   * the older ones: a join never buys more than a bounded answer, however many posts the stage
   * has. {@code upvoted} names only upvotes among the posts sent.
   */
  @Override
  public Future<Void> snapshot(StageReadModel room, Role role, String participantId, JsonObject joined) {
    return page(room, role, participantId, null, pageLimit, joined);
  }

  /**
   * Fills {@code out} with {@code posts}, {@code postsCursor} (the id to ask older posts before,
   * or null when there are none) and, for viewers, {@code upvoted}: the newest {@code limit}
   * visible posts created before post {@code before} (null: the newest of all).
   */
  Future<Void> page(StageReadModel room, Role role, String participantId, String before, int limit, JsonObject out) {
    if (before != null && !room.posts.containsKey(before)) {
      return Future.failedFuture(new PlenumException(ErrorCode.INVALID_FIELD, "before: not a post of this stage"));
    }
    List<PostView> visible = new ArrayList<>();
    for (PostView v : room.posts.values()) {
      if (v.post().id().equals(before)) {
        break;
      }
      if (visibleTo(v.post(), role, participantId)) {
        visible.add(v);
      }
    }
    int from = Math.max(0, visible.size() - Math.min(limit, pageLimit));
    List<PostView> sent = visible.subList(from, visible.size());
    JsonArray posts = new JsonArray();
    Set<String> ids = new HashSet<>();
    for (PostView v : sent) {
      boolean mine = v.post().authorId().equals(participantId);
      posts.add(role == Role.MODERATOR ? Wire.postView(v, false, true) : Wire.postView(v, mine, false));
      ids.add(v.post().id());
    }
    out.put("posts", posts);
    out.put("postsCursor", from > 0 ? sent.get(0).post().id() : null);
    if (role != Role.VIEWER) {
      return Future.succeededFuture();
    }
    return engine.upvotedBy(room.stage.id(), participantId).map(upvoted -> {
      JsonArray mine = new JsonArray();
      upvoted.stream().filter(ids::contains).forEach(mine::add);
      out.put("upvoted", mine);
      return null;
    });
  }

  private static boolean visibleTo(Post p, Role role, String participantId) {
    if (p.state() == PostState.DELETED) {
      return false;
    }
    return role == Role.MODERATOR || p.isPublic() || p.authorId().equals(participantId);
  }
}
