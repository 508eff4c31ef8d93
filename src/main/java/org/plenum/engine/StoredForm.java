package org.plenum.engine;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.plenum.stage.Event;
import org.plenum.stage.ModeratorAccess;
import org.plenum.stage.Phase;
import org.plenum.stage.Poll;
import org.plenum.stage.PollKind;
import org.plenum.stage.PollOption;
import org.plenum.stage.Post;
import org.plenum.stage.PostKind;
import org.plenum.stage.PostState;
import org.plenum.stage.Presentation;
import org.plenum.stage.Stage;
import org.plenum.stage.StageSettings;
import org.plenum.stage.Talk;
import org.plenum.stage.WordCloud;

/**
 * How the engines store domain documents: the storage schema, owned here and independent of the
 * protocol ({@link org.plenum.protocol.Wire}), so renaming a field on the wire is no storage
 * migration, and changing this schema is one (a new {@link #SCHEMA} and a reader for the old one).
 *
 * <p>Schema 1 is the form every data directory written so far holds (its field names happened to
 * be the wire's when it was written, and are now frozen here): {@code src/test/resources/datadir-schema1}
 * is such a directory, and a test starts an engine on it. Enum values are stored as their lower-case
 * constant names, times as UTC ISO-8601 with milliseconds. The memory engine writes the schema into
 * its snapshot header and at the start of every journal generation, and refuses to start on a
 * schema newer than it knows.
 *
 * <p>Schema 2 adds the organisers' statistics ({@link MemoryStatistics}): journal records {@code sample}
 * (a presence sample), the field {@code c} of {@code upvote} records (whether the upvote changed
 * anything), and snapshot lines {@code s-stats}. Everything of schema 1 reads unchanged (its statistics
 * are what its journal tail's action records yield: a snapshot of schema 1 holds none); a version that
 * knows only schema 1 refuses a schema-2 directory instead of stumbling over the new records.
 */
final class StoredForm {
  /** The storage schema this code writes; it reads every schema up to it. */
  static final int SCHEMA = 2;

  private StoredForm() {}

  /** Refuses data written by a newer schema (a downgrade), rather than misread it. */
  static void requireKnown(int schema, String where) {
    if (schema > SCHEMA) {
      throw new IllegalStateException(where + " was written with storage schema " + schema + "; this version reads up to "
          + SCHEMA + ": refusing to start rather than misread it");
    }
  }

  static JsonObject event(Event e) {
    JsonObject j = new JsonObject().put("id", e.id()).put("name", e.name()).put("createdAt", time(e.createdAt()))
        .put("blockedWords", new JsonArray(new ArrayList<>(e.blockedWords())))
        .put("moderatorsMayExport", e.moderatorsMayExport());
    return e.passcode() == null ? j : j.put("passcode", e.passcode()); // an open event is stored as before
  }

  /**
   * An event; one stored before {@code moderatorsMayExport} existed reads as false, one stored
   * before {@code passcode} existed as open (same schema: added fields).
   */
  static Event event(JsonObject j) {
    List<String> blocked = new ArrayList<>();
    j.getJsonArray("blockedWords", new JsonArray()).forEach(w -> blocked.add((String) w));
    return new Event(j.getString("id"), j.getString("name"), instant(j.getString("createdAt")), List.copyOf(blocked),
        j.getBoolean("moderatorsMayExport", false), j.getString("passcode"));
  }

  static JsonObject stage(Stage s) {
    StageSettings settings = s.settings();
    return new JsonObject().put("id", s.id()).put("eventId", s.eventId()).put("name", s.name())
        .put("code", s.code()).put("createdAt", time(s.createdAt()))
        .put("settings", new JsonObject().put("anonymousQuestions", settings.anonymousQuestions())
            .put("questionModeration", settings.questionModeration())
            .put("commentModeration", settings.commentModeration()));
  }

  static Stage stage(JsonObject j) {
    JsonObject s = j.getJsonObject("settings");
    StageSettings settings = s == null ? StageSettings.DEFAULT
        : new StageSettings(s.getBoolean("anonymousQuestions", true), s.getBoolean("questionModeration", false),
            s.getBoolean("commentModeration", false));
    return new Stage(j.getString("id"), j.getString("eventId"), j.getString("name"), j.getString("code"),
        instant(j.getString("createdAt")), settings);
  }

  static JsonObject poll(Poll p) {
    JsonArray options = new JsonArray();
    for (PollOption o : p.options()) {
      options.add(new JsonObject().put("id", o.id()).put("label", o.label()));
    }
    JsonObject json = new JsonObject().put("id", p.id()).put("stageId", p.stageId()).put("kind", name(p.kind()))
        .put("question", p.question()).put("options", options).put("maxSelections", p.maxSelections())
        .put("scale", p.scale()).put("state", name(p.state())).put("resultsVisible", p.resultsVisible())
        .put("createdAt", time(p.createdAt())).put("openedAt", time(p.openedAt()))
        .put("closedAt", time(p.closedAt())).put("closesAt", time(p.closesAt()));
    if (p.quiz() != null) { // only quiz questions have a key: other polls' documents are as before
      json.put("quiz", new JsonObject().put("correct", new JsonArray(new ArrayList<Object>(p.quiz().correct())))
          .put("points", p.quiz().points()).put("speedBonus", p.quiz().speedBonus()));
    }
    return json;
  }

  /** Documents written before poll timers have no closesAt: they read as polls without a timer. */
  static Poll poll(JsonObject j) {
    List<PollOption> options = new ArrayList<>();
    for (Object o : j.getJsonArray("options", new JsonArray())) {
      JsonObject option = (JsonObject) o;
      options.add(new PollOption(option.getString("id"), option.getString("label")));
    }
    return new Poll(j.getString("id"), j.getString("stageId"), constant(PollKind.class, j.getString("kind")),
        j.getString("question"), List.copyOf(options), j.getInteger("maxSelections", 1), j.getInteger("scale"),
        constant(Phase.class, j.getString("state")), j.getBoolean("resultsVisible", false),
        instant(j.getString("createdAt")), instant(j.getString("openedAt")), instant(j.getString("closedAt")),
        instant(j.getString("closesAt")), quiz(j.getJsonObject("quiz")));
  }

  /** Polls stored before quizzes existed have no quiz key. */
  private static org.plenum.stage.QuizRules quiz(JsonObject q) {
    if (q == null) {
      return null;
    }
    List<String> correct = new ArrayList<>();
    q.getJsonArray("correct").forEach(id -> correct.add((String) id));
    return new org.plenum.stage.QuizRules(correct, q.getInteger("points"), q.getBoolean("speedBonus", false));
  }

  /** A talk's survey; its rating and choice questions keep their rules in the poll's stored form. */
  static JsonObject survey(org.plenum.stage.Survey s) {
    JsonArray questions = new JsonArray();
    for (org.plenum.stage.SurveyQuestion q : s.questions()) {
      JsonObject j = new JsonObject().put("id", q.id()).put("kind", name(q.kind())).put("text", q.text())
          .put("required", q.required());
      if (q.rules() != null) {
        j.put("rules", poll(q.rules()));
      }
      if (q.maxLength() != null) {
        j.put("maxLength", q.maxLength());
      }
      questions.add(j);
    }
    return new JsonObject().put("stageId", s.stageId()).put("talkId", s.talkId()).put("questions", questions)
        .put("state", name(s.state())).put("createdAt", time(s.createdAt())).put("openedAt", time(s.openedAt()))
        .put("closedAt", time(s.closedAt()));
  }

  static org.plenum.stage.Survey survey(JsonObject j) {
    List<org.plenum.stage.SurveyQuestion> questions = new ArrayList<>();
    for (Object o : j.getJsonArray("questions", new JsonArray())) {
      JsonObject q = (JsonObject) o;
      questions.add(new org.plenum.stage.SurveyQuestion(q.getString("id"),
          constant(org.plenum.stage.SurveyQuestion.Kind.class, q.getString("kind")), q.getString("text"),
          q.containsKey("rules") ? poll(q.getJsonObject("rules")) : null, q.getInteger("maxLength"),
          q.getBoolean("required", false)));
    }
    return new org.plenum.stage.Survey(j.getString("stageId"), j.getString("talkId"), List.copyOf(questions),
        constant(Phase.class, j.getString("state")), instant(j.getString("createdAt")), instant(j.getString("openedAt")),
        instant(j.getString("closedAt")));
  }

  static JsonObject cloud(WordCloud c) {
    return new JsonObject().put("id", c.id()).put("stageId", c.stageId()).put("prompt", c.prompt())
        .put("maxEntries", c.maxEntries()).put("state", name(c.phase())).put("resultsVisible", c.resultsVisible())
        .put("createdAt", time(c.createdAt())).put("openedAt", time(c.openedAt())).put("closedAt", time(c.closedAt()));
  }

  static WordCloud cloud(JsonObject j) {
    return new WordCloud(j.getString("id"), j.getString("stageId"), j.getString("prompt"), j.getInteger("maxEntries"),
        constant(Phase.class, j.getString("state")), j.getBoolean("resultsVisible", false),
        instant(j.getString("createdAt")), instant(j.getString("openedAt")), instant(j.getString("closedAt")));
  }

  /** Everything of a post, its author's participant id included (which no client ever sees). */
  static JsonObject post(Post p) {
    JsonObject stored = new JsonObject().put("id", p.id()).put("stageId", p.stageId()).put("kind", name(p.kind()))
        .put("authorId", p.authorId()).put("displayName", p.displayName()).put("text", p.text())
        .put("originalText", p.originalText()).put("state", name(p.state())).put("answered", p.answered())
        .put("pinned", p.pinned()).put("reply", p.reply()).put("createdAt", time(p.createdAt()))
        .put("revision", p.revision());
    return p.pollId() == null ? stored : stored.put("pollId", p.pollId()); // answers only
  }

  static Post post(JsonObject j) {
    return new Post(j.getString("id"), j.getString("stageId"), constant(PostKind.class, j.getString("kind")),
        j.getString("authorId"), j.getString("displayName"), j.getString("text"), j.getString("originalText"),
        constant(PostState.class, j.getString("state")), j.getBoolean("answered", false), j.getBoolean("pinned", false),
        j.getString("reply"), instant(j.getString("createdAt")), j.getLong("revision", 0L), j.getString("pollId"));
  }

  static JsonObject talk(Talk t) {
    return new JsonObject().put("id", t.id()).put("stageId", t.stageId()).put("title", t.title())
        .put("speakers", t.speakers()).put("startsAt", time(t.startsAt())).put("endsAt", time(t.endsAt()))
        .put("createdAt", time(t.createdAt()));
  }

  static Talk talk(JsonObject j) {
    return new Talk(j.getString("id"), j.getString("stageId"), j.getString("title"), j.getString("speakers"),
        instant(j.getString("startsAt")), instant(j.getString("endsAt")), instant(j.getString("createdAt")));
  }

  /** A moderator access with its token's hash (never the token). */
  static JsonObject moderator(ModeratorAccess m) {
    return new JsonObject().put("id", m.id()).put("eventId", m.eventId()).put("label", m.label())
        .put("createdAt", time(m.createdAt())).put("tokenHash", m.tokenHash());
  }

  static ModeratorAccess moderator(JsonObject j) {
    return new ModeratorAccess(j.getString("id"), j.getString("eventId"), j.getString("label"), j.getString("tokenHash"),
        instant(j.getString("createdAt")));
  }

  /** What a stage's screens show; the default ({@code auto}) is not stored. */
  static JsonObject presentation(Presentation p) {
    return new JsonObject().put("kind", name(p.kind())).put("target", p.target()).put("since", time(p.since()));
  }

  static Presentation presentation(JsonObject j) {
    return new Presentation(constant(Presentation.Kind.class, j.getString("kind")), j.getString("target"),
        instant(j.getString("since")));
  }

  // ---- values ---------------------------------------------------------------------------------

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private static String time(Instant t) {
    return t == null ? null : TIME.format(t);
  }

  private static Instant instant(String s) {
    return s == null ? null : Instant.parse(s);
  }

  private static String name(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  private static <E extends Enum<E>> E constant(Class<E> type, String stored) {
    return Enum.valueOf(type, stored.toUpperCase(Locale.ROOT));
  }
}
