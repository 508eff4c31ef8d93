package org.plenum.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.plenum.stage.Event;
import org.plenum.stage.Ids;
import org.plenum.testing.TestVertx;

/**
 * The threading guarantee {@link ConfinedEngine} gives once for every engine: a call from another
 * event loop, from a worker or from outside Vert.x reaches the memory engine on its own context
 * (which no longer hops itself: called anywhere else it trips its assertion) and completes on the
 * caller's context.
 */
class ConfinedEngineTest {
  private Vertx vertx;
  private Context owner;
  private MemoryEngine memory;
  private Engine engine;

  @BeforeEach
  void start() throws Exception {
    vertx = TestVertx.create();
    Change.registerCodec(vertx);
    owner = vertx.getOrCreateContext();
    memory = new MemoryEngine(vertx, owner, null, false, 60_000);
    engine = Engines.confined(memory);
    await(engine.start());
  }

  @AfterEach
  void stop() throws Exception {
    await(engine.stop());
    await(vertx.close());
    TestVertx.assertNoBlockedLoops();
  }

  private static Event event() {
    return new Event(Ids.newId("ev"), "Congress", Instant.now().truncatedTo(ChronoUnit.MILLIS), List.of());
  }

  /** Runs {@code call} on {@code caller} and records the context its Future completed on. */
  private static Future<Context> completedOn(Context caller, Function<Void, Future<?>> call) {
    Promise<Context> where = Promise.promise();
    caller.runOnContext(v -> call.apply(null).onComplete(ar -> {
      if (ar.failed()) {
        where.fail(ar.cause());
      } else {
        where.complete(Vertx.currentContext());
      }
    }));
    return where.future();
  }

  @Test
  void aCallFromAnotherEventLoopCompletesOnThatLoop() throws Exception {
    Context other = vertx.getOrCreateContext();
    assertThat(other).isNotSameAs(owner);
    Event event = event();
    Context done = await(completedOn(other, v -> engine.createEvent(event)));
    assertThat(done).isSameAs(other);
    assertThat(await(completedOn(other, v -> engine.events()))).isSameAs(other);
    assertThat(await(engine.event(event.id()))).contains(event);
  }

  @Test
  void aCallFromAWorkerCompletesOnTheWorkersContext() throws Exception {
    Promise<Context> seen = Promise.promise();
    Promise<Context> worker = Promise.promise();
    Event event = event();
    await(vertx.deployVerticle(new AbstractVerticle() {
      @Override
      public void start() {
        Context mine = Vertx.currentContext();
        worker.complete(mine);
        engine.createEvent(event).compose(x -> engine.events())
            .onSuccess(events -> seen.complete(Vertx.currentContext()))
            .onFailure(seen::fail);
      }
    }, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)));
    Context workerContext = await(worker.future());
    assertThat(workerContext.isWorkerContext()).isTrue();
    assertThat(await(seen.future())).isSameAs(workerContext);
    assertThat(await(engine.events())).contains(event);
  }

  @Test
  void aCallFromOutsideVertxCompletes() throws Exception {
    Event event = event();
    assertThat(Vertx.currentContext()).isNull();
    await(engine.createEvent(event));
    assertThat(await(engine.events())).containsExactly(event);
  }

  @Test
  void aCallOnTheOwnerRunsInPlace() throws Exception {
    Event event = event();
    assertThat(await(completedOn(owner, v -> engine.createEvent(event)))).isSameAs(owner);
  }

  /**
   * Every method of the contract is delegated: a method added to an interface with a default body
   * and not to the decorator would silently answer the default instead of the engine's.
   */
  @Test
  void everyMethodOfTheContractIsDelegated() throws NoSuchMethodException {
    for (java.lang.reflect.Method m : Engine.class.getMethods()) {
      if (java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      assertThat(ConfinedEngine.class.getMethod(m.getName(), m.getParameterTypes()).getDeclaringClass())
          .as("ConfinedEngine delegates " + m).isEqualTo(ConfinedEngine.class);
    }
  }

  @Test
  void theMemoryEngineItselfNoLongerHops() {
    assertThatThrownBy(() -> memory.events()).as("called off its context, without the decorator")
        .isInstanceOf(AssertionError.class).hasMessageContaining("ConfinedEngine");
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
