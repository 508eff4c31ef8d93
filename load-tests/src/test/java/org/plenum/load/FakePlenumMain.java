package org.plenum.load;

import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/** Runs {@link FakePlenum} on its own for a number of seconds (default 120), to try the generator by hand. */
final class FakePlenumMain {

  private FakePlenumMain() {
  }

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 120;
    Vertx vertx = Vertx.vertx();
    FakePlenum fake = new FakePlenum("secret", false);
    vertx.deployVerticle(fake).await(5, TimeUnit.SECONDS);
    System.out.println("fake plenum on http://127.0.0.1:" + fake.port() + " for " + seconds + " s");
    Thread.sleep(seconds * 1000L);
    vertx.close().await(5, TimeUnit.SECONDS);
  }
}
