package org.plenum.hub;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import org.plenum.engine.Engine;
import org.plenum.metrics.PlenumMetrics;
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
  PostFeed(Engine engine, Fanout fanout, PlenumMetrics metrics) {
    super(PREFIX, engine, fanout, metrics);
  }

  @Override
  public Future<Void> load(StageRoom room) {
    return engine.posts(room.stage.id()).map(posts -> {
      posts.forEach(v -> room.posts.putIfAbsent(v.post().id(), v));
      return null;
    });
  }

  @Override
  public Future<Void> push(StageRoom room, Audience audience, String postId, long dirtySince) {
    String key = key(postId);
    return engine.post(room.stage.id(), postId).map(found -> {
      if (found.isEmpty()) {
        return null;
      }
      PostView view = found.get();
      PostView cached = room.posts.get(postId);
      if (cached == null || view.version() > cached.version()) {
        room.posts.put(postId, view);
      }
      long shown = room.pushedVersion(audience, key);
      if (view.version() <= shown) {
        return null;
      }
      String stageId = room.stage.id();
      if (audience == Audience.MODERATORS) {
        SharedFrame frame = SharedFrame.of(ServerMessages.post(stageId, view, false, true));
        room.pushed(audience, key, view.version(), frame);
        fanout.write(room, audience, frame, key);
      } else {
        Post post = view.post();
        Set<Subscriber> author = room.byParticipant.get(post.authorId());
        fanout.write(author, SharedFrame.of(ServerMessages.post(stageId, view, true, false)), key, null);
        boolean everyoneMaySee = post.isPublic() || post.state() == PostState.DELETED;
        if (everyoneMaySee) {
          SharedFrame frame = SharedFrame.of(ServerMessages.post(stageId, view, false, false));
          room.pushed(audience, key, view.version(), frame);
          fanout.write(room.subscribers.get(audience), frame, key, author);
        } else if (shown >= 0) {
          // it was public and no longer is: others drop it; its text is not sent again
          SharedFrame frame = SharedFrame.of(ServerMessages.post(stageId, retracted(view), false, false));
          room.pushed(audience, key, view.version(), frame);
          fanout.write(room.subscribers.get(audience), frame, key, author);
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
        null, p.createdAt(), p.revision()), 0, v.version());
  }

  @Override
  public Future<Void> snapshot(StageRoom room, Role role, String participantId, JsonObject joined) {
    JsonArray out = new JsonArray();
    for (PostView v : room.posts.values()) {
      Post p = v.post();
      boolean mine = p.authorId().equals(participantId);
      if (p.state() == PostState.DELETED) {
        continue;
      }
      if (role == Role.MODERATOR) {
        out.add(Wire.postView(v, false, true));
      } else if (p.isPublic() || mine) {
        out.add(Wire.postView(v, mine, false));
      }
    }
    joined.put("posts", out);
    if (role != Role.VIEWER) {
      return Future.succeededFuture();
    }
    return engine.upvotedBy(room.stage.id(), participantId).map(ids -> {
      joined.put("upvoted", new JsonArray(new java.util.ArrayList<>(ids)));
      return null;
    });
  }
}
