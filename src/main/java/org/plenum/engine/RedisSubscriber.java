package org.plenum.engine;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Logger;

/**
 * The node's subscriptions to the change channels of the stages it serves, plus the global one.
 *
 * <p>Channels are sharded ({@code SSUBSCRIBE}, Redis 7) when Redis has them, plain otherwise (a
 * standalone Redis 6). A sharded channel lives in the slot of its name ({@code plenum:{stage}:changes}
 * is in the stage's slot), and on a Redis Cluster only the node owning that slot delivers it. So
 * this class keeps one dedicated subscriber connection per cluster node it needs (one in total
 * outside a cluster), and routes each channel to the primary owning its slot: the slot map comes
 * from CLUSTER SLOTS, the slot from CRC16 of the hash tag, and a MOVED answer corrects the map.
 * The Vert.x cluster client does route SSUBSCRIBE by its channel, but it sends it over a pooled
 * node connection whose message and end handlers are only set for the nodes it knew when connecting,
 * and it re-routes nothing when Redis drops a subscription because the slot moved; hence our own.
 *
 * <p>Redis ends sharded subscriptions itself when their slot leaves the node (a failover, a
 * resharding): it pushes {@code sunsubscribe} for each. That, a lost connection and a failed
 * subscribe all lead to the same repair: the channel is routed afresh and subscribed again, and
 * once it is, {@link Listener#resubscribed} tells the engine that changes published meanwhile were
 * not heard (it then re-reads every stage served here). Retries run on {@link #tick()} (every
 * second), so a cluster in the middle of a failover is simply asked again.
 *
 * <p>All state belongs to one context ({@code owner}); the public methods hop there.
 */
final class RedisSubscriber {
  private static final Logger LOG = Logger.getLogger(RedisSubscriber.class.getName());

  /** What the engine hears. Called on the owner context. */
  interface Listener {
    void message(String channel, String payload);

    /** Channels that had been lost (or never confirmed in time) are subscribed again. */
    void resubscribed(String why);
  }

  private enum State { SUBSCRIBING, SUBSCRIBED, UNSUBSCRIBING }

  /** One subscriber connection: to the one Redis, or to one cluster node. */
  private final class Link {
    final String endpoint;
    RedisConnection connection;
    boolean lost;
    final Map<String, State> channels = new HashMap<>();
    /** Commands sent, in order, whose reply has not come: an error reply names no channel. */
    final ArrayDeque<String[]> pending = new ArrayDeque<>();

    Link(String endpoint) {
      this.endpoint = endpoint;
    }
  }

  private static final String SINGLE = "";

  private final Vertx vertx;
  private final Context owner;
  private final RedisTarget target;
  /** Commands that are not subscriptions (CLUSTER SLOTS) go through the engine's pool. */
  private final Redis commands;
  private final long timeoutMs;
  private final int connectTimeoutMs;
  private final Listener listener;
  private boolean sharded = true;

  /** Outside a cluster: the mode's own client (it finds the primary); on a cluster: one client per node. */
  private final Map<String, Redis> clients = new HashMap<>();
  private final Map<String, Link> links = new HashMap<>();
  /** Channels wanted, with the number of watches each (the global channel counts one for good). */
  private final Map<String, Integer> wanted = new HashMap<>();
  private final Map<String, List<Promise<Void>>> waiting = new HashMap<>();
  /** Channels that were lost or not confirmed in time: their next confirmation calls for a resync. */
  private final Set<String> unheard = new HashSet<>();
  /** Cluster: slot range start -> {end, endpoint of its primary}; null until read (or after a move). */
  private TreeMap<Integer, Object[]> slots;
  private Future<Void> readingSlots;
  private boolean resyncScheduled;
  private boolean closed;
  /** Whether every wanted channel is confirmed, for readers on other threads. */
  private volatile boolean complete;

  RedisSubscriber(Vertx vertx, RedisTarget target, Redis commands, long timeoutMs, int connectTimeoutMs,
                  Listener listener) {
    this.vertx = vertx;
    this.owner = vertx.getOrCreateContext();
    this.target = target;
    this.commands = commands;
    this.timeoutMs = timeoutMs;
    this.connectTimeoutMs = connectTimeoutMs;
    this.listener = listener;
  }

  /** Whether channels are sharded (SSUBSCRIBE / SPUBLISH) or plain; set before the first watch. */
  void sharded(boolean sharded) {
    this.sharded = sharded;
  }

  boolean sharded() {
    return sharded;
  }

  /** Subscribes to {@code channel} (counted); completes once Redis confirmed it, fails after the command timeout. */
  Future<Void> watch(String channel) {
    return on(() -> {
      if (closed) {
        return Future.failedFuture(new IllegalStateException("the subscriber is closed"));
      }
      wanted.merge(channel, 1, Integer::sum);
      if (state(channel) == State.SUBSCRIBED) {
        return Future.succeededFuture();
      }
      Promise<Void> confirmed = Promise.promise();
      waiting.computeIfAbsent(channel, c -> new ArrayList<>()).add(confirmed);
      long timer = vertx.setTimer(timeoutMs, id -> {
        if (confirmed.tryFail("no confirmation of the subscription to " + channel + " within " + timeoutMs + " ms")) {
          unheard.add(channel); // it is still wanted: once it is subscribed, whatever was missed is re-read
        }
      });
      confirmed.future().onComplete(ar -> vertx.cancelTimer(timer));
      reconcile();
      return confirmed.future();
    });
  }

  /** Ends one watch of {@code channel}; the last one unsubscribes. */
  void unwatch(String channel) {
    on(() -> {
      Integer count = wanted.get(channel);
      if (count != null) {
        if (count > 1) {
          wanted.put(channel, count - 1);
        } else {
          wanted.remove(channel);
          unheard.remove(channel);
          reconcile();
        }
      }
      return Future.succeededFuture();
    });
  }

  /** Whether every wanted channel is confirmed (diagnostics and tests); readable from any thread. */
  boolean allSubscribed() {
    return complete;
  }

  private void updateComplete() {
    complete = !closed && !wanted.isEmpty() && wanted.keySet().stream().allMatch(c -> state(c) == State.SUBSCRIBED);
  }

  /** The channels currently confirmed (tests). */
  Future<Set<String>> subscribed() {
    return on(() -> {
      Set<String> out = new HashSet<>();
      links.values().forEach(l -> l.channels.forEach((c, s) -> {
        if (s == State.SUBSCRIBED) {
          out.add(c);
        }
      }));
      return Future.succeededFuture(Set.copyOf(out));
    });
  }

  /** Retries whatever is not subscribed yet; the engine calls it every second. */
  void tick() {
    on(() -> {
      reconcile();
      return Future.succeededFuture();
    });
  }

  Future<Void> close() {
    return on(() -> {
      closed = true;
      complete = false;
      waiting.values().forEach(list -> list.forEach(p -> p.tryFail("the subscriber is closed")));
      waiting.clear();
      List<Future<?>> closing = new ArrayList<>();
      for (Link link : links.values()) {
        if (link.connection != null) {
          closing.add(link.connection.close().otherwiseEmpty());
        }
      }
      links.clear();
      clients.values().forEach(c -> closing.add(c.close().otherwiseEmpty()));
      clients.clear();
      return Future.join(closing).mapEmpty();
    });
  }

  // ---- routing -------------------------------------------------------------------------

  /** Makes the subscriptions match the wanted channels: subscribe what is missing, drop what is unwanted. */
  private void reconcile() {
    updateComplete();
    if (closed) {
      return;
    }
    for (String channel : wanted.keySet()) {
      if (holder(channel) != null) {
        continue;
      }
      Link link = linkFor(channel);
      if (link == null || link.connection == null) {
        continue; // the route is being read or the connection is opening; both reconcile again
      }
      send(link, channel, true);
    }
    for (Link link : links.values()) {
      for (Map.Entry<String, State> entry : link.channels.entrySet()) {
        if (entry.getValue() == State.SUBSCRIBED && !wanted.containsKey(entry.getKey())) {
          send(link, entry.getKey(), false);
        }
      }
    }
  }

  private void send(Link link, String channel, boolean subscribe) {
    link.channels.put(channel, subscribe ? State.SUBSCRIBING : State.UNSUBSCRIBING);
    link.pending.add(new String[] {channel, subscribe ? "s" : "u"});
    Command command = subscribe ? (sharded ? Command.SSUBSCRIBE : Command.SUBSCRIBE)
        : (sharded ? Command.SUNSUBSCRIBE : Command.UNSUBSCRIBE);
    link.connection.send(Request.cmd(command).arg(channel)).onFailure(err -> lost(link, err));
  }

  private Link holder(String channel) {
    for (Link link : links.values()) {
      if (link.channels.containsKey(channel)) {
        return link;
      }
    }
    return null;
  }

  private State state(String channel) {
    Link link = holder(channel);
    return link == null ? null : link.channels.get(channel);
  }

  /** The link that should carry {@code channel}, opening it if needed; null while its route is unknown. */
  private Link linkFor(String channel) {
    String endpoint = SINGLE;
    if (target.cluster()) {
      endpoint = route(slot(channel));
      if (endpoint == null) {
        readSlots();
        return null;
      }
    }
    Link link = links.get(endpoint);
    if (link == null) {
      link = new Link(endpoint);
      links.put(endpoint, link);
      open(link);
    }
    return link;
  }

  private void open(Link link) {
    Redis client = clients.computeIfAbsent(link.endpoint, this::client);
    // a connect that hangs (a pool still holding the lost connection, a topology being re-read) counts as failed
    client.connect().timeout(timeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS).onComplete(ar -> onOwner(() -> {
      if (ar.failed()) {
        LOG.warning("cannot open a subscriber connection" + (link.endpoint.isEmpty() ? "" : " to " + link.endpoint)
            + ": " + ar.cause() + "; retrying");
        if (links.remove(link.endpoint, link)) {
          discardClient(link.endpoint);
        }
        if (ar.succeeded()) {
          ar.result().close();
        }
        if (target.cluster()) {
          slots = null; // the node may be gone: ask the cluster who owns its slots now
        }
        return;
      }
      RedisConnection connection = ar.result();
      if (closed || links.get(link.endpoint) != link) {
        connection.close();
        return;
      }
      link.connection = connection;
      connection.handler(message -> onOwner(() -> received(link, message)));
      connection.exceptionHandler(err -> onOwner(() -> lost(link, err)));
      connection.endHandler(v -> onOwner(() -> lost(link, null)));
      reconcile();
    }));
  }

  private Redis client(String endpoint) {
    RedisOptions options = endpoint.equals(SINGLE) ? target.options() : new RedisOptions().setConnectionString(endpoint);
    options.setMaxPoolSize(1).setMaxPoolWaiting(16);
    options.getNetClientOptions().setConnectTimeout(connectTimeoutMs);
    return Redis.createClient(vertx, options);
  }

  private void discardClient(String endpoint) {
    Redis client = clients.remove(endpoint);
    if (client != null) {
      client.close();
    }
  }

  private void lost(Link link, Throwable cause) {
    if (link.lost) {
      return;
    }
    link.lost = true;
    links.remove(link.endpoint, link);
    if (closed) {
      return;
    }
    LOG.warning("lost the subscriber connection" + (link.endpoint.isEmpty() ? "" : " to " + link.endpoint)
        + (cause == null ? "" : ": " + cause) + "; subscribing again");
    link.channels.forEach((channel, state) -> {
      if (wanted.containsKey(channel)) {
        unheard.add(channel);
      }
    });
    if (link.connection != null) {
      link.connection.close();
    }
    // a fresh client: the old one's pool and topology (Sentinel's primary) may still point at what was lost
    discardClient(link.endpoint);
    if (target.cluster()) {
      slots = null;
    }
    reconcile();
  }

  // ---- what Redis pushes -------------------------------------------------------------------

  private void received(Link link, Response message) {
    if (message == null || link.lost) {
      return;
    }
    if (message.type() == ResponseType.ERROR) {
      refused(link, message.toString());
      return;
    }
    if (message.size() < 3) {
      return;
    }
    String kind = message.get(0).toString();
    String channel = message.get(1).toString();
    switch (kind) {
      case "smessage", "message" -> listener.message(channel, message.get(2).toString());
      case "ssubscribe", "subscribe" -> confirmed(link, channel);
      case "sunsubscribe", "unsubscribe" -> unsubscribed(link, channel);
      default -> { }
    }
  }

  private void confirmed(Link link, String channel) {
    answered(link, channel, "s");
    link.channels.put(channel, State.SUBSCRIBED);
    List<Promise<Void>> promises = waiting.remove(channel);
    if (promises != null) {
      promises.forEach(Promise::tryComplete);
    }
    if (unheard.remove(channel)) {
      scheduleResync();
    }
    if (!wanted.containsKey(channel)) {
      reconcile(); // unwatched while it was being subscribed
    }
    updateComplete();
  }

  private void unsubscribed(Link link, String channel) {
    boolean asked = answered(link, channel, "u");
    link.channels.remove(channel);
    if (!asked && wanted.containsKey(channel)) {
      // Redis dropped it: its slot moved to another node (failover or resharding)
      LOG.info("Redis ended the subscription to " + channel + " (its slot moved); subscribing again");
      unheard.add(channel);
      slots = null;
    }
    reconcile();
  }

  /** An error reply: it answers the oldest command in flight on this link. */
  private void refused(Link link, String error) {
    String[] command = link.pending.poll();
    if (command == null) {
      LOG.warning("unexpected error on a subscriber connection: " + error);
      return;
    }
    String channel = command[0];
    link.channels.remove(channel);
    if (error.startsWith("MOVED ") || error.startsWith("ASK ")) {
      String[] parts = error.split(" ");
      if (parts.length >= 3 && target.cluster()) {
        moved(Integer.parseInt(parts[1]), parts[2]);
      }
      reconcile();
      return;
    }
    LOG.warning("Redis refused to (un)subscribe " + channel + ": " + error + "; retrying");
    if (target.cluster()) {
      slots = null;
    }
    // retried on the next tick
  }

  /** Removes the first command in flight for this channel and kind; false if none was. */
  private static boolean answered(Link link, String channel, String kind) {
    for (Iterator<String[]> it = link.pending.iterator(); it.hasNext(); ) {
      String[] command = it.next();
      if (command[0].equals(channel) && command[1].equals(kind)) {
        it.remove();
        return true;
      }
    }
    return false;
  }

  private void scheduleResync() {
    if (resyncScheduled) {
      return;
    }
    resyncScheduled = true;
    // several channels come back together (a node's connection, a failover): one re-read for all
    vertx.setTimer(20, id -> onOwner(() -> {
      resyncScheduled = false;
      if (!closed) {
        listener.resubscribed("changes published while a subscription was down were not heard");
      }
    }));
  }

  // ---- the cluster's slot map ----------------------------------------------------------------

  private String route(int slot) {
    if (slots == null) {
      return null;
    }
    Map.Entry<Integer, Object[]> range = slots.floorEntry(slot);
    if (range == null || (Integer) range.getValue()[0] < slot) {
      return null;
    }
    return (String) range.getValue()[1];
  }

  private void moved(int slot, String hostAndPort) {
    int colon = hostAndPort.lastIndexOf(':');
    String endpoint = target.node(hostAndPort.substring(0, colon), Integer.parseInt(hostAndPort.substring(colon + 1)));
    if (slots == null) {
      slots = new TreeMap<>();
    }
    // a one-slot range in front of the range that held it; the next full read replaces all
    Map.Entry<Integer, Object[]> range = slots.floorEntry(slot);
    if (range != null && (Integer) range.getValue()[0] >= slot) {
      int start = range.getKey();
      Object[] old = range.getValue();
      slots.remove(start);
      if (start < slot) {
        slots.put(start, new Object[] {slot - 1, old[1]});
      }
      if ((Integer) old[0] > slot) {
        slots.put(slot + 1, new Object[] {old[0], old[1]});
      }
    }
    slots.put(slot, new Object[] {slot, endpoint});
  }

  private void readSlots() {
    if (readingSlots != null) {
      return;
    }
    readingSlots = commands.send(Request.cmd(Command.CLUSTER).arg("SLOTS"))
        .timeout(timeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS)
        .<Void>compose(reply -> {
          TreeMap<Integer, Object[]> map = new TreeMap<>();
          for (Response range : reply) {
            Response primary = range.get(2);
            map.put(range.get(0).toInteger(), new Object[] {range.get(1).toInteger(),
                target.node(primary.get(0).toString(), primary.get(1).toInteger())});
          }
          onOwner(() -> {
            slots = map;
            reconcile();
          });
          return Future.succeededFuture();
        })
        .onFailure(err -> LOG.warning("cannot read the cluster's slot map: " + err + "; retrying"))
        .onComplete(ar -> onOwner(() -> readingSlots = null));
  }

  /** The Redis Cluster slot of a key or sharded channel: CRC16 of its hash tag (or of all of it) mod 16384. */
  static int slot(String key) {
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    int start = 0;
    int end = bytes.length;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '{') {
        for (int j = i + 1; j < bytes.length; j++) {
          if (bytes[j] == '}') {
            if (j > i + 1) {
              start = i + 1;
              end = j;
            }
            break;
          }
        }
        break;
      }
    }
    int crc = 0;
    for (int i = start; i < end; i++) {
      crc ^= (bytes[i] & 0xff) << 8;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
      }
      crc &= 0xffff;
    }
    return crc % 16384;
  }

  // ---- confinement ---------------------------------------------------------------------------

  private <T> Future<T> on(java.util.function.Supplier<Future<T>> work) {
    if (Vertx.currentContext() == owner) {
      return work.get();
    }
    Promise<T> promise = Promise.promise();
    owner.runOnContext(v -> work.get().onComplete(promise));
    return promise.future();
  }

  private void onOwner(Runnable work) {
    if (Vertx.currentContext() == owner) {
      work.run();
    } else {
      owner.runOnContext(v -> work.run());
    }
  }
}
