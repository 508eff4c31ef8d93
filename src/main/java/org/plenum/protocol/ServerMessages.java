package org.plenum.protocol;

import io.vertx.core.json.JsonObject;
import org.plenum.stage.CloudResults;
import org.plenum.stage.Poll;
import org.plenum.stage.PostView;
import org.plenum.stage.ReactionTotals;
import org.plenum.stage.Stage;
import org.plenum.stage.WordCloud;
import org.plenum.stage.PollResults;
import org.plenum.stage.Presence;

/** Builders for every message the server sends. Field names here are the protocol. */
public final class ServerMessages {
  private ServerMessages() {}

  public static JsonObject ack(String id, boolean duplicate) {
    return new JsonObject().put("type", "ack").put("id", id).put("duplicate", duplicate);
  }

  public static JsonObject error(String id, PlenumException e) {
    JsonObject json = new JsonObject().put("type", "error").put("id", id).put("code", e.code().wire())
        .put("message", RefusalTexts.message(e));
    if (e.retryAfterMs() != null) {
      json.put("retryAfterMs", e.retryAfterMs());
    }
    return json;
  }

  /** The ack of a new post also names the post, so its author recognises it in later pushes. */
  public static JsonObject postAck(String id, boolean duplicate, String postId) {
    return ack(id, duplicate).put("postId", postId);
  }

  public static JsonObject pong(String id) {
    JsonObject pong = new JsonObject().put("type", "pong");
    return id == null ? pong : pong.put("id", id);
  }

  public static JsonObject results(String stageId, PollResults r) {
    return new JsonObject().put("type", "results").put("stageId", stageId).put("results", Wire.results(r));
  }

  public static JsonObject poll(String stageId, Poll p, PollResults visibleResults) {
    return poll(stageId, p, visibleResults, false);
  }

  /** A poll push; {@code withKey} for moderators: a quiz question's correct options before the reveal. */
  public static JsonObject poll(String stageId, Poll p, PollResults visibleResults, boolean withKey) {
    return new JsonObject().put("type", "poll").put("stageId", stageId).put("poll", Wire.poll(p, withKey))
        .put("results", visibleResults == null ? null : Wire.results(visibleResults));
  }

  public static JsonObject cloud(String stageId, WordCloud c, CloudResults visibleResults) {
    return new JsonObject().put("type", "cloud").put("stageId", stageId).put("cloud", Wire.cloud(c))
        .put("results", visibleResults == null ? null : Wire.cloudResults(visibleResults));
  }

  public static JsonObject words(String stageId, CloudResults r) {
    return new JsonObject().put("type", "words").put("stageId", stageId).put("results", Wire.cloudResults(r));
  }

  public static JsonObject post(String stageId, PostView v, boolean mine, boolean moderator) {
    return new JsonObject().put("type", "post").put("stageId", stageId).put("post", Wire.postView(v, mine, moderator));
  }

  public static JsonObject reactions(String stageId, ReactionTotals totals, java.util.Map<String, Long> recent, long windowMs) {
    return Wire.reactions(stageId, totals, recent, windowMs).put("type", "reactions");
  }

  public static JsonObject stage(Stage s) {
    return new JsonObject().put("type", "stage").put("stage", Wire.stage(s));
  }

  public static JsonObject presence(String stageId, Presence p) {
    return Wire.presence(stageId, p).put("type", "presence");
  }

  /** What the stage's screens show now, after a moderator chose it. */
  public static JsonObject presentation(String stageId, org.plenum.stage.Presentation p) {
    return new JsonObject().put("type", "presentation").put("stageId", stageId).put("presentation", Wire.presentation(p));
  }

  /** A stage's whole programme, after any talk of it changed. */
  public static JsonObject talks(String stageId, java.util.List<org.plenum.stage.Talk> talks) {
    return new JsonObject().put("type", "talks").put("stageId", stageId).put("talks", Wire.talks(talks));
  }

  /** A poll or word cloud was deleted ({@code kind} "poll" or "cloud"): clients drop it. */
  public static JsonObject removed(String stageId, String kind, String id) {
    return new JsonObject().put("type", "removed").put("stageId", stageId).put("kind", kind).put("id", id);
  }

  /** The stage's polls and clouds in their new order (ids; a viewer's list holds only those it may see). */
  public static JsonObject order(String stageId, java.util.List<String> polls, java.util.List<String> clouds) {
    return new JsonObject().put("type", "order").put("stageId", stageId)
        .put("polls", new io.vertx.core.json.JsonArray(new java.util.ArrayList<>(polls)))
        .put("clouds", new io.vertx.core.json.JsonArray(new java.util.ArrayList<>(clouds)));
  }
}
