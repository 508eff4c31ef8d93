package org.plenum.engine;

import org.plenum.stage.Post;

/** What both engines require of a post update before they compare-and-set it. */
final class PostUpdates {
  private PostUpdates() {}

  /** {@code next} must be the same post one revision on: anything else is the caller's bug, not a conflict. */
  static void requireSuccessor(Post expected, Post next) {
    if (!next.id().equals(expected.id()) || !next.stageId().equals(expected.stageId())
        || next.revision() != expected.revision() + 1) {
      throw new IllegalArgumentException("post " + next.id() + " revision " + next.revision()
          + " does not follow post " + expected.id() + " revision " + expected.revision());
    }
  }
}
