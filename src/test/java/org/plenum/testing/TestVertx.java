package org.plenum.testing;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Vert.x for tests: a low max event-loop execute time, and every "thread blocked" warning of
 * Vert.x's checker recorded so a test can fail on it ({@link #assertNoBlockedLoops()}). The limit
 * is half of Vert.x's default: far below what any real blocking call (file read, sleep, lock)
 * costs, yet above the scheduling stalls a loaded two-core CI machine produces on its own.
 */
public final class TestVertx {
  public static final long MAX_EXECUTE_MS = 1000;
  private static final List<String> BLOCKED = new CopyOnWriteArrayList<>();
  /** The checker's logger keeps its 5.0 name in 5.1 although the class moved; TestVertxTest notices a rename. */
  private static final Logger CHECKER = Logger.getLogger("io.vertx.core.impl.BlockedThreadChecker");

  static {
    CHECKER.addHandler(new Handler() {
      @Override
      public void publish(LogRecord record) {
        String message = record.getMessage();
        if (message != null && message.contains("has been blocked")) {
          BLOCKED.add(message);
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    });
  }

  private TestVertx() {}

  public static Vertx create() {
    return create(VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE);
  }

  /**
   * With {@code eventLoops} event loops, whatever the machine's cores: a server with that many
   * gateway instances ({@code PLENUM_INSTANCES}) then has each on a loop of its own, so tests
   * exercise what crosses event loops even on a one-core machine.
   */
  public static Vertx create(int eventLoops) {
    return create(eventLoops, true);
  }

  /**
   * As {@link #create(int)}, on Netty's native transport where it loads ({@code nativeTransport},
   * the server's default, so the suite runs what production runs) or, with false, on Java NIO.
   */
  public static Vertx create(int eventLoops, boolean nativeTransport) {
    return Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops).setPreferNativeTransport(nativeTransport)
        .setMaxEventLoopExecuteTime(MAX_EXECUTE_MS).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setBlockedThreadCheckInterval(100).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS));
  }

  /** Fails if any event loop was blocked longer than {@link #MAX_EXECUTE_MS} since the last call. */
  public static void assertNoBlockedLoops() {
    List<String> seen = List.copyOf(BLOCKED);
    BLOCKED.clear();
    if (!seen.isEmpty()) {
      throw new AssertionError("an event loop was blocked: " + seen.get(0));
    }
  }
}
