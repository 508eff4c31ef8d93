package org.plenum.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The Lua scripts of the Redis engine, read once from {@code src/main/resources/redis/*.lua}. Each
 * carries the SHA-1 Redis knows it by, so the engine can call EVALSHA without asking Redis first
 * (and fall back to EVAL when a restarted or failed-over Redis has an empty script cache).
 */
final class RedisScripts {
  /** A script's name (the metrics tag), its source and the SHA-1 EVALSHA names it by. */
  record Script(String name, String source, String sha) {}

  /** Prepended to the scripts that accept an interaction: it counts it in the same step. */
  private static final String STATS_COUNT = read("stats_count");

  static final Script VOTE = counting("vote");
  static final Script SAVE_POLL = load("save_poll");
  static final Script CLOSE_POLL = load("close_poll");
  static final Script PRESENCE_REPORT = load("presence_report");
  static final Script PRESENCE_READ = load("presence_read");
  static final Script SAVE_CLOUD = load("save_cloud");
  static final Script SUBMIT_WORD = counting("submit_word");
  static final Script HIDE_WORD = load("hide_word");
  static final Script MERGE_WORDS = load("merge_words");
  static final Script CLOUD_READ = load("cloud_read");
  static final Script SUBMIT_POST = counting("submit_post");
  static final Script UPDATE_POST = load("update_post");
  static final Script UPVOTE = counting("upvote");
  static final Script POSTS_READ = load("posts_read");
  static final Script REACT = counting("react");
  static final Script TAKE_ALLOWANCE = load("take_allowance");
  static final Script RECORD_SAMPLE = load("record_sample");
  static final Script SCAN_DELETE = load("scan_delete");
  static final Script REORDER_LIST = load("reorder_list");
  static final Script REORDER_ZSET = load("reorder_zset");
  static final Script UNVOTE = load("unvote");
  static final Script SURVEY_RESPOND = load("survey_respond");
  static final Script SUBMIT_ANSWER = counting("submit_answer");
  static final Script QUIZ_ANSWER = counting("quiz_answer");
  static final Script QUIZ_BOARD = load("quiz_board");
  static final Script QUIZ_STANDING = load("quiz_standing");

  static final List<Script> ALL = List.of(VOTE, SAVE_POLL, CLOSE_POLL, PRESENCE_REPORT, PRESENCE_READ, SAVE_CLOUD, SUBMIT_WORD,
      HIDE_WORD, MERGE_WORDS, CLOUD_READ, SUBMIT_POST, UPDATE_POST, UPVOTE, POSTS_READ, REACT,
      TAKE_ALLOWANCE, RECORD_SAMPLE, SCAN_DELETE, REORDER_LIST, REORDER_ZSET,
      UNVOTE, SURVEY_RESPOND, SUBMIT_ANSWER, QUIZ_ANSWER, QUIZ_BOARD, QUIZ_STANDING);

  private RedisScripts() {}

  private static Script load(String name) {
    String source = read(name);
    return new Script(name, source, sha1(source));
  }

  private static Script counting(String name) {
    String source = STATS_COUNT + read(name);
    return new Script(name, source, sha1(source));
  }

  // Class initialisation reads a few small classpath resources once; no event loop is involved.
  private static String read(String name) {
    String resource = "/redis/" + name + ".lua";
    try (InputStream in = RedisScripts.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  private static String sha1(String source) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required by every Java platform", e);
    }
  }
}
