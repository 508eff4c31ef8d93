package org.plenum.gateway;

import org.plenum.config.FairLimits;
import org.plenum.config.PlenumConfig;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;

/**
 * Every limit of one node that its event loops share: per-participant action limits, and the
 * per-address and node-wide limits on connections, joins and new participants. One instance per
 * node, built before the gateways; safe from any event loop, without locks on the message path.
 */
public final class NodeLimits {
  /** Far more addresses than a node sees in one window; past it new ones wait for a sweep. */
  private static final int MAX_ADDRESSES = 200_000;
  private static final String NODE = "node";
  static final long JOIN_RETRY_SPREAD_MS = 1000;

  final ActionLimits actions;
  final ClientAddress addresses;
  final OpenCounts connectionsByAddress;
  final OpenCounts connectionsByParticipant;
  private final SharedBuckets newParticipantsByAddress;
  private final org.plenum.config.Rate newParticipantsPerAddress;
  private final SharedBuckets joinsByAddress;
  private final SharedBuckets joinsOfNode;
  /** Wrong event passcodes per address, shared with the REST API ({@link #passcodeAttempts()}). */
  private final PasscodeAttempts passcodeAttempts;

  public NodeLimits(PlenumConfig config) {
    FairLimits f = config.fairLimits();
    actions = new ActionLimits(config);
    addresses = new ClientAddress(f.trustedProxies());
    connectionsByAddress = new OpenCounts(f.connectionsPerAddress());
    connectionsByParticipant = new OpenCounts(f.connectionsPerParticipant());
    newParticipantsByAddress = new SharedBuckets(f.newParticipantsPerAddress(), MAX_ADDRESSES);
    newParticipantsPerAddress = f.newParticipantsPerAddress();
    joinsByAddress = new SharedBuckets(f.joinsPerAddress(), MAX_ADDRESSES);
    joinsOfNode = new SharedBuckets(f.joinsPerNode(), 1);
    passcodeAttempts = new PasscodeAttempts(f.passcodeFailuresPerAddress(), addresses);
  }

  /** The node's gate of closed events: the WebSocket join and the REST API count wrong passcodes together. */
  public PasscodeAttempts passcodeAttempts() {
    return passcodeAttempts;
  }

  /**
   * A join from {@code address}: within the address's and the node's join rate, or rate_limited.
   * The wait named is spread at random over a further second: the bucket alone would tell every
   * refused client of a storm to come back in the same millisecond, and they would, all together,
   * again and again, until their own message limit closed them as flooding.
   */
  void admitJoin(String address, long nowNanos) {
    long wait = joinsByAddress.tryAcquire(address, nowNanos);
    if (wait > 0) {
      wait = spread(wait);
      throw new PlenumException(ErrorCode.RATE_LIMITED,
          "Too many joins from your network address; retry in " + wait + " ms.", wait);
    }
    wait = joinsOfNode.tryAcquire(NODE, nowNanos);
    if (wait > 0) {
      wait = spread(wait);
      throw new PlenumException(ErrorCode.RATE_LIMITED, "Many people are joining right now; retry in " + wait + " ms.", wait);
    }
  }

  private static long spread(long waitMs) {
    return waitMs + java.util.concurrent.ThreadLocalRandom.current().nextLong(JOIN_RETRY_SPREAD_MS);
  }

  /** A new participant token for {@code address}: within its budget, or rate_limited. */
  void admitNewParticipant(String address, long nowNanos) {
    long wait = newParticipantsByAddress.tryAcquire(address, nowNanos);
    if (wait > 0) {
      throw new PlenumException(ErrorCode.RATE_LIMITED,
          "Too many new participants from your network address; retry in " + wait + " ms.", wait);
    }
  }

  org.plenum.config.Rate newParticipantsPerAddress() {
    return newParticipantsPerAddress;
  }

  /** Frees what no longer limits anyone (full buckets, idle participants); called periodically. */
  void sweep(long nowNanos) {
    actions.forgetIdle(nowNanos);
    newParticipantsByAddress.sweep(nowNanos);
    joinsByAddress.sweep(nowNanos);
    joinsOfNode.sweep(nowNanos);
    passcodeAttempts.sweep(nowNanos);
  }
}
