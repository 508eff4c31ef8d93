package org.plenum.export;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;

/**
 * The tables of an export: one CSV file, one XLSX sheet or one JSON array each. Every row starts
 * with the {@link #CONTEXT} columns naming where it happened; none names a participant.
 */
public enum ExportTable {
  /**
   * One row per poll option (per rating value for rating polls): the complete distribution. For a ranking
   * poll: count and bordaPoints are the option's Borda points, share its points of the maximum, mean its
   * mean rank, positions how many voters put it 1st, 2nd, … ("4|1|0"); both last columns are empty otherwise.
   */
  POLLS("pollId", "question", "pollKind", "state", "openedAt", "closedAt", "voters", "optionKey", "option",
      "count", "share", "mean", "bordaPoints", "positions", "correct"),
  /** One row per word of a cloud, hidden words included and marked. */
  WORDS("cloudId", "prompt", "state", "contributors", "entries", "key", "text", "count", "hidden"),
  /** One row per question, comment or feedback (deleted tombstones left out: their text is gone). */
  POSTS("postId", "postKind", "createdAt", "name", "text", "originalText", "state", "answered", "pinned",
      "upvotes", "reply", "pollId"),
  /** One row per reaction emoji: the stage's totals. */
  REACTIONS("emoji", "count"),
  /** One row per minute and emoji that had reactions. */
  TIMELINE("minute", "emoji", "count"),
  /**
   * One row per presence sample (statistics): the interval's start and the deployment-wide counts then;
   * viewers split by where they joined from (hall link, stream link, other: hall + stream + other = viewers).
   */
  PRESENCE("at", "viewers", "viewersHall", "viewersStream", "viewersOther", "moderators", "presenters"),
  /** One row per minute with interactions (statistics): accepted interactions by kind, each counted once. */
  ACTIVITY("minute", "votes", "words", "questions", "upvotes", "comments", "feedback", "reactions", "answers"),
  /**
   * Totals (statistics): one row per talk (scope {@code talk}), per stage ({@code stage}) and, in an event's
   * export, one for the event ({@code event}, no stage): distinct participants, the peak of concurrent
   * viewers and when it was (with its split by join source), and the interactions by kind.
   */
  SUMMARY("scope", "participants", "peakViewers", "peakAt", "peakViewersHall", "peakViewersStream", "votes", "words",
      "questions", "upvotes", "comments", "feedback", "reactions", "answers"),
  /**
   * One row per participant who answered a quiz question on the stage, best first: rank, nickname
   * (null for those who opted out of the leaderboard), points and correct answers. Never the participant id.
   */
  SCORES("rank", "nickname", "points", "correctAnswers"),
  /**
   * The talks' feedback surveys (issue 12), attributed to the survey's own talk: one row per rating value
   * or choice option of each question (optionKey, option, count, share of those who answered it, mean for
   * ratings) and one row per open-text answer (text; optionKey, count and share empty). responses is the
   * survey's respondents, answered those of the question. No row names a participant.
   */
  SURVEY("questionId", "question", "questionKind", "surveyState", "responses", "answered", "optionKey", "option",
      "count", "share", "mean", "text");

  /** The columns every table starts with; the talk is the one running when the item was opened or sent. */
  public static final List<String> CONTEXT = contextColumns();

  private final List<String> columns;

  ExportTable(String... own) {
    List<String> all = new ArrayList<>(contextColumns());
    all.addAll(List.of(own));
    this.columns = List.copyOf(all);
  }

  private static List<String> contextColumns() {
    return List.of("eventId", "event", "stageId", "stage", "talkId", "talk");
  }

  public List<String> columns() {
    return columns;
  }

  /** The tables every export holds when no {@code kind} is asked for. */
  public static final List<ExportTable> ALL = List.of(values());

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ExportTable parse(String s) {
    for (ExportTable t : values()) {
      if (t.wire().equals(s)) {
        return t;
      }
    }
    throw new PlenumException(ErrorCode.INVALID_FIELD,
        "kind: must be polls, words, posts, reactions, timeline, presence, activity, summary, scores or survey");
  }
}
