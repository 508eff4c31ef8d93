package org.plenum.stage;

/**
 * How a stage's audience may take part.
 *
 * @param anonymousQuestions   questions and comments may be posted without a display name
 * @param questionModeration   new questions wait for a moderator before anyone else sees them
 * @param commentModeration    new comments and feedback wait for a moderator
 */
public record StageSettings(boolean anonymousQuestions, boolean questionModeration, boolean commentModeration) {
  public static final StageSettings DEFAULT = new StageSettings(true, false, false);

  public boolean moderates(PostKind kind) {
    return kind == PostKind.QUESTION ? questionModeration : commentModeration;
  }
}
