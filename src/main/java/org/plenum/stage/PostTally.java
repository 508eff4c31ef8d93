package org.plenum.stage;

import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/**
 * One stored post with its upvoters and the version that grows with either: the aggregate rules of
 * a post, pure. The post's own state transitions (approve, reject, answer, pin, edit, the author's
 * deletion) are {@link Post}'s; this class adds what the store decides atomically:
 * <ul>
 *   <li>an update is a compare-and-set on the revision ({@link #isAt}); the next revision must
 *       follow the current one ({@link #replace});</li>
 *   <li>a participant upvotes a post once: adding twice or withdrawing an absent upvote changes
 *       nothing ({@link #upvote});</li>
 *   <li>a new post has version 1; every change (a replacement, an upvote that changed the set)
 *       grows it by one.</li>
 * </ul>
 * The memory engine applies it as it is; its Redis twins are {@code redis/submit_post.lua},
 * {@code redis/update_post.lua} and {@code redis/upvote.lua}.
 */
public class PostTally {
  private Post post;
  private long version;
  private final Set<String> upvoters = new HashSet<>();

  public PostTally(Post post) {
    this.post = post;
    this.version = 1;
  }

  public Post post() {
    return post;
  }

  /** Whether the stored post is still at {@code revision} (the compare of compare-and-set). */
  public boolean isAt(long revision) {
    return post.revision() == revision;
  }

  /** {@code next} must be this post, one revision on; anything else is the caller's bug, not a conflict. */
  public static void requireSuccessor(Post expected, Post next) {
    if (!next.id().equals(expected.id()) || !next.stageId().equals(expected.stageId())
        || next.revision() != expected.revision() + 1) {
      throw new IllegalArgumentException("post " + next.id() + " revision " + next.revision()
          + " does not follow post " + expected.id() + " revision " + expected.revision());
    }
  }

  /** Replaces the post (already checked with {@link #isAt} and {@link #requireSuccessor}); the version grows. */
  public void replace(Post next) {
    post = next;
    version++;
  }

  /** Adds or withdraws the participant's upvote; true (and the version grew) if the set changed. */
  public boolean upvote(String participantId, boolean up) {
    boolean changed = up ? upvoters.add(participantId) : upvoters.remove(participantId);
    if (changed) {
      version++;
    }
    return changed;
  }

  public PostView view() {
    return new PostView(post, upvoters.size(), version);
  }

  public long version() {
    return version;
  }

  public void version(long v) {
    version = v;
  }

  public Set<String> upvoters() {
    return Collections.unmodifiableSet(upvoters);
  }

  /** Puts back a stored state: the version and the upvoters as {@link #upvoters} gave them. */
  public void restore(long v, Set<String> storedUpvoters) {
    version = v;
    upvoters.addAll(storedUpvoters);
  }
}
