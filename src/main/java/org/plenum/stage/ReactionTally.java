package org.plenum.stage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A stage's reactions, counted, never stored one by one: a total per emoji and a count per emoji
 * per minute bucket (the minute that starts at {@link #minuteOf}). Every reaction grows the version
 * by one. Pure; the memory engine applies it as it is, its Redis twin is {@code redis/react.lua}.
 */
public class ReactionTally {
  private long version;
  private final Map<String, Long> totals = new HashMap<>();
  /** Minute (epoch second at its start) -> emoji -> count, in time order. */
  private final TreeMap<Long, Map<String, Long>> minutes = new TreeMap<>();

  /** The bucket a reaction at {@code at} counts in: the epoch second its minute starts at. */
  public static long minuteOf(Instant at) {
    return Math.floorDiv(at.getEpochSecond(), 60) * 60;
  }

  public void add(String emoji, long minuteEpochSecond) {
    totals.merge(emoji, 1L, Long::sum);
    minutes.computeIfAbsent(minuteEpochSecond, k -> new HashMap<>()).merge(emoji, 1L, Long::sum);
    version++;
  }

  public ReactionTotals totals() {
    return new ReactionTotals(version, Map.copyOf(totals));
  }

  /** Minutes with reactions, in time order. */
  public List<ReactionMinute> timeline() {
    List<ReactionMinute> out = new ArrayList<>(minutes.size());
    minutes.forEach((minute, counts) -> out.add(new ReactionMinute(Instant.ofEpochSecond(minute), Map.copyOf(counts))));
    return out;
  }

  public long version() {
    return version;
  }

  public void version(long v) {
    version = v;
  }

  public Map<String, Long> totalsByEmoji() {
    return Collections.unmodifiableMap(totals);
  }

  public Map<Long, Map<String, Long>> minutes() {
    return Collections.unmodifiableMap(minutes);
  }

  /** Puts back a stored state as {@link #totalsByEmoji} and {@link #minutes} gave it. */
  public void restore(long v, Map<String, Long> storedTotals, Map<Long, Map<String, Long>> storedMinutes) {
    version = v;
    totals.putAll(storedTotals);
    storedMinutes.forEach((minute, counts) -> minutes.put(minute, new HashMap<>(counts)));
  }
}
