package org.plenum.gateway;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many connections each key (a client address, a participant) holds open on this node, with
 * a cap; shared by every event loop. An entry exists only while its count is above zero, so memory
 * follows the open connections. Counts move in the map's own atomic per-key updates, on
 * connection open and close only, never per message.
 */
final class OpenCounts {
  private final int cap;
  private final Map<String, Integer> open = new ConcurrentHashMap<>();

  OpenCounts(int cap) {
    this.cap = cap;
  }

  /** Counts one more for {@code key} unless it is at the cap; true if counted. */
  boolean tryOpen(String key) {
    boolean[] counted = {false};
    open.compute(key, (k, n) -> {
      int now = n == null ? 0 : n;
      if (now >= cap) {
        return n;
      }
      counted[0] = true;
      return now + 1;
    });
    return counted[0];
  }

  /** Counts one fewer; call exactly once for every {@code true} of {@link #tryOpen}. */
  void close(String key) {
    open.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
  }

  int count(String key) {
    return open.getOrDefault(key, 0);
  }

  boolean isFull(String key) {
    return count(key) >= cap;
  }

  int cap() {
    return cap;
  }
}
