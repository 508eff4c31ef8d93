package org.plenum.engine;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The action ids the memory engine remembers, so a retry is answered {@code duplicate} instead of
 * being applied again. Bounded twice: per participant per stage only the last {@code perOwner}
 * ids, and none older than {@code ttlMillis}. A client resends only what it has not seen
 * acknowledged, which is always among its most recent actions, so the window covers every resend.
 *
 * <p>An id is remembered together with the write that makes its action durable: a retry that
 * arrives while that write is in flight waits for it, and is answered by its outcome.
 */
final class ActionWindows {
  /** One remembered id: when it was applied, the post it created (or null), its write. */
  record Remembered(long at, String postId, Future<Void> durable) {}

  private final int perOwner;
  private final long ttlMillis;
  /** By "stage/participant", each in the order the ids were applied. */
  private final Map<String, LinkedHashMap<String, Remembered>> byOwner = new HashMap<>();
  private long size;

  ActionWindows(int perOwner, long ttlMillis) {
    this.perOwner = perOwner;
    this.ttlMillis = ttlMillis;
  }

  static String owner(String stageId, String participantId) {
    return stageId + '/' + participantId;
  }

  Remembered get(String stageId, String participantId, String actionId, long now) {
    LinkedHashMap<String, Remembered> window = byOwner.get(owner(stageId, participantId));
    if (window == null) {
      return null;
    }
    Remembered r = window.get(actionId);
    return r == null || r.at() + ttlMillis <= now ? null : r;
  }

  void remember(String stageId, String participantId, String actionId, long at, String postId, Future<Void> durable) {
    rememberIn(owner(stageId, participantId), actionId, new Remembered(at, postId, durable));
  }

  private void rememberIn(String owner, String actionId, Remembered r) {
    LinkedHashMap<String, Remembered> window = byOwner.computeIfAbsent(owner, k -> new LinkedHashMap<>());
    if (window.put(actionId, r) == null) {
      size++;
    }
    while (window.size() > perOwner) {
      Iterator<String> oldest = window.keySet().iterator();
      oldest.next();
      oldest.remove();
      size--;
    }
  }

  /** A replayed action: remembered only if still inside the time window. */
  void rememberReplayed(String stageId, String participantId, String actionId, long at, String postId, long now) {
    if (at + ttlMillis > now) {
      remember(stageId, participantId, actionId, at, postId, null);
    }
  }

  /** Drops every id older than the time window (called about once a minute). */
  void sweep(long now) {
    Iterator<LinkedHashMap<String, Remembered>> windows = byOwner.values().iterator();
    while (windows.hasNext()) {
      LinkedHashMap<String, Remembered> window = windows.next();
      Iterator<Remembered> ids = window.values().iterator();
      while (ids.hasNext() && ids.next().at() + ttlMillis <= now) {
        ids.remove();
        size--;
      }
      if (window.isEmpty()) {
        windows.remove();
      }
    }
  }

  long size() {
    return size;
  }

  void clear() {
    byOwner.clear();
    size = 0;
  }

  /** Forgets every action id applied on a stage (deleted or reset): participant ids are data too. */
  void forgetStage(String stageId) {
    String prefix = stageId + '/';
    var owners = byOwner.entrySet().iterator();
    while (owners.hasNext()) {
      var owner = owners.next();
      if (owner.getKey().startsWith(prefix)) {
        size -= owner.getValue().size();
        owners.remove();
      }
    }
  }

  List<String> owners() {
    return List.copyOf(byOwner.keySet());
  }

  /** One participant's window as a snapshot line, or null if it is gone. */
  JsonObject snapshotOf(String owner) {
    LinkedHashMap<String, Remembered> window = byOwner.get(owner);
    if (window == null) {
      return null;
    }
    JsonArray ids = new JsonArray();
    window.forEach((id, r) -> ids.add(r.postId() == null ? new JsonArray().add(id).add(r.at())
        : new JsonArray().add(id).add(r.at()).add(r.postId())));
    return new JsonObject().put("op", "s-ids").put("o", owner).put("ids", ids);
  }

  void restore(JsonObject line, long now) {
    String owner = line.getString("o");
    for (Object o : line.getJsonArray("ids")) {
      JsonArray id = (JsonArray) o;
      long at = id.getLong(1);
      if (at + ttlMillis > now) {
        rememberIn(owner, id.getString(0), new Remembered(at, id.size() > 2 ? id.getString(2) : null, null));
      }
    }
  }
}
