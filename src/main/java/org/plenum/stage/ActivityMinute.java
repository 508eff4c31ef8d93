package org.plenum.stage;

import java.time.Instant;

/** A stage's accepted interactions of one minute, by kind ({@link ActivityKind#ordinal()} indexes {@code counts}). */
public record ActivityMinute(Instant minute, long[] counts) {

  public long count(ActivityKind kind) {
    return counts[kind.ordinal()];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ActivityMinute m && m.minute.equals(minute) && java.util.Arrays.equals(m.counts, counts);
  }

  @Override
  public int hashCode() {
    return minute.hashCode() * 31 + java.util.Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    return minute + java.util.Arrays.toString(counts);
  }
}
