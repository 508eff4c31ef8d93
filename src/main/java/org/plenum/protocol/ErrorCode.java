package org.plenum.protocol;

import java.util.Locale;

/** Every error code a client can see, over WebSocket or HTTP. The wire form is the lower-case name. */
public enum ErrorCode {
  BAD_JSON(400),
  FRAME_TOO_LARGE(413),
  BODY_TOO_LARGE(413),
  UNKNOWN_TYPE(400),
  MISSING_FIELD(400),
  INVALID_FIELD(400),
  UNKNOWN_EVENT(404),
  UNKNOWN_STAGE(404),
  UNKNOWN_POLL(404),
  NOT_FOUND(404),
  UNAUTHORIZED(401),
  NOT_JOINED(409),
  FORBIDDEN(403),
  POLL_NOT_OPEN(409),
  /** The poll's timer ran out: it takes no votes any more (its state may still say open for a moment). */
  POLL_CLOSED(409),
  UNKNOWN_CLOUD(404),
  CLOUD_NOT_OPEN(409),
  UNKNOWN_WORD(404),
  BLOCKED_WORD(400),
  ALREADY_SUBMITTED(409),
  TOO_MANY_ENTRIES(409),
  UNKNOWN_POST(404),
  UNKNOWN_TALK(404),
  UNKNOWN_MODERATOR(404),
  NAME_REQUIRED(400),
  UNKNOWN_REACTION(400),
  INVALID_STATE(409),
  INVALID_OPTION(400),
  TOO_MANY_SELECTIONS(400),
  /** The stage's event is closed: a viewer or presenter must give its passcode (join field / X-Plenum-Passcode). */
  PASSCODE_REQUIRED(403),
  /** The passcode given is not the event's (wrong attempts are limited per address). */
  WRONG_PASSCODE(403),
  /** No feedback survey for that talk (or it is a draft, to viewers). */
  UNKNOWN_SURVEY(404),
  /** The talk's survey is a draft or closed: it takes no responses. */
  SURVEY_NOT_OPEN(409),
  RATE_LIMITED(429),
  TOO_MANY_CONNECTIONS(429),
  UNAVAILABLE(503),
  /** The engine cannot tell whether the action was applied (e.g. a Redis reply timed out); resend it with the same id. */
  OUTCOME_UNKNOWN(503),
  /** A vote on an open-text poll, or an answer to a poll that takes votes: the poll is of the other kind. */
  WRONG_POLL_KIND(400),
  INTERNAL(500),
  /** A quiz question takes one answer per participant: this participant has answered it already. */
  ALREADY_ANSWERED(409),
  /** A nickname that is too short or long, or holds control or format characters. */
  INVALID_NICKNAME(400);

  private final int httpStatus;

  ErrorCode(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
