package org.plenum.engine;

import io.vertx.core.Future;
import org.plenum.stage.Poll;
import org.plenum.stage.PollResults;

/**
 * A poll's counts: each participant's current ballot and the counts per choice key. The ballot
 * rules themselves ({@link org.plenum.stage.PollTally}: a change of vote moves the participant's
 * ballot, a poll that is not open refuses) are the domain's; the store applies them atomically.
 */
public interface PollStore {

  /**
   * Applies a vote in one atomic step: if the action id was already applied for this participant
   * on this stage, nothing changes and the receipt says {@code duplicate}; otherwise, if the poll
   * is open, the participant's previous ballot (if any) is taken out of the counts, the new one
   * put in, the poll's results version incremented and the action id remembered (for
   * {@code actionIdTtlSeconds}). The Future succeeds only once the change is durable. Fails with
   * {@code poll_not_open} (nothing changed) if the poll is not open, {@code unknown_poll} if it
   * does not exist. Announces a {@link Change.Kind#RESULTS} change when applied.
   */
  Future<VoteReceipt> vote(VoteAction action);

  /**
   * Takes the participant's current ballot (if any) out of the poll's counts in one atomic step,
   * whatever the poll's state: the voters shrink by one, the version grows by one and a
   * {@link Change.Kind#RESULTS} change is announced. Succeeds with true once that is durable;
   * with false, changing nothing, when the participant has no ballot there (so a repeat is harmless).
   */
  Future<Boolean> removeBallot(Poll poll, String participantId);

  /** The poll's current counts (every choice key present) and version. */
  Future<PollResults> results(Poll poll);
}
