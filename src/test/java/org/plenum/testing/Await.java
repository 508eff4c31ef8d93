package org.plenum.testing;

import io.vertx.core.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Waits on the JUnit thread (never an event loop) for a Future, with a generous deadline. */
public final class Await {
  private Await() {}

  public static <T> T await(Future<T> future) {
    return await(future, 20);
  }

  public static <T> T await(Future<T> future, int seconds) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("future failed: " + e.getCause(), e.getCause());
    } catch (Exception e) {
      dumpThreads();
      throw new AssertionError("no result within " + seconds + " s", e);
    }
  }

  /** A stuck wait is a bug to understand: show what every thread was doing. */
  private static void dumpThreads() {
    StringBuilder out = new StringBuilder("=== thread dump at a timed-out await ===\n");
    Thread.getAllStackTraces().forEach((thread, stack) -> {
      out.append(thread.getName()).append(" ").append(thread.getState()).append('\n');
      for (StackTraceElement e : stack) {
        out.append("    at ").append(e).append('\n');
      }
    });
    System.err.println(out);
  }

  public static Throwable failure(Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError("no result within 20 s", e);
    }
    throw new AssertionError("expected a failure, got success");
  }
}
