package org.plenum.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.plenum.testing.Await.await;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

/**
 * The suite's guard against blocked event loops still sees a blocked loop: it listens to Vert.x's
 * blocked-thread checker by logger name, and a Vert.x upgrade that renames that logger would
 * otherwise silence every {@link TestVertx#assertNoBlockedLoops()} without a failure.
 */
class TestVertxTest {

  @Test
  void aLoopBusyLongerThanTheLimitIsReported() {
    TestVertx.assertNoBlockedLoops(); // start clean
    Vertx vertx = TestVertx.create();
    try {
      Promise<Void> done = Promise.promise();
      vertx.runOnContext(v -> {
        // deliberately hog the loop (a busy wait: a sleep is what the suite forbids elsewhere)
        long until = System.nanoTime() + (TestVertx.MAX_EXECUTE_MS + 600) * 1_000_000;
        while (System.nanoTime() < until) {
          Thread.onSpinWait();
        }
        done.complete();
      });
      await(done.future());
    } finally {
      await(vertx.close());
    }
    assertThatThrownBy(TestVertx::assertNoBlockedLoops).isInstanceOf(AssertionError.class)
        .hasMessageContaining("has been blocked");
  }
}
