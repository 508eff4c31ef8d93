package org.plenum.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.plenum.stage.Event;
import org.plenum.stage.Poll;
import org.plenum.stage.PollKind;
import org.plenum.stage.PollOption;
import org.plenum.stage.PollResults;
import org.plenum.stage.PollState;
import org.plenum.stage.Presence;
import org.plenum.stage.Stage;

/**
 * The JSON shape of every domain object, in one place: used by the WebSocket pushes, the REST API
 * and the engines' stored documents, so the three never drift apart.
 */
public final class Wire {
  private Wire() {}

  public static JsonObject event(Event e) {
    return new JsonObject().put("id", e.id()).put("name", e.name()).put("createdAt", time(e.createdAt()));
  }

  public static Event event(JsonObject j) {
    return new Event(j.getString("id"), j.getString("name"), instant(j.getString("createdAt")));
  }

  public static JsonObject stage(Stage s) {
    return new JsonObject().put("id", s.id()).put("eventId", s.eventId()).put("name", s.name())
        .put("code", s.code()).put("createdAt", time(s.createdAt()));
  }

  public static Stage stage(JsonObject j) {
    return new Stage(j.getString("id"), j.getString("eventId"), j.getString("name"), j.getString("code"),
        instant(j.getString("createdAt")));
  }

  public static JsonObject poll(Poll p) {
    JsonArray options = new JsonArray();
    for (PollOption o : p.options()) {
      options.add(new JsonObject().put("id", o.id()).put("label", o.label()));
    }
    return new JsonObject().put("id", p.id()).put("stageId", p.stageId()).put("kind", p.kind().wire())
        .put("question", p.question()).put("options", options).put("maxSelections", p.maxSelections())
        .put("scale", p.scale()).put("state", p.state().wire()).put("resultsVisible", p.resultsVisible())
        .put("createdAt", time(p.createdAt())).put("openedAt", time(p.openedAt()))
        .put("closedAt", time(p.closedAt()));
  }

  public static Poll poll(JsonObject j) {
    List<PollOption> options = new ArrayList<>();
    for (Object o : j.getJsonArray("options", new JsonArray())) {
      JsonObject option = (JsonObject) o;
      options.add(new PollOption(option.getString("id"), option.getString("label")));
    }
    return new Poll(j.getString("id"), j.getString("stageId"), PollKind.parse(j.getString("kind")),
        j.getString("question"), List.copyOf(options), j.getInteger("maxSelections", 1), j.getInteger("scale"),
        PollState.parse(j.getString("state")), j.getBoolean("resultsVisible", false),
        instant(j.getString("createdAt")), instant(j.getString("openedAt")), instant(j.getString("closedAt")));
  }

  public static JsonObject results(PollResults r) {
    JsonObject counts = new JsonObject();
    r.counts().forEach(counts::put);
    return new JsonObject().put("pollId", r.pollId()).put("version", r.version()).put("voters", r.voters())
        .put("counts", counts).put("mean", r.mean());
  }

  public static PollResults results(JsonObject j) {
    Map<String, Long> counts = new HashMap<>();
    j.getJsonObject("counts").forEach(e -> counts.put(e.getKey(), ((Number) e.getValue()).longValue()));
    return new PollResults(j.getString("pollId"), j.getLong("version"), j.getLong("voters"), counts, j.getDouble("mean"));
  }

  /** A poll with its results, or null results when the audience may not see them. */
  public static JsonObject pollWithResults(Poll p, PollResults r) {
    return new JsonObject().put("poll", poll(p)).put("results", r == null ? null : results(r));
  }

  public static JsonObject presence(String stageId, Presence p) {
    return new JsonObject().put("stageId", stageId).put("viewers", p.viewers()).put("moderators", p.moderators())
        .put("presenters", p.presenters());
  }

  public static String time(Instant t) {
    return t == null ? null : t.toString();
  }

  public static Instant instant(String s) {
    return s == null ? null : Instant.parse(s);
  }
}
