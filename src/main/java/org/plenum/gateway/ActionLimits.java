package org.plenum.gateway;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.plenum.config.PlenumConfig;
import org.plenum.config.Rate;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;

/**
 * Per-participant limits for each kind of action (e.g. one question per 10 s, 20 reactions per
 * 10 s), kept per event loop by participant id so that reconnecting does not reset them. A
 * refused action changes nothing and says how long to wait.
 */
final class ActionLimits {
  enum Kind { VOTE, WORD, POST, UPVOTE, REACTION }

  private static final long IDLE_NANOS = 10L * 60 * 1_000_000_000L;
  private final Map<Kind, Rate> rates = new EnumMap<>(Kind.class);
  private final Map<String, Map<Kind, RateLimiter>> byParticipant = new HashMap<>();
  private final Map<String, Long> lastSeen = new HashMap<>();
  /** Action ids this loop recently saw applied, per participant: their resends are never limited. */
  private final Map<String, java.util.LinkedHashSet<String>> applied = new HashMap<>();
  private static final int APPLIED_REMEMBERED = 64;

  ActionLimits(PlenumConfig config) {
    rates.put(Kind.VOTE, config.limitVote());
    rates.put(Kind.WORD, config.limitWord());
    rates.put(Kind.POST, config.limitPost());
    rates.put(Kind.UPVOTE, config.limitUpvote());
    rates.put(Kind.REACTION, config.limitReaction());
  }

  /**
   * Takes one action of {@code kind} from the participant's allowance, or refuses with
   * {@code rate_limited}. A resend of an action already applied here passes free: it changes
   * nothing, and its client must get its {@code duplicate} ack, not a wait.
   */
  void acquire(String participantId, String actionId, Kind kind, long nowNanos) {
    lastSeen.put(participantId, nowNanos);
    var known = applied.get(participantId);
    if (known != null && known.contains(actionId)) {
      return;
    }
    RateLimiter limiter = byParticipant.computeIfAbsent(participantId, k -> new EnumMap<>(Kind.class))
        .computeIfAbsent(kind, k -> {
          Rate r = rates.get(k);
          // a bucket of `count` refilled over `seconds`: at most `count` in any window of that length
          return new RateLimiter(r.count() / (double) r.seconds(), r.count(), nowNanos);
        });
    long wait = limiter.tryAcquire(nowNanos);
    if (wait > 0) {
      throw new PlenumException(ErrorCode.RATE_LIMITED,
          "Too many " + kind.name().toLowerCase(java.util.Locale.ROOT) + " actions; retry in " + wait + " ms.", wait);
    }
  }

  /** Records an applied action id (the newest {@value #APPLIED_REMEMBERED} per participant are kept). */
  void applied(String participantId, String actionId) {
    var known = applied.computeIfAbsent(participantId, k -> new java.util.LinkedHashSet<>());
    known.add(actionId);
    if (known.size() > APPLIED_REMEMBERED) {
      known.remove(known.iterator().next());
    }
  }

  /** Forgets participants idle for ten minutes (called periodically). */
  void forgetIdle(long nowNanos) {
    Iterator<Map.Entry<String, Long>> it = lastSeen.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Long> e = it.next();
      if (nowNanos - e.getValue() > IDLE_NANOS) {
        byParticipant.remove(e.getKey());
        applied.remove(e.getKey());
        it.remove();
      }
    }
  }
}
