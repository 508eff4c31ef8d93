package org.plenum.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.plenum.stage.CloudResults;
import org.plenum.stage.CloudWord;
import org.plenum.stage.Event;
import org.plenum.stage.Post;
import org.plenum.stage.PostView;
import org.plenum.stage.ReactionTotals;
import org.plenum.stage.StageSettings;
import org.plenum.stage.WordCloud;
import org.plenum.stage.Poll;
import org.plenum.stage.PollKind;
import org.plenum.stage.PollOption;
import org.plenum.stage.PollResults;
import org.plenum.stage.Presence;
import org.plenum.stage.Stage;

/**
 * The JSON shape of every domain object as clients see it, in one place: used by the WebSocket
 * pushes and the REST API, so the two never drift apart. What the engines store is
 * {@code engine.StoredForm}, a schema of its own: changing this class is no storage migration.
 */
public final class Wire {
  private Wire() {}

  public static JsonObject event(Event e) {
    return new JsonObject().put("id", e.id()).put("name", e.name()).put("createdAt", time(e.createdAt()))
        .put("blockedWords", new JsonArray(new ArrayList<>(e.blockedWords())))
        .put("moderatorsMayExport", e.moderatorsMayExport())
        .put("passcodeRequired", e.closed()); // never the passcode itself: the organiser's REST view adds it
  }

  public static JsonObject stage(Stage s) {
    return new JsonObject().put("id", s.id()).put("eventId", s.eventId()).put("name", s.name())
        .put("code", s.code()).put("createdAt", time(s.createdAt())).put("settings", settings(s.settings()));
  }

  public static JsonObject settings(StageSettings s) {
    return new JsonObject().put("anonymousQuestions", s.anonymousQuestions())
        .put("questionModeration", s.questionModeration()).put("commentModeration", s.commentModeration());
  }

  public static JsonObject cloud(WordCloud c) {
    return new JsonObject().put("id", c.id()).put("stageId", c.stageId()).put("prompt", c.prompt())
        .put("maxEntries", c.maxEntries()).put("state", c.phase().wire()).put("resultsVisible", c.resultsVisible())
        .put("createdAt", time(c.createdAt())).put("openedAt", time(c.openedAt())).put("closedAt", time(c.closedAt()));
  }

  public static JsonObject cloudResults(CloudResults r) {
    return new JsonObject().put("cloudId", r.cloudId()).put("version", r.version()).put("contributors", r.contributors())
        .put("entries", r.entries()).put("words", words(r.words())).put("hidden", words(r.hidden()));
  }

  private static JsonArray words(List<CloudWord> words) {
    JsonArray out = new JsonArray();
    for (CloudWord w : words) {
      out.add(new JsonObject().put("key", w.key()).put("text", w.text()).put("count", w.count()));
    }
    return out;
  }

  /** A cloud with its results, or null results when the audience may not see them. */
  public static JsonObject cloudWithResults(WordCloud c, CloudResults r) {
    return new JsonObject().put("cloud", cloud(c)).put("results", r == null ? null : cloudResults(r));
  }

  /**
   * A post as clients see it: never the author's participant id; {@code mine} tells the author's
   * own sessions that it is theirs; the original text of an edit only for moderators.
   */
  public static JsonObject postView(PostView v, boolean mine, boolean moderator) {
    Post p = v.post();
    JsonObject json = new JsonObject().put("id", p.id()).put("stageId", p.stageId()).put("kind", p.kind().wire())
        .put("displayName", p.displayName()).put("text", p.text()).put("state", p.state().wire())
        .put("answered", p.answered()).put("pinned", p.pinned()).put("reply", p.reply())
        .put("edited", p.originalText() != null).put("createdAt", time(p.createdAt()))
        .put("upvotes", v.upvotes()).put("version", v.version()).put("mine", mine);
    if (moderator) {
      json.put("originalText", p.originalText());
    }
    if (p.pollId() != null) {
      json.put("pollId", p.pollId()); // answers only: the open-text poll answered
    }
    return json;
  }

  public static JsonObject reactions(String stageId, ReactionTotals totals, Map<String, Long> recent, long windowMs) {
    JsonObject t = new JsonObject();
    totals.totals().forEach(t::put);
    JsonObject r = new JsonObject();
    recent.forEach(r::put);
    return new JsonObject().put("stageId", stageId).put("version", totals.version()).put("totals", t)
        .put("recent", r).put("windowMs", windowMs);
  }

  /** A poll as the audience sees it: a quiz question's correct options only once revealed. */
  public static JsonObject poll(Poll p) {
    return poll(p, false);
  }

  /**
   * A poll; {@code withKey}: a quiz question's correct options even before the reveal (for
   * moderators and organisers only: the audience never gets them before {@code resultsVisible}).
   */
  public static JsonObject poll(Poll p, boolean withKey) {
    JsonObject json = pollDefinition(p);
    if (p.quiz() != null) {
      JsonObject quiz = new JsonObject().put("points", p.quiz().points()).put("speedBonus", p.quiz().speedBonus());
      if (withKey || p.resultsVisible()) {
        quiz.put("correct", new JsonArray(new java.util.ArrayList<Object>(p.quiz().correct())));
      }
      json.put("quiz", quiz);
    }
    return json;
  }

  private static JsonObject pollDefinition(Poll p) {
    JsonArray options = new JsonArray();
    for (PollOption o : p.options()) {
      options.add(new JsonObject().put("id", o.id()).put("label", o.label()));
    }
    return new JsonObject().put("id", p.id()).put("stageId", p.stageId()).put("kind", p.kind().wire())
        .put("question", p.question()).put("options", options).put("maxSelections", p.maxSelections())
        .put("scale", p.scale()).put("state", p.state().wire()).put("resultsVisible", p.resultsVisible())
        .put("createdAt", time(p.createdAt())).put("openedAt", time(p.openedAt()))
        .put("closedAt", time(p.closedAt())).put("closesAt", time(p.closesAt()));
  }

  public static JsonObject results(PollResults r) {
    JsonObject counts = new JsonObject();
    r.counts().forEach(counts::put);
    JsonObject json = new JsonObject().put("pollId", r.pollId()).put("version", r.version()).put("voters", r.voters())
        .put("counts", counts).put("mean", r.mean());
    if (r.ranking() != null) {
      json.put("ranking", ranking(r.ranking()));
    }
    return json;
  }

  /** A ranking poll's distribution and mean ranks (its Borda points are the results' counts). */
  private static JsonObject ranking(org.plenum.stage.BordaResults b) {
    JsonObject distribution = new JsonObject();
    b.distribution().forEach((id, perPosition) -> distribution.put(id, new JsonArray(new java.util.ArrayList<>(perPosition))));
    JsonObject meanRank = new JsonObject();
    b.meanRank().forEach(meanRank::put);
    return new JsonObject().put("distribution", distribution).put("meanRank", meanRank).put("maxPoints", b.maxPoints());
  }

  /** A poll with its results, or null results when the audience may not see them. */
  public static JsonObject pollWithResults(Poll p, PollResults r) {
    return pollWithResults(p, r, false);
  }

  /** As above; {@code withKey}: with a quiz question's correct options before the reveal (see {@link #poll(Poll, boolean)}). */
  public static JsonObject pollWithResults(Poll p, PollResults r, boolean withKey) {
    return new JsonObject().put("poll", poll(p, withKey)).put("results", r == null ? null : results(r));
  }

  public static JsonObject presence(String stageId, Presence p) {
    return new JsonObject().put("stageId", stageId).put("viewers", p.viewers()).put("moderators", p.moderators())
        .put("presenters", p.presenters());
  }

  /** What a stage's screens show: {@code kind}, the {@code target} id or null, {@code since} or null. */
  public static JsonObject presentation(org.plenum.stage.Presentation p) {
    return new JsonObject().put("kind", p.kind().wire()).put("target", p.target()).put("since", time(p.since()));
  }

  public static JsonObject talk(org.plenum.stage.Talk t) {
    return new JsonObject().put("id", t.id()).put("stageId", t.stageId()).put("title", t.title())
        .put("speakers", t.speakers()).put("startsAt", time(t.startsAt())).put("endsAt", time(t.endsAt()))
        .put("createdAt", time(t.createdAt()));
  }

  public static JsonArray talks(List<org.plenum.stage.Talk> talks) {
    JsonArray out = new JsonArray();
    talks.forEach(t -> out.add(talk(t)));
    return out;
  }

  /** A moderator access as clients see it: never its token or the token's hash. */
  public static JsonObject moderator(org.plenum.stage.ModeratorAccess m) {
    return new JsonObject().put("id", m.id()).put("eventId", m.eventId()).put("label", m.label())
        .put("createdAt", time(m.createdAt()));
  }

  /** Always UTC with exactly three fraction digits, so times also sort correctly as text. */
  private static final java.time.format.DateTimeFormatter TIME =
      java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);

  public static String time(Instant t) {
    return t == null ? null : TIME.format(t);
  }
}
