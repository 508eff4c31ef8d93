package org.plenum.protocol;

import io.vertx.core.json.JsonObject;
import org.plenum.stage.Poll;
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
        .put("message", e.getMessage());
    if (e.retryAfterMs() != null) {
      json.put("retryAfterMs", e.retryAfterMs());
    }
    return json;
  }

  public static JsonObject pong(String id) {
    return new JsonObject().put("type", "pong").put("id", id);
  }

  public static JsonObject results(String stageId, PollResults r) {
    return new JsonObject().put("type", "results").put("stageId", stageId).put("results", Wire.results(r));
  }

  public static JsonObject poll(String stageId, Poll p, PollResults visibleResults) {
    return new JsonObject().put("type", "poll").put("stageId", stageId).put("poll", Wire.poll(p))
        .put("results", visibleResults == null ? null : Wire.results(visibleResults));
  }

  public static JsonObject presence(String stageId, Presence p) {
    return Wire.presence(stageId, p).put("type", "presence");
  }
}
