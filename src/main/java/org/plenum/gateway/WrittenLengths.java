package org.plenum.gateway;

/**
 * The lengths of a session's writes that have not completed yet, oldest first.
 *
 * <p>Why a queue instead of a callback per write that knows its length: a connection's writes
 * complete in the order they were written, so one listener per session can take the oldest
 * length off here — no lambda or boxed length allocated per delivered frame. (Were two
 * completions ever to swap, the session's unsent total would be off by their difference only
 * until the second completes.) Touched only from the session's event loop.
 */
final class WrittenLengths {
  private int[] lengths = new int[8];
  private int head;
  private int size;

  void add(int length) {
    if (size == lengths.length) {
      int[] grown = new int[lengths.length * 2];
      for (int i = 0; i < size; i++) {
        grown[i] = lengths[(head + i) % lengths.length];
      }
      lengths = grown;
      head = 0;
    }
    lengths[(head + size) % lengths.length] = length;
    size++;
  }

  /** The oldest length, removed; 0 if none is waiting. */
  int takeOldest() {
    if (size == 0) {
      return 0;
    }
    int length = lengths[head];
    head = (head + 1) % lengths.length;
    size--;
    return length;
  }

  int size() {
    return size;
  }
}
