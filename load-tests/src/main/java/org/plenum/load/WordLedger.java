package org.plenum.load;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.plenum.load.PollLedger.Outcome;
import org.plenum.load.PollLedger.Range;

/**
 * Exactly-once bookkeeping for one word cloud. Entries are sent as {@link WordVocabulary} groups
 * (spellings meant as one word); the server's {@code ack} names the key it grouped the entry
 * under. A key's count is the number of participants whose acknowledged entry has that key; an
 * entry without an answer widens the expected range by one. Different spellings of one group
 * must get one key, and different groups different keys (else the normalisation disagrees with
 * the docs, which the caller reports).
 */
public final class WordLedger {

  private record Entry(int participant, String group, String text, long sentNanos) {
  }

  private static final class Participant {
    final Set<String> applied = new HashSet<>();
    final Set<String> inDoubt = new HashSet<>();
  }

  private final String cloudId;
  private final Map<String, String> expectedKeys;
  private final Map<String, Entry> inFlight = new HashMap<>();
  private final Map<Integer, Participant> participants = new HashMap<>();
  private final Map<String, String> groupKey = new HashMap<>();
  private final List<String> keyConflicts = new ArrayList<>();
  private final List<Long> appliedSendTimes = new ArrayList<>();
  private long firstSentNanos = -1;
  private long lastSentNanos = -1;
  private long applied;
  private long duplicates;
  private long rejected;
  private long unknown;

  /** @param expectedKeys per group, the key the docs' normalisation rules give (used when no ack named one) */
  public WordLedger(String cloudId, Map<String, String> expectedKeys) {
    this.cloudId = cloudId;
    this.expectedKeys = Map.copyOf(expectedKeys);
  }

  public String cloudId() {
    return cloudId;
  }

  public synchronized void sent(int participant, String actionId, String group, String text, long sentNanos) {
    inFlight.putIfAbsent(participant + "/" + actionId, new Entry(participant, group, text, sentNanos));
    participants.computeIfAbsent(participant, p -> new Participant());
    if (firstSentNanos < 0 || sentNanos < firstSentNanos) {
      firstSentNanos = sentNanos;
    }
    lastSentNanos = Math.max(lastSentNanos, sentNanos);
  }

  /** @param key the {@code key} of the ack, or null */
  public synchronized void outcome(int participant, String actionId, Outcome outcome, String key) {
    Entry e = inFlight.remove(participant + "/" + actionId);
    if (e == null) {
      if (outcome == Outcome.DUPLICATE) {
        duplicates++;
      }
      return;
    }
    Participant p = participants.get(participant);
    if (key != null && (outcome == Outcome.APPLIED || outcome == Outcome.DUPLICATE)) {
      String earlier = groupKey.putIfAbsent(e.group(), key);
      if (earlier != null && !earlier.equals(key) && keyConflicts.size() < 20) {
        keyConflicts.add("'" + e.text() + "' got key '" + key + "', other spellings of it '" + earlier + "'");
      }
    }
    switch (outcome) {
      case APPLIED, DUPLICATE -> {
        if (outcome == Outcome.APPLIED) {
          applied++;
        } else {
          duplicates++;
        }
        p.applied.add(e.group());
        p.inDoubt.remove(e.group());
        appliedSendTimes.add(e.sentNanos());
      }
      case REJECTED -> rejected++;
      case UNKNOWN -> {
        unknown++;
        p.inDoubt.add(e.group());
      }
    }
  }

  public synchronized int settleInFlight() {
    List<String> left = new ArrayList<>(inFlight.keySet());
    for (String k : left) {
      int slash = k.indexOf('/');
      outcome(Integer.parseInt(k.substring(0, slash)), k.substring(slash + 1), Outcome.UNKNOWN, null);
    }
    return left.size();
  }

  public synchronized long firstSentNanos() {
    return firstSentNanos;
  }

  public synchronized long lastSentNanos() {
    return lastSentNanos;
  }

  public synchronized long[] appliedSendTimes() {
    return appliedSendTimes.stream().mapToLong(Long::longValue).sorted().toArray();
  }

  public synchronized List<String> keyConflicts() {
    List<String> out = new ArrayList<>(keyConflicts);
    Map<String, String> byKey = new HashMap<>();
    groupKey.forEach((g, k) -> {
      String other = byKey.putIfAbsent(k, g);
      if (other != null) {
        out.add("groups '" + other + "' and '" + g + "' got the same key '" + k + "'");
      }
    });
    return out;
  }

  private String keyOf(String group) {
    return groupKey.getOrDefault(group, expectedKeys.getOrDefault(group, group));
  }

  /** Expected count per key, entries and contributors. */
  public record Expected(Map<String, Range> counts, Range entries, Range contributors) {
  }

  public synchronized Expected expected() {
    Map<String, long[]> c = new TreeMap<>();
    long eMin = 0;
    long eMax = 0;
    long cMin = 0;
    long cMax = 0;
    for (Participant p : participants.values()) {
      for (String g : p.applied) {
        c.computeIfAbsent(keyOf(g), k -> new long[2])[0]++;
      }
      for (String g : p.inDoubt) {
        c.computeIfAbsent(keyOf(g), k -> new long[2])[1]++;
      }
      eMin += p.applied.size();
      eMax += p.applied.size() + p.inDoubt.size();
      if (!p.applied.isEmpty()) {
        cMin++;
        cMax++;
      } else if (!p.inDoubt.isEmpty()) {
        cMax++;
      }
    }
    Map<String, Range> out = new LinkedHashMap<>();
    c.forEach((k, r) -> out.put(k, new Range(r[0], r[0] + r[1])));
    return new Expected(out, new Range(eMin, eMax), new Range(cMin, cMax));
  }

  /** True when a words snapshot shows exactly the acknowledged state (no entry in doubt). */
  public boolean matches(Map<String, Long> words, long entries) {
    return matches(expected(), words, entries);
  }

  /** As {@link #matches(Map, long)} against an expectation worked out once (no lock held). */
  public static boolean matches(Expected e, Map<String, Long> words, long entries) {
    if (!e.entries().contains(entries)) {
      return false;
    }
    for (Map.Entry<String, Range> en : e.counts().entrySet()) {
      if (!en.getValue().contains(words.getOrDefault(en.getKey(), 0L))) {
        return false;
      }
    }
    return true;
  }

  public record Check(boolean passed, Expected expected, Map<String, Long> server, long serverEntries,
                      long serverContributors, List<String> mismatches) {
  }

  /**
   * @param serverWords every word the server lists (visible and hidden) with its count; the
   *                    vocabulary is smaller than the top-100 list, so nothing is cut off
   */
  public synchronized Check check(Map<String, Long> serverWords, long serverEntries, long serverContributors) {
    Expected e = expected();
    List<String> mismatches = new ArrayList<>();
    for (Map.Entry<String, Range> en : e.counts().entrySet()) {
      long got = serverWords.getOrDefault(en.getKey(), 0L);
      if (!en.getValue().contains(got)) {
        mismatches.add("word '" + en.getKey() + "': server " + got + ", acknowledged " + en.getValue());
      }
    }
    for (Map.Entry<String, Long> en : serverWords.entrySet()) {
      if (!e.counts().containsKey(en.getKey()) && en.getValue() != 0) {
        mismatches.add("word '" + en.getKey() + "': server " + en.getValue() + ", never acknowledged");
      }
    }
    if (!e.entries().contains(serverEntries)) {
      mismatches.add("entries: server " + serverEntries + ", acknowledged " + e.entries());
    }
    if (!e.contributors().contains(serverContributors)) {
      mismatches.add("contributors: server " + serverContributors + ", acknowledged " + e.contributors());
    }
    mismatches.addAll(keyConflicts());
    return new Check(mismatches.isEmpty(), e, Map.copyOf(serverWords), serverEntries, serverContributors, mismatches);
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
}
