package org.plenum.gateway;

import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.plenum.config.PlenumConfig;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;

/**
 * Per-participant limits for each kind of action (e.g. one question per 10 s, 20 reactions per
 * 10 s), one set per node shared by all its event loops, by participant id: neither reconnecting
 * nor a second socket on another event loop resets or multiplies them. A refused action changes
 * nothing and says how long to wait. Lock-free ({@link SharedBuckets}); safe from any thread.
 */
final class ActionLimits {
  enum Kind { VOTE, WORD, POST, UPVOTE, REACTION }

  private static final long IDLE_NANOS = 10L * 60 * 1_000_000_000L;
  private static final int APPLIED_REMEMBERED = 16;
  /** Far more participants than a node serves at once; past it new ones are limited until a sweep. */
  static final int MAX_PARTICIPANTS = 500_000;

  private final Map<Kind, SharedBuckets> buckets = new EnumMap<>(Kind.class);
  /** Action ids recently applied, per participant: their resends are never limited. */
  private final Map<String, Applied> applied = new ConcurrentHashMap<>();

  /** The newest applied action ids of one participant, in a small ring. */
  private static final class Applied {
    final AtomicReferenceArray<String> ids = new AtomicReferenceArray<>(APPLIED_REMEMBERED);
    final AtomicInteger next = new AtomicInteger();
    volatile long lastUsed;

    boolean contains(String actionId) {
      for (int i = 0; i < APPLIED_REMEMBERED; i++) {
        if (actionId.equals(ids.get(i))) {
          return true;
        }
      }
      return false;
    }

    void add(String actionId) {
      ids.set(Math.floorMod(next.getAndIncrement(), APPLIED_REMEMBERED), actionId);
    }
  }

  ActionLimits(PlenumConfig config) {
    buckets.put(Kind.VOTE, new SharedBuckets(config.limitVote(), MAX_PARTICIPANTS));
    buckets.put(Kind.WORD, new SharedBuckets(config.limitWord(), MAX_PARTICIPANTS));
    buckets.put(Kind.POST, new SharedBuckets(config.limitPost(), MAX_PARTICIPANTS));
    buckets.put(Kind.UPVOTE, new SharedBuckets(config.limitUpvote(), MAX_PARTICIPANTS));
    buckets.put(Kind.REACTION, new SharedBuckets(config.limitReaction(), MAX_PARTICIPANTS));
  }

  /**
   * Takes one action of {@code kind} from the participant's allowance, or refuses with
   * {@code rate_limited}. A resend of an action already applied passes free: it changes
   * nothing, and its client must get its {@code duplicate} ack, not a wait.
   *
   * @return true if an allowance was taken, false for a known resend
   */
  boolean acquire(String participantId, String actionId, Kind kind, long nowNanos) {
    Applied known = applied.get(participantId);
    if (known != null && known.contains(actionId)) {
      return false;
    }
    long wait = buckets.get(kind).tryAcquire(participantId, nowNanos);
    if (wait > 0) {
      throw new PlenumException(ErrorCode.RATE_LIMITED,
          "Too many " + kind.name().toLowerCase(java.util.Locale.ROOT) + " actions; retry in " + wait + " ms.", wait);
    }
    return true;
  }

  /** Records an applied action id (the newest {@value #APPLIED_REMEMBERED} per participant are kept). */
  void applied(String participantId, String actionId) {
    Applied known = applied.computeIfAbsent(participantId, k -> new Applied());
    known.lastUsed = System.nanoTime();
    known.add(actionId);
  }

  /** Drops full buckets and participants idle for ten minutes (called periodically). */
  void forgetIdle(long nowNanos) {
    buckets.values().forEach(b -> b.sweep(nowNanos));
    Iterator<Applied> it = applied.values().iterator();
    while (it.hasNext()) {
      if (nowNanos - it.next().lastUsed > IDLE_NANOS) {
        it.remove();
      }
    }
  }
}
