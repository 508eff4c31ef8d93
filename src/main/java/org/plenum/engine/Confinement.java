package org.plenum.engine;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * Runs work on the context that owns some state and hands the result back on the caller's
 * context. This is how engines keep one owner per piece of state without locks.
 */
final class Confinement {
  private final Context owner;

  Confinement(Context owner) {
    this.owner = owner;
  }

  Context owner() {
    return owner;
  }

  <T> Future<T> call(Supplier<Future<T>> work) {
    Context caller = callerOf(owner);
    if (caller == owner) {
      return safely(work);
    }
    Promise<T> promise = Promise.promise();
    owner.runOnContext(v -> safely(work).onComplete(result -> {
      if (caller == null) {
        promise.handle(result);
      } else {
        caller.runOnContext(x -> promise.handle(result));
      }
    }));
    return promise.future();
  }

  /** Completes on the context that is current now, whichever thread completes {@code future}. */
  static <T> Future<T> backToCaller(Future<T> future) {
    Context caller = Vertx.currentContext();
    if (caller == null) {
      return future;
    }
    Promise<T> promise = Promise.promise();
    future.onComplete(result -> {
      if (Vertx.currentContext() == caller) {
        promise.handle(result);
      } else {
        caller.runOnContext(x -> promise.handle(result));
      }
    });
    return promise.future();
  }

  /** The current context if it belongs to the same Vert.x as {@code owner}; else null (complete in place). */
  static Context callerOf(Context owner) {
    Context current = Vertx.currentContext();
    if (current == null || current.owner() != owner.owner()) {
      if (current != null) {
        java.util.logging.Logger.getLogger(Confinement.class.getName()).warning(
            "engine called from a context of another Vert.x instance: " + current + " on " + Thread.currentThread().getName());
      }
      return null;
    }
    return current;
  }

  private static <T> Future<T> safely(Supplier<Future<T>> work) {
    try {
      return work.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
