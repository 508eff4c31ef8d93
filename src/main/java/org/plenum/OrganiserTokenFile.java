package org.plenum;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.plenum.config.EngineKind;
import org.plenum.config.PlenumConfig;

/**
 * A generated organiser token survives restarts of the embedded server: it is kept next to the
 * journal (readable by the owner only), so moderator links printed yesterday still work today.
 * Runs once at start-up, before any event loop exists.
 */
final class OrganiserTokenFile {
  private OrganiserTokenFile() {}

  static Path path(PlenumConfig config) {
    return Path.of(config.dataDir(), "organiser-token");
  }

  static PlenumConfig keep(PlenumConfig config) {
    if (!config.organiserTokenGenerated() || config.dataDir().isEmpty() || config.engine() != EngineKind.MEMORY) {
      return config;
    }
    Path file = path(config);
    try {
      if (Files.exists(file)) {
        String kept = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (kept.length() >= 8) {
          return withToken(config, kept);
        }
      }
      Files.createDirectories(file.getParent());
      Files.writeString(file, config.organiserToken() + "\n", StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // e.g. Windows: the directory's own permissions apply
      }
      return config;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the organiser token in " + file, e);
    }
  }

  private static PlenumConfig withToken(PlenumConfig c, String token) {
    return new PlenumConfig(c.httpHost(), c.httpPort(), c.publicUrl(), c.engine(), c.redisUrl(), c.redisPoolSize(), c.redisCommandTimeoutMs(),
        c.redisMode(), c.redisMasterName(), token, true, c.dataDir(), c.fsync(), c.moderatorTickMs(), c.viewerTickMs(), c.maxFrameBytes(),
        c.rateLimitPerSecond(), c.rateLimitBurst(), c.slowClientTimeoutMs(), c.writeQueueMaxBytes(),
        c.actionIdTtlSeconds(), c.instances(), c.shutdownGraceMs(), c.allowedOrigins(), c.limitVote(), c.limitWord(),
        c.limitPost(), c.limitUpvote(), c.limitReaction(), c.reactions(), c.webRoot(), c.demo(), c.nodeId(), c.journal(), c.gateway(),
        c.fairLimits(), c.statsSampleSeconds(), c.retention());
  }
}
