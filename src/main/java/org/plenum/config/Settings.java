package org.plenum.config;

import java.util.List;

/**
 * The table of every setting: its name in a config file, its environment variable and flag,
 * its default and what it means. {@link ConfigLoader} reads it; {@code --help} prints it.
 */
public final class Settings {
  private Settings() {}

  public enum Type { STRING, INT, BOOLEAN, ENGINE, LIST, RATE }

  /**
   * @param name  the key in a config file (camelCase); env is PLENUM_ + UPPER_SNAKE, flag is --kebab-case
   * @param min   for INT: smallest allowed value
   * @param max   for INT: largest allowed value
   */
  public record Setting(String name, Type type, Object defaultValue, long min, long max, String description) {
    public String env() {
      return "PLENUM_" + name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
    }

    public String flag() {
      return "--" + name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
  }

  private static Setting s(String name, String def, String description) {
    return new Setting(name, Type.STRING, def, 0, 0, description);
  }

  private static Setting i(String name, int def, long min, long max, String description) {
    return new Setting(name, Type.INT, def, min, max, description);
  }

  private static Setting b(String name, boolean def, String description) {
    return new Setting(name, Type.BOOLEAN, def, 0, 0, description);
  }

  public static final List<Setting> ALL = List.of(
      s("httpHost", "0.0.0.0", "Address the HTTP and WebSocket server binds to."),
      i("httpPort", 8080, 0, 65535, "Port of the HTTP API, the WebSocket /ws and the web client (0 = any free port)."),
      s("publicUrl", "", "Base URL people reach this server at, for printed links and QR codes (default http://localhost:PORT)."),
      new Setting("engine", Type.ENGINE, EngineKind.MEMORY, 0, 0,
          "Where state lives: memory (embedded, single node, journalled to dataDir) or redis (durable, multi-node)."),
      s("redisMode", "standalone", "How engine=redis reaches Redis: standalone (one server), cluster (Redis Cluster, Redis 7 or newer), sentinel (a primary named by Sentinels) or replication (a primary and its replicas)."),
      s("redisUrl", "redis://127.0.0.1:6379", "Redis connection string for engine=redis; for cluster, sentinel and replication a comma-separated list of endpoints (cluster seed nodes, the Sentinels, or the primary and its replicas)."),
      s("redisMasterName", "mymaster", "redisMode=sentinel: the name the Sentinels monitor the primary under."),
      i("redisPoolSize", 16, 1, 1024, "Redis connections in the pool for commands sent off the event loops (engine=redis); each event loop also keeps one pipelined connection of its own."),
      i("redisCommandTimeoutMs", 10000, 100, 600000, "How long a Redis command may go unanswered (engine=redis); an action whose reply times out is answered outcome_unknown (resend with the same id)."),
      s("organiserToken", "", "Bearer token of organisers and moderators; generated and printed once at start-up when empty."),
      s("dataDir", "plenum-data", "Directory of the memory engine's journal; empty keeps everything in memory only."),
      b("fsync", true, "Memory engine: force each journal batch to disk before acknowledging (group commit)."),
      i("moderatorTickMs", 50, 10, 5000, "How often moderators get coalesced result pushes."),
      i("viewerTickMs", 500, 50, 10000, "How often viewers and presenters get coalesced result pushes."),
      i("statsSampleSeconds", 10, 1, 3600, "How often each stage's presence (viewers by join source, moderators, presenters) is sampled for the organisers' statistics; one sample per stage per interval across all nodes."),
      i("maxFrameBytes", 8192, 256, 65536, "Largest client frame accepted; larger ones get error frame_too_large."),
      i("rateLimitPerSecond", 20, 1, 100000, "Messages a session may send per second, sustained."),
      i("rateLimitBurst", 40, 1, 100000, "Messages a session may send at once before rate_limited."),
      i("slowClientTimeoutMs", 10000, 100, 600000, "A session that stays over its outgoing budget (writeQueueMaxBytes) this long is closed with 4008."),
      i("writeQueueMaxBytes", 262144, 4096, 67108864, "A session's outgoing budget: bytes written to it (pushes, replies, snapshots) not yet on the socket; over it pushes are held."),
      i("actionIdTtlSeconds", 86400, 1, 2592000, "How long an applied action id is remembered, so its retry is not applied again (memory engine: also bounded by actionIdWindow)."),
      i("actionIdWindow", 256, 16, 100000, "Memory engine: action ids remembered per participant per stage (the most recent ones), so a resend is recognised."),
      i("snapshotEveryRecords", 50000, 100, 100000000, "Memory engine: snapshot the state and compact the journal once this many records were journalled since the last snapshot."),
      i("snapshotEveryMegabytes", 64, 1, 100000, "Memory engine: snapshot too once the current journal file reaches this size (MiB)."),
      i("snapshotAfterDeleteSeconds", 60, 0, 86400, "Memory engine: at most this long after a post is deleted, a snapshot removes its text from the disk (0 = at once)."),
      i("instances", Math.max(1, Runtime.getRuntime().availableProcessors()), 1, 256,
          "Event loops serving HTTP and WebSocket (default: the number of cores)."),
      i("shutdownGraceMs", 5000, 0, 120000, "On SIGTERM: how long to wait for in-flight writes (and their acks) before closing connections with 1001 and exiting."),
      new Setting("allowedOrigins", Type.LIST, List.of(), 0, 0,
          "Origins browsers may open /ws from, comma-separated (e.g. https://plenum.example.org); empty allows the origin of publicUrl, or, without publicUrl, the page's own origin (same scheme and Host). * allows any."),
      new Setting("limitVote", Type.RATE, "10/10s", 0, 0, "Votes one participant may cast, as count/seconds (e.g. 10/10s)."),
      new Setting("limitWord", Type.RATE, "10/10s", 0, 0, "Word-cloud entries one participant may submit, as count/seconds."),
      new Setting("limitPost", Type.RATE, "1/10s", 0, 0, "Questions, comments and feedback one participant may post, as count/seconds."),
      new Setting("limitUpvote", Type.RATE, "30/10s", 0, 0, "Upvotes (and withdrawals) one participant may send, as count/seconds."),
      new Setting("limitReaction", Type.RATE, "20/10s", 0, 0, "Reactions one participant may send, as count/seconds."),
      new Setting("reactions", Type.LIST, List.of("👏", "❤️", "😂", "😮", "👍", "🤔"), 0, 0,
          "The reactions viewers may send, comma-separated emoji."),
      s("webRoot", "", "Serve the web client from this directory instead of the copy built into the jar."),
      b("demo", false, "Create a demo event (three stages with a poll each) when no event exists, and print its links."),
      b("nativeTransport", true, "Use Netty's native epoll transport where it loads (Linux x86-64; fewer system calls and copies per frame); false, or where it does not load, Java NIO."),
      s("nodeId", "", "Name of this node in a multi-node deployment (default: random)."),
      i("writeQueueHardLimitBytes", 1048576, 8192, 268435456, "Bytes queued for one session at which it is closed with 4008 at once, without waiting for slowClientTimeoutMs."),
      i("joinPostsLimit", 100, 10, 1000, "Posts in a joined snapshot (the newest); older ones are fetched in pages of at most this many with the posts message."),
      i("requestHeaderTimeoutMs", 10000, 100, 600000, "A connection that has not sent a complete HTTP request head (or WebSocket upgrade) in this time is closed."),
      i("idleTimeoutMs", 75000, 1000, 3600000, "A connection (HTTP keep-alive or WebSocket) from which nothing arrives for this long is closed; the server pings WebSockets at a third of it."),
      i("joinTimeoutMs", 10000, 100, 600000, "A WebSocket that has not joined a stage in this time is closed with 4401."),
      i("connectionsPerAddress", 2000, 1, 1_000_000,
          "Open WebSockets one client address may have on a node (a venue's Wi-Fi puts hundreds of phones behind one address)."),
      i("connectionsPerParticipant", 5, 1, 1000, "Open WebSockets one participant token may be joined on, per node."),
      new Setting("limitNewParticipantsPerAddress", Type.RATE, "2000/600s", 0, 0,
          "Participant tokens one client address may be issued on a node, as count/seconds."),
      new Setting("limitJoinsPerAddress", Type.RATE, "2000/10s", 0, 0, "Joins one client address may send to a node, as count/seconds."),
      new Setting("limitJoinsPerNode", Type.RATE, "1000/1s", 0, 0,
          "Joins a node admits, all clients together, as count/seconds; more get rate_limited with retryAfterMs."),
      new Setting("limitPasscodeFailuresPerAddress", Type.RATE, "30/60s", 0, 0,
          "Wrong event passcodes one client address may try on a node (joins and REST together), as count/seconds;"
              + " past it every attempt from the address gets rate_limited, right or wrong."),
      new Setting("trustedProxies", Type.LIST, List.of(), 0, 0,
          "Addresses of reverse proxies (comma-separated IPs) whose X-Forwarded-For header names the client address; empty trusts none."),
      i("retentionDays", 0, 0, 36500, "Delete every event automatically this many days after its end (its last talk, or the last opening or closing of a poll or word cloud); 0 = never."),
      i("retentionSweepMinutes", 60, 1, 1440, "How often the retention sweep runs (it also finishes deletions a crash left half done)."),
      s("config", "", "Path of a JSON or YAML config file whose keys are the names above (flag --config, env PLENUM_CONFIG)."));

  public static Setting byName(String name) {
    for (Setting s : ALL) {
      if (s.name().equals(name)) {
        return s;
      }
    }
    return null;
  }
}
