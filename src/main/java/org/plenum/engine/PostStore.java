package org.plenum.engine;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.plenum.stage.Post;
import org.plenum.stage.PostView;

/**
 * Questions, comments and feedback, with their upvotes. A post's state transitions (approve,
 * reject, answer, pin, edit, the author's deletion) are the domain's ({@link Post}): the caller
 * computes the next revision and the store compare-and-sets it. Upvotes follow
 * {@link org.plenum.stage.Upvotes}: one per participant per post. Every change grows the post's
 * version and announces {@link Change.Kind#POST} (id = the post's).
 */
public interface PostStore {

  /**
   * Stores a new post in one atomic step with its action id: a retried action id stores nothing
   * and the receipt names the post created the first time ({@code duplicate}; null if the action id
   * was used for another kind of action). The new post's version is 1. Announces
   * {@link Change.Kind#POST}.
   */
  Future<PostReceipt> submitPost(PostAction action);

  Future<Optional<PostView>> post(String stageId, String postId);

  /** The stage's posts in creation order, deleted tombstones included. */
  Future<List<PostView>> posts(String stageId);

  /**
   * Replaces a post if it is still at {@code expected.revision()} (compare-and-set), else fails
   * with {@link ConcurrentUpdateException} and changes nothing; {@code next.revision()} must be
   * {@code expected.revision() + 1} (and of the same post), else the Future fails with
   * {@link IllegalArgumentException}. Fails with {@code unknown_post} if the post does not exist.
   * Grows the post's version. Announces {@link Change.Kind#POST}. The revision is the
   * deduplication: a retried update fails with {@link ConcurrentUpdateException}.
   */
  Future<PostView> updatePost(Post expected, Post next);

  /**
   * Adds ({@code up}) or withdraws the participant's upvote of a post in one atomic step with
   * the action id (a retry answers {@code duplicate}). Adding twice or withdrawing an absent
   * upvote changes nothing but is not an error. Fails with {@code unknown_post} if the post does
   * not exist. Grows the post's version and announces {@link Change.Kind#POST} when the set changed.
   * The receipt's version is the post's.
   */
  Future<VoteReceipt> upvote(UpvoteAction action);

  /** The ids of the stage's posts this participant currently upvotes. */
  Future<Set<String>> upvotedBy(String stageId, String participantId);

  /**
   * Mutes ({@code muted}) or unmutes a participant on a stage: a moderator's decision that the
   * participant's posts are hidden from everyone else. Only the mark is stored here; hiding their
   * pending posts is the caller's (through {@link #updatePost}), and the post path consults
   * {@link #isMuted}. Idempotent; refused with {@code unknown_stage} if the stage is gone. Cleared
   * with the stage's interactions (reset) and with the stage.
   */
  Future<Void> mute(String stageId, String participantId, boolean muted);

  Future<Boolean> isMuted(String stageId, String participantId);
}
