package org.plenum.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What a moderator's screen shows, built from protocol messages only as a client would (see the
 * client checklist in docs/protocol.md): the {@code joined} snapshot, then every push, keeping per
 * poll, cloud and post the state with the highest {@code version} and the latest presence. A test
 * waits for the screen to show something with {@link #until}, which is checked on every message,
 * never by sleeping.
 */
public final class Dashboard {
  private final String name;
  private final Map<String, JsonObject> polls = new HashMap<>();
  private final Map<String, JsonObject> results = new HashMap<>();
  private final Map<String, JsonObject> clouds = new HashMap<>();
  private final Map<String, JsonObject> words = new HashMap<>();
  private final Map<String, JsonObject> posts = new HashMap<>();
  private JsonObject presence;
  private JsonObject reactions;
  private final List<Condition> conditions = new ArrayList<>();

  private record Condition(Predicate<Dashboard> holds, Promise<Void> promise) {}

  private Dashboard(String name) {
    this.name = name;
  }

  /** Follows a moderator session from its {@code joined} reply on (pass the reply its join returned). */
  public static Dashboard follow(String name, WsClient moderator, JsonObject joined) {
    Dashboard d = new Dashboard(name);
    d.snapshot(joined);
    moderator.onMessage(d::apply);
    return d;
  }

  private synchronized void snapshot(JsonObject joined) {
    for (Object o : joined.getJsonArray("polls", new JsonArray())) {
      JsonObject entry = (JsonObject) o;
      polls.put(entry.getJsonObject("poll").getString("id"), entry.getJsonObject("poll"));
      newer(results, "pollId", entry.getJsonObject("results"));
    }
    for (Object o : joined.getJsonArray("clouds", new JsonArray())) {
      JsonObject entry = (JsonObject) o;
      clouds.put(entry.getJsonObject("cloud").getString("id"), entry.getJsonObject("cloud"));
      newer(words, "cloudId", entry.getJsonObject("results"));
    }
    for (Object o : joined.getJsonArray("posts", new JsonArray())) {
      newer(posts, "id", (JsonObject) o);
    }
    presence = joined.getJsonObject("presence");
    reactions = joined.getJsonObject("reactions");
  }

  private void apply(JsonObject m) {
    List<Promise<Void>> done = new ArrayList<>();
    synchronized (this) {
      switch (String.valueOf(m.getString("type"))) {
        case "poll" -> {
          polls.put(m.getJsonObject("poll").getString("id"), m.getJsonObject("poll"));
          newer(results, "pollId", m.getJsonObject("results"));
        }
        case "results" -> newer(results, "pollId", m.getJsonObject("results"));
        case "cloud" -> {
          clouds.put(m.getJsonObject("cloud").getString("id"), m.getJsonObject("cloud"));
          newer(words, "cloudId", m.getJsonObject("results"));
        }
        case "words" -> newer(words, "cloudId", m.getJsonObject("results"));
        case "post" -> newer(posts, "id", m.getJsonObject("post"));
        case "presence" -> presence = m;
        case "reactions" -> {
          if (reactions == null || m.getLong("version") > reactions.getLong("version")) {
            reactions = m;
          }
        }
        default -> { }
      }
      Iterator<Condition> it = conditions.iterator();
      while (it.hasNext()) {
        Condition c = it.next();
        if (c.holds().test(this)) {
          it.remove();
          done.add(c.promise());
        }
      }
    }
    done.forEach(Promise::tryComplete);
  }

  private static void newer(Map<String, JsonObject> byId, String idField, JsonObject state) {
    if (state == null) {
      return;
    }
    String id = state.getString(idField);
    JsonObject known = byId.get(id);
    if (known == null || state.getLong("version") > known.getLong("version")) {
      byId.put(id, state);
    }
  }

  /** Completes as soon as the screen satisfies {@code holds} (at once if it already does). */
  public Future<Void> until(Predicate<Dashboard> holds) {
    synchronized (this) {
      if (!holds.test(this)) {
        Promise<Void> promise = Promise.promise();
        conditions.add(new Condition(holds, promise));
        return promise.future();
      }
    }
    return Future.succeededFuture();
  }

  /**
   * Waits on the JUnit thread until the screen satisfies {@code holds}; after {@code seconds}, fails
   * with {@code what} and everything the screen shows.
   */
  public void await(String what, int seconds, Predicate<Dashboard> holds) {
    try {
      until(holds).toCompletionStage().toCompletableFuture().get(seconds, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(name + " did not show " + what + " within " + seconds + " s; it shows " + this, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new AssertionError(e.getCause());
    }
  }

  public String name() {
    return name;
  }

  /** The newest results of a poll, or null. */
  public synchronized JsonObject results(String pollId) {
    return results.get(pollId);
  }

  /** The newest counts of a poll as a map option → count (empty if unknown). */
  public synchronized Map<String, Long> counts(String pollId) {
    JsonObject r = results.get(pollId);
    return r == null ? new HashMap<>() : longs(r.getJsonObject("counts"));
  }

  /** A JSON object of numbers (counts, totals) as a map of longs, for comparing with expected counts. */
  public static Map<String, Long> longs(JsonObject numbers) {
    Map<String, Long> map = new HashMap<>();
    numbers.forEach(e -> map.put(e.getKey(), ((Number) e.getValue()).longValue()));
    return map;
  }

  /** The poll's latest state ({@code draft}, {@code open}, {@code closed}), or null. */
  public synchronized String pollState(String pollId) {
    JsonObject p = polls.get(pollId);
    return p == null ? null : p.getString("state");
  }

  /** The newest results of a word cloud, or null. */
  public synchronized JsonObject words(String cloudId) {
    return words.get(cloudId);
  }

  /** The newest word counts of a cloud as a map key → count (empty if unknown). */
  public synchronized Map<String, Long> wordCounts(String cloudId) {
    Map<String, Long> counts = new HashMap<>();
    JsonObject r = words.get(cloudId);
    if (r != null) {
      for (Object o : r.getJsonArray("words")) {
        JsonObject w = (JsonObject) o;
        counts.put(w.getString("key"), w.getLong("count"));
      }
    }
    return counts;
  }

  /** The newest state of every post seen, by id. */
  public synchronized Map<String, JsonObject> posts() {
    return Map.copyOf(posts);
  }

  /** The latest presence ({@code viewers}, {@code moderators}, {@code presenters}), or null. */
  public synchronized JsonObject presence() {
    return presence;
  }

  public synchronized long viewers() {
    return presence == null ? -1 : presence.getLong("viewers");
  }

  /** The newest reaction totals (emoji → count). */
  public synchronized Map<String, Long> reactionTotals() {
    return reactions == null ? new HashMap<>() : longs(reactions.getJsonObject("totals"));
  }

  @Override
  public synchronized String toString() {
    return name + "{results=" + results.values() + ", words=" + words.values() + ", posts=" + posts.size()
        + ", presence=" + presence + ", reactions=" + (reactions == null ? null : reactions.getJsonObject("totals")) + "}";
  }
}
