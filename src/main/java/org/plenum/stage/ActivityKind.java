package org.plenum.stage;

import java.util.Locale;

/** What the per-minute activity counters count: each an accepted interaction (a retry counts once). */
public enum ActivityKind {
  /** A ballot cast or changed. */
  VOTES,
  /** A word-cloud entry. */
  WORDS,
  QUESTIONS,
  /** An upvote added (a withdrawal counts nothing). */
  UPVOTES,
  COMMENTS,
  FEEDBACK,
  REACTIONS,
  /** A written answer to an open-text poll. */
  ANSWERS;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ActivityKind ofPost(PostKind kind) {
    return switch (kind) {
      case QUESTION -> QUESTIONS;
      case COMMENT -> COMMENTS;
      case FEEDBACK -> FEEDBACK;
      case ANSWER -> ANSWERS;
    };
  }

  public static ActivityKind parse(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }
}
