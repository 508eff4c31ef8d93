package org.plenum.engine;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.logging.Logger;

/**
 * Moves a standalone deployment's catalogue from the key names of before the {@code {plenum}} hash
 * tag ({@code plenum:event:<id>}, {@code plenum:secret}, ...) to the new ones
 * ({@code plenum:{plenum}:event:<id>}, ...), once, at start. Stage keys already carried their
 * {@code {stage}} tag and stay.
 *
 * <p>Each old key is renamed with RENAMENX: it moves only if the new name is free, so running it
 * again (another node starting, a restart) changes nothing, and a key written under the new name
 * already is never overwritten (the old one is then left and logged). Old keys are found with
 * SCAN on {@code plenum:[^{]*}, which no new key matches. A Redis Cluster never held old keys
 * (Plenum did not start on one before), so the migration is skipped there.
 */
final class RedisKeyMigration {
  private static final Logger LOG = Logger.getLogger(RedisKeyMigration.class.getName());
  private static final String OLD_KEYS = "plenum:[^{]*";

  private RedisKeyMigration() {}

  /** The new name of an old catalogue key, or null if the key is none (a stray key is left alone). */
  static String renamed(String key) {
    String rest = key.substring("plenum:".length());
    if (rest.equals("secret") || rest.equals("events") || rest.equals("seq")) {
      return RedisEngine.CATALOGUE + rest;
    }
    for (String prefix : List.of("event:", "stage:", "event-stages:", "code:", "mod:", "event-mods:", "modtoken:")) {
      if (rest.startsWith(prefix) && rest.length() > prefix.length()) {
        return RedisEngine.CATALOGUE + rest;
      }
    }
    return null;
  }

  /** Runs the migration through {@code send(name, request)}; completes when every old key was looked at. */
  static Future<Void> run(BiFunction<String, Request, Future<Response>> send) {
    java.util.concurrent.atomic.AtomicInteger moved = new java.util.concurrent.atomic.AtomicInteger();
    java.util.Queue<String> kept = new java.util.concurrent.ConcurrentLinkedQueue<>();
    return scan(send, "0", moved, kept).onSuccess(v -> {
      if (moved.get() > 0) {
        LOG.info("moved " + moved.get() + " catalogue key(s) to the {plenum} hash tag (plenum:{plenum}:...)");
      }
      if (!kept.isEmpty()) {
        LOG.warning("old catalogue key(s) left in place because the new name is taken: " + kept);
      }
    });
  }

  private static Future<Void> scan(BiFunction<String, Request, Future<Response>> send, String cursor,
                                   java.util.concurrent.atomic.AtomicInteger moved, java.util.Queue<String> kept) {
    return send.apply("scan", Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(OLD_KEYS).arg("COUNT").arg(1000))
        .compose(reply -> {
          String next = reply.get(0).toString();
          List<Future<Void>> renames = new ArrayList<>();
          for (Response key : reply.get(1)) {
            String old = key.toString();
            String target = renamed(old);
            if (target == null) {
              continue;
            }
            renames.add(send.apply("renamenx", Request.cmd(Command.RENAMENX).arg(old).arg(target)).map(r -> {
              if (r != null && r.toLong() == 1) {
                moved.incrementAndGet();
              } else {
                kept.add(old);
              }
              return null;
            }));
          }
          return Future.all(renames).compose(v -> next.equals("0") ? Future.succeededFuture() : scan(send, next, moved, kept));
        });
  }
}
