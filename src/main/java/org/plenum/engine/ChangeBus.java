package org.plenum.engine;

import io.vertx.core.Future;

/**
 * Where the stores' changes are announced: every write of a store announces the {@link Change}
 * its Javadoc names, on the local event bus at {@link Change#ADDRESS}, on every node of the
 * deployment, once it is durable (and also when its outcome is unknown, in case it was applied).
 * A change says what changed, never how; a burst of changes of one aggregate may be announced once.
 * Announcing is the engines' part ({@link Change#publish} on this node; the Redis engine also
 * carries changes to the other nodes); this interface is the read model's part: which stages
 * this node wants the other nodes' changes of.
 */
public interface ChangeBus {

  /**
   * This node now serves the stage (its read model has a first local subscriber): from now on the
   * engine delivers the stage's changes made on other nodes to this node's local bus. Completes
   * once changes published after it are certain to arrive. The memory engine serves one node, so
   * it has nothing to do. Calls are counted: the stage is watched until as many
   * {@link #unwatchStage} calls followed.
   */
  default Future<Void> watchStage(String stageId) {
    return Future.succeededFuture();
  }

  /** This node no longer serves the stage (its read model lost its last local subscriber). */
  default void unwatchStage(String stageId) {
  }
}
