package org.plenum.engine;

import io.vertx.core.Future;

/**
 * Allowances shared by every node of the deployment, for limits that protect a shared resource
 * (e.g. a participant's posts on a stage). A node's own limiters (gateway.NodeLimits) hold per node;
 * these hold across nodes.
 */
public interface Allowances {

  /**
   * Takes one from an allowance: at most {@code count} per {@code seconds}, refilled evenly. The key
   * lives in the stage's hash slot. Returns 0 when taken, else the milliseconds until one would be;
   * a refusal takes nothing. Not deduplicated (a retry takes another). Announces nothing. The
   * memory engine serves a single node, whose own limiter is the limit: it always answers 0.
   */
  default Future<Long> takeAllowance(String stageId, String what, int count, int seconds) {
    return Future.succeededFuture(0L);
  }
}
