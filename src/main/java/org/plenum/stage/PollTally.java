package org.plenum.stage;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.plenum.protocol.ErrorCode;

/**
 * The counts of one poll and each participant's current ballot: the poll's aggregate rules, pure
 * (no I/O, no threads). Which choices a ballot may hold (single, multiple, rating) is
 * {@link Poll#ballot}'s; what a ballot does to the counts is this class's:
 * <ul>
 *   <li>only an open poll takes ballots, and only before its timer's deadline ({@link #refusal});</li>
 *   <li>a participant has one ballot: a new one replaces the previous one, whose keys leave the
 *       counts before the new keys enter ({@link #apply}); the voters are the participants with a
 *       ballot;</li>
 *   <li>every applied ballot grows the version by one.</li>
 * </ul>
 * The memory engine applies it as it is; its twin for Redis is {@code redis/vote.lua}, which must
 * follow the same rules (the shared engine contract tests hold both to them).
 */
public class PollTally {
  private long version;
  private final Map<String, Long> counts = new HashMap<>();
  /** Participant -> the encoded ballot ({@link Ballot#encode}). */
  private final Map<String, String> ballots = new HashMap<>();

  /** Null if {@code poll} (null: it does not exist) takes a ballot now, else the refusal. */
  public static ErrorCode refusal(Poll poll) {
    if (poll == null) {
      return ErrorCode.UNKNOWN_POLL;
    }
    return poll.isOpen() ? null : ErrorCode.POLL_NOT_OPEN;
  }

  /**
   * Like {@link #refusal(Poll)}, at {@code nowMillis}: an open poll whose timer has run out refuses
   * with {@code poll_closed}, even before its state flips to closed.
   */
  public static ErrorCode refusal(Poll poll, long nowMillis) {
    ErrorCode refused = refusal(poll);
    return refused == null && poll.expired(nowMillis) ? ErrorCode.POLL_CLOSED : refused;
  }

  /** The participant's ballot replaces their previous one (a change of vote); the version grows. */
  public void apply(String participantId, Ballot ballot) {
    String previous = ballots.put(participantId, ballot.encode());
    if (previous != null) {
      for (String key : Ballot.decode(previous).keys()) {
        counts.merge(key, -1L, Long::sum);
      }
    }
    for (String key : ballot.keys()) {
      counts.merge(key, 1L, Long::sum);
    }
    version++;
  }

  /**
   * Takes the participant's ballot out of the counts (a moderator removing a muted participant's
   * votes): true and the version grows if there was one; false and nothing changes otherwise, so a
   * repeated removal is harmless. Open or closed, the poll's state does not matter.
   */
  public boolean remove(String participantId) {
    String previous = ballots.remove(participantId);
    if (previous == null) {
      return false;
    }
    for (String key : Ballot.decode(previous).keys()) {
      counts.merge(key, -1L, Long::sum);
    }
    version++;
    return true;
  }

  public PollResults results(Poll poll) {
    return PollResults.of(poll, version, ballots.size(), counts);
  }

  public long version() {
    return version;
  }

  /** Sets the version (restoring a snapshot, or carrying versions above a rollback's). */
  public void version(long v) {
    version = v;
  }

  public Map<String, Long> counts() {
    return Collections.unmodifiableMap(counts);
  }

  public Map<String, String> ballots() {
    return Collections.unmodifiableMap(ballots);
  }

  /** A copy of the counts, to store (taken in one go: a poll may hold many ballots). */
  public Map<String, Long> copyOfCounts() {
    return new HashMap<>(counts);
  }

  /** A copy of the encoded ballots, to store. */
  public Map<String, String> copyOfBallots() {
    return new HashMap<>(ballots);
  }

  /** Puts back a stored state: counts and encoded ballots as {@link #counts} and {@link #ballots} gave them. */
  public void restore(long v, Map<String, Long> storedCounts, Map<String, String> storedBallots) {
    version = v;
    counts.putAll(storedCounts);
    ballots.putAll(storedBallots);
  }

  /** Puts back one stored count (a snapshot of many ballots is restored entry by entry, without copies). */
  public void restoreCount(String key, long count) {
    counts.put(key, count);
  }

  /** Puts back one stored ballot, encoded as {@link #ballots} gave it. */
  public void restoreBallot(String participantId, String encodedBallot) {
    ballots.put(participantId, encodedBallot);
  }
}
