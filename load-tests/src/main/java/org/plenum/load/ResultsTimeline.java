package org.plenum.load;

import java.util.Arrays;

/**
 * What one observer (a moderator or a viewer) saw of one poll's results over time: the receive
 * time of every applied results snapshot and the highest {@code voters} seen so far. Snapshots
 * whose version is not newer than the last applied one are dropped, as the protocol asks.
 * Written by one event-loop thread, read after the poll has settled.
 */
public final class ResultsTimeline {

  private long[] nanos = new long[16];
  private long[] voters = new long[16];
  private int size;
  private long lastVersion = Long.MIN_VALUE;
  private long maxVoters;
  private long stale;

  /** Applies a snapshot; returns false (and counts it) when its version is not newer. */
  public synchronized boolean observe(long atNanos, long version, long votersNow) {
    if (version <= lastVersion) {
      stale++;
      return false;
    }
    lastVersion = version;
    maxVoters = Math.max(maxVoters, votersNow);
    if (size == nanos.length) {
      nanos = Arrays.copyOf(nanos, size * 2);
      voters = Arrays.copyOf(voters, size * 2);
    }
    nanos[size] = atNanos;
    voters[size] = maxVoters;
    size++;
    return true;
  }

  public synchronized int size() {
    return size;
  }

  public synchronized long maxVoters() {
    return maxVoters;
  }

  public synchronized long staleDropped() {
    return stale;
  }

  public synchronized long lastVersion() {
    return lastVersion;
  }

  /** Receive times of the snapshots, in arrival order. */
  public synchronized long[] times() {
    return Arrays.copyOf(nanos, size);
  }

  /** The highest voters count seen up to and including each snapshot (non-decreasing). */
  public synchronized long[] votersSoFar() {
    return Arrays.copyOf(voters, size);
  }
}
