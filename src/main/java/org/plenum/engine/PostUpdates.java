package org.plenum.engine;

import org.plenum.stage.Post;
import org.plenum.stage.PostTally;

/** What both engines require of a post update before they compare-and-set it (the rule is {@link PostTally}'s). */
final class PostUpdates {
  private PostUpdates() {}

  /** {@code next} must be the same post one revision on: anything else is the caller's bug, not a conflict. */
  static void requireSuccessor(Post expected, Post next) {
    PostTally.requireSuccessor(expected, next);
  }
}
