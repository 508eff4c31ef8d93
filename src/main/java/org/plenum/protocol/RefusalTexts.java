package org.plenum.protocol;

import java.util.Map;

/**
 * The texts clients read for refusals the engines raise by code and facts only: the wording lives
 * at the edge (WebSocket {@code error} and REST error bodies), so engines and their storage hold no
 * client-facing text. The texts are the ones clients saw when the engines still wrote them.
 */
public final class RefusalTexts {
  /** Fact keys: the id of the thing refused, and what else a text names. */
  public static final String EVENT = "event";
  public static final String STAGE = "stage";
  public static final String POLL = "poll";
  public static final String CLOUD = "cloud";
  public static final String POST = "post";
  public static final String TALK = "talk";
  public static final String MODERATOR = "moderator";
  /** The phase a closed or draft poll or cloud is in (its wire name). */
  public static final String PHASE = "phase";
  /** The deadline a poll's timer closed it at (an ISO-8601 instant). */
  public static final String CLOSES_AT = "closesAt";
  /** A word-cloud key. */
  public static final String KEY = "key";
  public static final String MAX_ENTRIES = "maxEntries";
  /** Why a write failed (an I/O error's own message). */
  public static final String CAUSE = "cause";
  /** What a refused new order was of ("polls", "clouds", "stages"). */
  public static final String ORDER = "order";
  /** Present when a write was attempted and failed (rather than refused before it began). */
  public static final String WRITE_FAILED = "writeFailed";

  private RefusalTexts() {}

  /** The text a person reads for {@code e}. */
  public static String message(PlenumException e) {
    return e.worded() ? e.getMessage() : text(e.code(), e.facts());
  }

  static String text(ErrorCode code, Map<String, Object> facts) {
    Object poll = facts.get(POLL);
    Object cloud = facts.get(CLOUD);
    return switch (code) {
      case UNKNOWN_EVENT -> "No event " + facts.get(EVENT) + ".";
      case UNKNOWN_STAGE -> "No stage " + facts.get(STAGE) + ".";
      case UNKNOWN_POLL -> "No poll " + poll + " on this stage.";
      case POLL_NOT_OPEN -> "Poll " + poll + " is " + facts.get(PHASE) + ".";
      case POLL_CLOSED -> "Poll " + poll + " closed at " + facts.get(CLOSES_AT) + ": its timer ran out.";
      case UNKNOWN_CLOUD -> "No word cloud " + cloud + " on this stage.";
      case CLOUD_NOT_OPEN -> "Word cloud " + cloud + " is " + facts.get(PHASE) + ".";
      case ALREADY_SUBMITTED -> "You have already submitted this word.";
      case ALREADY_ANSWERED -> "You have already answered quiz question " + poll + ": it takes one answer.";
      case TOO_MANY_ENTRIES -> {
        Object max = facts.get(MAX_ENTRIES);
        yield "You have submitted " + max + (Integer.valueOf(1).equals(max) ? " entry" : " entries")
            + ", the most this cloud takes.";
      }
      case UNKNOWN_WORD -> facts.containsKey(KEY) ? "Nobody submitted '" + facts.get(KEY) + "' to this cloud."
          : "Nobody submitted that word to this cloud.";
      case INVALID_FIELD -> facts.containsKey(ORDER)
          ? facts.get(ORDER) + ": must list every id of the " + facts.get(ORDER) + " exactly once."
          : "into: a word cannot be merged into itself."; // the invalid fields an engine refuses
      case WRONG_POLL_KIND -> "Poll " + poll + " takes votes, not written answers.";
      case UNKNOWN_POST -> "No post " + facts.get(POST) + " on this stage.";
      case UNKNOWN_TALK -> "No talk " + facts.get(TALK) + " on stage " + facts.get(STAGE) + ".";
      case UNKNOWN_MODERATOR -> "No moderator access " + facts.get(MODERATOR) + " on event " + facts.get(EVENT) + ".";
      case UNAVAILABLE -> facts.containsKey(CAUSE)
          ? "The server could not store this change (" + facts.get(CAUSE) + "); nothing was kept: retry with the same id."
          : facts.containsKey(WRITE_FAILED) ? "The server could not store this change; retry with the same id."
          : "The server cannot store changes right now; retry with the same id.";
      case PASSCODE_REQUIRED -> "This event is closed: give its passcode.";
      case WRONG_PASSCODE -> "That is not this event's passcode.";
      case UNKNOWN_SURVEY -> "No feedback survey for talk " + facts.get(TALK) + " on this stage.";
      case SURVEY_NOT_OPEN -> "The feedback survey of talk " + facts.get(TALK) + " is " + facts.get(PHASE) + ".";
      case OUTCOME_UNKNOWN -> "Redis did not answer in time; the action may or may not have been applied. Resend it with"
          + " the same id: it is applied at most once.";
      default -> "Refused: " + code.wire() + ".";
    };
  }
}
