package org.plenum.stage;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;

/**
 * A ranking poll's vote: the viewer's order of every option, first = best. It is stored as an
 * ordinary {@link Ballot} whose keys say option and position ({@code "b@1"}, {@code "a@2"}), so the
 * engines count it exactly like any other ballot (one ballot per participant, replaced on a change
 * of vote; {@code redis/vote.lua} and {@link PollTally} unchanged): the count under {@code "b@1"} is
 * how many voters put option b first. {@link BordaResults} turns those counts into points.
 *
 * <p>Option ids are {@code a..t} ({@link PollSpec}), so they never hold the separator {@value #SEPARATOR}
 * or the ballot's own {@code ","}.
 *
 * <p>Partial rankings are refused: a vote must list every option exactly once. With a partial
 * ranking an unranked option's Borda points would depend on a convention viewers cannot see.
 */
public final class RankingBallot {
  public static final char SEPARATOR = '@';

  private RankingBallot() {}

  /** Checks {@code choices} (the order, first = best) against the poll and returns its ballot. */
  public static Ballot of(Poll poll, List<String> choices, Integer rating) {
    int n = poll.options().size();
    if (rating != null || choices == null) {
      throw new PlenumException(ErrorCode.INVALID_OPTION,
          "choices: this is a ranking poll; send all " + n + " option ids in your order, best first");
    }
    if (choices.size() > n) {
      throw new PlenumException(ErrorCode.TOO_MANY_SELECTIONS,
          "choices: " + choices.size() + " entries, but this poll has " + n + " options; rank each exactly once");
    }
    Set<String> ids = new HashSet<>();
    for (PollOption o : poll.options()) {
      ids.add(o.id());
    }
    Set<String> seen = new HashSet<>();
    List<String> keys = new ArrayList<>(choices.size());
    for (int i = 0; i < choices.size(); i++) {
      String c = choices.get(i);
      if (!ids.contains(c)) {
        throw new PlenumException(ErrorCode.INVALID_OPTION,
            "choices: '" + (c.length() > 20 ? c.substring(0, 20) + "…" : c) + "' is not an option of this poll");
      }
      if (!seen.add(c)) {
        throw new PlenumException(ErrorCode.INVALID_OPTION, "choices: '" + c + "' is ranked twice");
      }
      keys.add(key(c, i + 1));
    }
    if (choices.size() < n) {
      throw new PlenumException(ErrorCode.INVALID_OPTION,
          "choices: " + choices.size() + " of " + n + " options ranked; rank every option exactly once");
    }
    keys.sort(null);
    return new Ballot(List.copyOf(keys));
  }

  /** The count key of option {@code optionId} at {@code position} (1 = first). */
  public static String key(String optionId, int position) {
    return optionId + SEPARATOR + position;
  }

  /** The option id of a count key, or null if it is not a ranking key. */
  public static String optionOf(String key) {
    int at = key.indexOf(SEPARATOR);
    return at < 0 ? null : key.substring(0, at);
  }

  /** The position (1 = first) of a count key, or 0 if it is not a ranking key. */
  public static int positionOf(String key) {
    int at = key.indexOf(SEPARATOR);
    if (at < 0) {
      return 0;
    }
    try {
      return Integer.parseInt(key.substring(at + 1));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** A ballot's order again, best first (for the interaction log and exports). */
  public static List<String> order(Ballot ballot) {
    String[] byPosition = new String[ballot.keys().size()];
    for (String k : ballot.keys()) {
      int pos = positionOf(k);
      if (pos >= 1 && pos <= byPosition.length) {
        byPosition[pos - 1] = optionOf(k);
      }
    }
    List<String> order = new ArrayList<>(byPosition.length);
    for (String s : byPosition) {
      if (s != null) {
        order.add(s);
      }
    }
    return order;
  }
}
