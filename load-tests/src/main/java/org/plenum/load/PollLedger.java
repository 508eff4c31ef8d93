package org.plenum.load;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exactly-once bookkeeping for one poll: what each participant sent, what the server acknowledged,
 * and therefore which final counts the server must show.
 *
 * <p>Every participant sends its votes for a poll one after another (the next only after the
 * previous one's answer), so at any time a participant has at most one vote whose fate is unknown
 * (no answer before the connection was lost or the request timed out). The server's final state for
 * that participant is then either the last acknowledged vote or the unknown one; {@link #expected()}
 * gives per option the range that allows, and it is a single value when nothing is in doubt.
 */
public final class PollLedger {

  /** How the server answered a vote. */
  public enum Outcome {
    /** {@code ack} with {@code duplicate: false}. */
    APPLIED,
    /** {@code ack} with {@code duplicate: true}: applied earlier under the same id. */
    DUPLICATE,
    /** {@code error}: nothing changed. */
    REJECTED,
    /** No answer: may or may not have been applied. */
    UNKNOWN
  }

  private record Vote(int participant, String actionId, List<String> values, long sentNanos) {
  }

  private static final class Participant {
    List<String> applied;
    List<String> inDoubt;
    final java.util.Set<String> appliedIds = new java.util.HashSet<>();
    long firstAppliedSentNanos = -1;
  }

  private final String pollId;
  private final List<String> keys;
  private final boolean oneValuePerVoter;
  private final Map<String, Vote> inFlight = new HashMap<>();
  private final Map<Integer, Participant> participants = new HashMap<>();
  private long applied;
  private long duplicates;
  private long rejected;
  private long unknown;

  /**
   * @param oneValuePerVoter true for single-choice and rating polls, whose counts must add up to
   *                         the voters; false for multiple-choice polls
   */
  public PollLedger(String pollId, List<String> keys, boolean oneValuePerVoter) {
    this.pollId = pollId;
    this.keys = List.copyOf(keys);
    this.oneValuePerVoter = oneValuePerVoter;
  }

  public String pollId() {
    return pollId;
  }

  public List<String> keys() {
    return keys;
  }

  /** A vote was written to the socket (a resend with the same id keeps its first send time). */
  public synchronized void sent(int participant, String actionId, List<String> values, long sentNanos) {
    inFlight.putIfAbsent(key(participant, actionId), new Vote(participant, actionId, List.copyOf(values), sentNanos));
    participants.computeIfAbsent(participant, p -> new Participant());
  }

  /** The server's answer (or its absence) for a vote sent earlier. Unknown ids are ignored. */
  public synchronized void outcome(int participant, String actionId, Outcome outcome) {
    Vote v = inFlight.remove(key(participant, actionId));
    Participant p = participants.get(participant);
    if (v == null || p == null) {
      if (outcome == Outcome.DUPLICATE) {
        duplicates++; // a deliberate resend of an id that was settled before
      }
      return;
    }
    switch (outcome) {
      case APPLIED -> {
        applied++;
        apply(p, v);
      }
      case DUPLICATE -> {
        // Applied earlier under this id although we never saw that ack (it was lost with a connection).
        duplicates++;
        if (!p.appliedIds.contains(v.actionId())) {
          apply(p, v);
        }
      }
      case REJECTED -> rejected++;
      case UNKNOWN -> {
        unknown++;
        p.inDoubt = v.values();
      }
    }
  }

  private static void apply(Participant p, Vote v) {
    p.applied = v.values();
    p.appliedIds.add(v.actionId());
    p.inDoubt = null;
    if (p.firstAppliedSentNanos < 0) {
      p.firstAppliedSentNanos = v.sentNanos();
    }
  }

  /** Votes still waiting for an answer become {@link Outcome#UNKNOWN}. */
  public synchronized int settleInFlight() {
    List<Vote> left = new ArrayList<>(inFlight.values());
    for (Vote v : left) {
      outcome(v.participant(), v.actionId(), Outcome.UNKNOWN);
    }
    return left.size();
  }

  /** Send times of the votes that made a participant a voter, ascending. */
  public synchronized long[] firstAppliedSendTimes() {
    return participants.values().stream()
        .mapToLong(p -> p.firstAppliedSentNanos)
        .filter(t -> t >= 0)
        .sorted()
        .toArray();
  }

  /** Inclusive range of a count the server may show. */
  public record Range(long min, long max) {
    public boolean contains(long v) {
      return v >= min && v <= max;
    }

    @Override
    public String toString() {
      return min == max ? Long.toString(min) : min + ".." + max;
    }
  }

  /** Expected final counts per option and expected voters. */
  public record Expected(Map<String, Range> counts, Range voters) {
  }

  public synchronized Expected expected() {
    Map<String, long[]> c = new LinkedHashMap<>();
    for (String k : keys) {
      c.put(k, new long[2]);
    }
    long vMin = 0;
    long vMax = 0;
    for (Participant p : participants.values()) {
      if (p.applied != null) {
        vMin++; // with an applied vote, a participant stays a voter whatever the vote in doubt did
        vMax++;
      } else if (p.inDoubt != null) {
        vMax++;
      }
      for (String k : keys) {
        boolean inApplied = p.applied != null && p.applied.contains(k);
        boolean inDoubt = p.inDoubt != null && p.inDoubt.contains(k);
        long[] r = c.get(k);
        if (p.inDoubt == null ? inApplied : (inApplied && inDoubt)) {
          r[0]++;
        }
        if (inApplied || inDoubt) {
          r[1]++;
        }
      }
    }
    Map<String, Range> out = new LinkedHashMap<>();
    c.forEach((k, r) -> out.put(k, new Range(r[0], r[1])));
    return new Expected(out, new Range(vMin, vMax));
  }

  /** The comparison of the server's final counts with {@link #expected()}. */
  public record Check(boolean passed, Expected expected, Map<String, Long> server, long serverVoters,
                      List<String> mismatches) {
  }

  public synchronized Check check(Map<String, Long> serverCounts, long serverVoters) {
    Expected e = expected();
    List<String> mismatches = new ArrayList<>();
    for (Map.Entry<String, Range> en : e.counts().entrySet()) {
      Long got = serverCounts.get(en.getKey());
      if (got == null) {
        mismatches.add("option " + en.getKey() + " missing from server counts (protocol: counts has every option)");
        got = 0L;
      }
      if (!en.getValue().contains(got)) {
        mismatches.add("option " + en.getKey() + ": server " + got + ", acknowledged " + en.getValue());
      }
    }
    for (Map.Entry<String, Long> en : serverCounts.entrySet()) {
      if (!e.counts().containsKey(en.getKey()) && en.getValue() != 0) {
        mismatches.add("unexpected option " + en.getKey() + " with count " + en.getValue());
      }
    }
    if (!e.voters().contains(serverVoters)) {
      mismatches.add("voters: server " + serverVoters + ", acknowledged " + e.voters());
    }
    if (oneValuePerVoter) {
      long sum = serverCounts.values().stream().mapToLong(Long::longValue).sum();
      if (sum != serverVoters) {
        mismatches.add("counts add up to " + sum + " but voters is " + serverVoters);
      }
    }
    return new Check(mismatches.isEmpty(), e, Map.copyOf(serverCounts), serverVoters, mismatches);
  }

  public synchronized long applied() {
    return applied;
  }

  public synchronized long duplicates() {
    return duplicates;
  }

  public synchronized long rejected() {
    return rejected;
  }

  public synchronized long unknown() {
    return unknown;
  }

  public synchronized int participantsWithVote() {
    return (int) participants.values().stream().filter(p -> p.applied != null).count();
  }

  private static String key(int participant, String actionId) {
    return participant + "/" + actionId;
  }
}
