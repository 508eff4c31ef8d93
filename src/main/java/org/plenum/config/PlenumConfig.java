package org.plenum.config;

import java.util.List;

/**
 * The one typed configuration of a Plenum server. Built by {@link ConfigLoader} from
 * defaults &lt; config file &lt; environment {@code PLENUM_*} &lt; command-line flags, and validated
 * there; every setting is described in {@link Settings} and docs/configuration.md.
 */
public record PlenumConfig(
    String httpHost,
    int httpPort,
    String publicUrl,
    EngineKind engine,
    String redisUrl,
    int redisPoolSize,
    int redisCommandTimeoutMs,
    RedisMode redisMode,
    String redisMasterName,
    String organiserToken,
    boolean organiserTokenGenerated,
    String dataDir,
    boolean fsync,
    int moderatorTickMs,
    int viewerTickMs,
    int maxFrameBytes,
    int rateLimitPerSecond,
    int rateLimitBurst,
    int slowClientTimeoutMs,
    int writeQueueMaxBytes,
    int actionIdTtlSeconds,
    int instances,
    int shutdownGraceMs,
    List<String> allowedOrigins,
    Rate limitVote,
    Rate limitWord,
    Rate limitPost,
    Rate limitUpvote,
    Rate limitReaction,
    List<String> reactions,
    String webRoot,
    boolean demo,
    String nodeId,
    JournalSettings journal,
    GatewayLimits gateway,
    FairLimits fairLimits,
    int statsSampleSeconds,
    Retention retention) {

  /**
   * The base URL people open, for printed links and QR codes: {@code publicUrl} if set; else, when
   * listening on all interfaces, this machine's LAN address (so a phone in the same network can
   * open the link); else the bound host.
   */
  public String baseUrl() {
    if (publicUrl != null && !publicUrl.isEmpty()) {
      return publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }
    String host = httpHost.equals("0.0.0.0") || httpHost.equals("::") ? lanAddress() : httpHost;
    return "http://" + host + ":" + httpPort;
  }

  private static String lanAddress() {
    try {
      for (java.net.NetworkInterface nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp() || nic.isLoopback() || nic.isVirtual()) {
          continue;
        }
        for (java.net.InetAddress address : java.util.Collections.list(nic.getInetAddresses())) {
          if (address instanceof java.net.Inet4Address && address.isSiteLocalAddress()) {
            return address.getHostAddress();
          }
        }
      }
    } catch (java.net.SocketException ignored) {
      // no interface list: fall back to localhost
    }
    return "localhost";
  }

  /** The endpoints of {@code redisUrl}: one for standalone, the seeds, Sentinels or nodes otherwise. */
  public List<String> redisEndpoints() {
    return ConfigLoader.endpoints(redisUrl);
  }

  /** A copy listening on another port (tests bind port 0, then learn the real one). */
  public PlenumConfig withHttpPort(int port) {
    return new PlenumConfig(httpHost, port, publicUrl, engine, redisUrl, redisPoolSize, redisCommandTimeoutMs, redisMode,
        redisMasterName, organiserToken,
        organiserTokenGenerated, dataDir, fsync, moderatorTickMs, viewerTickMs, maxFrameBytes, rateLimitPerSecond,
        rateLimitBurst, slowClientTimeoutMs, writeQueueMaxBytes, actionIdTtlSeconds, instances, shutdownGraceMs,
        allowedOrigins, limitVote, limitWord, limitPost, limitUpvote, limitReaction, reactions, webRoot, demo, nodeId, journal, gateway,
        fairLimits, statsSampleSeconds, retention);
  }
}
