package org.plenum.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.plenum.load.PollLedger.Outcome;
import org.plenum.load.PollLedger.Range;

/**
 * Exactly-once bookkeeping of questions, comments and feedback, and of upvotes. A post's
 * {@code ack} names its id, so unlike votes every post can be followed by identity: the server
 * must list each acknowledged post once, with its kind and text, and no other; a post without an
 * answer may or may not exist (the count becomes a range). Upvotes: per question and
 * participant the last acknowledged {@code up} value decides whether they are counted.
 */
public final class PostLedger {

  /** A post as acknowledged. */
  public static final class Posted {
    public final String postId;
    public final String stageId;
    public final String kind;
    public final String text;
    public final int participant;
    public final long sentNanos;
    /** When the moderator's REST approve / reject was sent (-1: not moderated). */
    public volatile long moderatedNanos = -1;
    /** "approve", "reject" or null. */
    public volatile String decision;
    public final boolean premoderated;

    Posted(String postId, String stageId, String kind, String text, int participant, long sentNanos,
           boolean premoderated) {
      this.postId = postId;
      this.stageId = stageId;
      this.kind = kind;
      this.text = text;
      this.participant = participant;
      this.sentNanos = sentNanos;
      this.premoderated = premoderated;
    }

    /** The state the server must report at the end. */
    public String expectedState() {
      if (!premoderated) {
        return "published";
      }
      if ("approve".equals(decision)) {
        return "published";
      }
      if ("reject".equals(decision)) {
        return "rejected";
      }
      return "pending";
    }
  }

  private record Sent(String stageId, String kind, String text, long sentNanos, boolean premoderated) {
  }

  private final Map<String, Sent> inFlight = new HashMap<>();
  private final Map<String, Posted> posts = new LinkedHashMap<>();
  private final Map<String, Posted> byAction = new HashMap<>();
  private final Map<String, long[]> perStage = new TreeMap<>(); // stageId -> {acked, inDoubt}
  private final List<String> idConflicts = new ArrayList<>();
  private long applied;
  private long duplicates;
  private long rejected;
  private long unknown;

  // ---- upvotes: postId -> participant -> state
  private static final class Vote {
    Boolean applied; // last acknowledged value (null: none)
    Boolean inDoubt;
    long firstUpSentNanos = -1;
  }

  private record UpSent(String postId, int participant, boolean up, long sentNanos) {
  }

  private final Map<String, UpSent> upInFlight = new HashMap<>();
  private final Map<String, Map<Integer, Vote>> upvotes = new HashMap<>();
  private long upApplied;
  private long upDuplicates;
  private long upRejected;
  private long upUnknown;

  public synchronized void sent(int participant, String actionId, String stageId, String kind, String text,
                                long sentNanos, boolean premoderated) {
    inFlight.putIfAbsent(participant + "/" + actionId, new Sent(stageId, kind, text, sentNanos, premoderated));
    perStage.computeIfAbsent(stageId, k -> new long[2]);
  }

  /** Returns the post when this answer created or re-confirmed it. */
  public synchronized Posted outcome(int participant, String actionId, Outcome outcome, String postId) {
    String key = participant + "/" + actionId;
    Sent s = inFlight.remove(key);
    if (s == null) {
      if (outcome == Outcome.DUPLICATE) {
        duplicates++;
        Posted earlier = byAction.get(key);
        if (earlier != null && postId != null && !postId.equals(earlier.postId)) {
          idConflicts.add("resent post action " + actionId + " answered postId " + postId + ", first ack said "
              + earlier.postId);
        }
        return earlier;
      }
      return null;
    }
    long[] st = perStage.get(s.stageId());
    switch (outcome) {
      case APPLIED, DUPLICATE -> {
        if (outcome == Outcome.APPLIED) {
          applied++;
        } else {
          duplicates++;
        }
        if (postId == null || postId.isEmpty()) {
          idConflicts.add("post ack without postId (action " + actionId + ")");
          return null;
        }
        if (posts.containsKey(postId)) {
          idConflicts.add("two post actions were answered with the same postId " + postId);
          return posts.get(postId);
        }
        Posted p = new Posted(postId, s.stageId(), s.kind(), s.text(), participant, s.sentNanos(), s.premoderated());
        posts.put(postId, p);
        byAction.put(key, p);
        st[0]++;
        return p;
      }
      case REJECTED -> rejected++;
      case UNKNOWN -> {
        unknown++;
        st[1]++;
      }
    }
    return null;
  }

  public synchronized int settleInFlight() {
    List<String> left = new ArrayList<>(inFlight.keySet());
    for (String k : left) {
      int slash = k.indexOf('/');
      outcome(Integer.parseInt(k.substring(0, slash)), k.substring(slash + 1), Outcome.UNKNOWN, null);
    }
    List<String> ups = new ArrayList<>(upInFlight.keySet());
    for (String k : ups) {
      upOutcome(k, Outcome.UNKNOWN);
    }
    return left.size() + ups.size();
  }

  public synchronized Posted post(String postId) {
    return posts.get(postId);
  }

  public synchronized List<Posted> posts() {
    return new ArrayList<>(posts.values());
  }

  public synchronized List<Posted> postsOn(String stageId) {
    return posts.values().stream().filter(p -> p.stageId.equals(stageId)).toList();
  }

  // ---- upvotes

  public synchronized void upSent(int participant, String actionId, String postId, boolean up, long sentNanos) {
    upInFlight.putIfAbsent(participant + "/" + actionId, new UpSent(postId, participant, up, sentNanos));
    upvotes.computeIfAbsent(postId, k -> new HashMap<>()).computeIfAbsent(participant, k -> new Vote());
  }

  public synchronized void upOutcome(int participant, String actionId, Outcome outcome) {
    upOutcome(participant + "/" + actionId, outcome);
  }

  private void upOutcome(String key, Outcome outcome) {
    UpSent s = upInFlight.remove(key);
    if (s == null) {
      if (outcome == Outcome.DUPLICATE) {
        upDuplicates++;
      }
      return;
    }
    Vote v = upvotes.get(s.postId()).get(s.participant());
    switch (outcome) {
      case APPLIED, DUPLICATE -> {
        if (outcome == Outcome.APPLIED) {
          upApplied++;
        } else {
          upDuplicates++;
        }
        if (s.up() && !Boolean.TRUE.equals(v.applied) && v.firstUpSentNanos < 0) {
          v.firstUpSentNanos = s.sentNanos();
        }
        v.applied = s.up();
        v.inDoubt = null;
      }
      case REJECTED -> upRejected++;
      case UNKNOWN -> {
        upUnknown++;
        v.inDoubt = s.up();
      }
    }
  }

  /** Whether the participant's last acknowledged upvote of the post is "up". */
  public synchronized boolean upvotes(String postId, int participant) {
    Map<Integer, Vote> m = upvotes.get(postId);
    Vote v = m == null ? null : m.get(participant);
    return v != null && Boolean.TRUE.equals(v.applied);
  }

  public synchronized Range expectedUpvotes(String postId) {
    long min = 0;
    long max = 0;
    for (Vote v : upvotes.getOrDefault(postId, Map.of()).values()) {
      boolean a = Boolean.TRUE.equals(v.applied);
      if (v.inDoubt == null) {
        min += a ? 1 : 0;
        max += a ? 1 : 0;
      } else {
        min += a && v.inDoubt ? 1 : 0;
        max += a || v.inDoubt ? 1 : 0;
      }
    }
    return new Range(min, max);
  }

  /** Send times of the upvotes that first made each participant an upvoter of the post, ascending. */
  public synchronized long[] firstUpSendTimes(String postId) {
    return upvotes.getOrDefault(postId, Map.of()).values().stream().mapToLong(v -> v.firstUpSentNanos)
        .filter(t -> t >= 0).sorted().toArray();
  }

  public synchronized List<String> upvotedPosts() {
    return new ArrayList<>(upvotes.keySet());
  }

  // ---- the check

  public record StageCheck(String stageId, boolean passed, Range expectedPosts, long serverPosts,
                           long upvotesChecked, List<String> mismatches) {
  }

  /**
   * @param serverPosts the stage's posts as {@code GET /api/v1/stages/{id}/posts} lists them with the
   *                    organiser token (every post but deleted ones)
   */
  public synchronized StageCheck check(String stageId, JsonNode serverPosts) {
    List<String> mismatches = new ArrayList<>();
    long[] st = perStage.getOrDefault(stageId, new long[2]);
    Range expected = new Range(st[0], st[0] + st[1]);
    Map<String, Integer> seen = new HashMap<>();
    long upChecked = 0;
    int listed = 0;
    for (JsonNode p : serverPosts) {
      listed++;
      String id = p.path("id").asText();
      seen.merge(id, 1, Integer::sum);
      Posted mine = posts.get(id);
      if (mine == null) {
        if (st[1] == 0) {
          mismatches.add("post " + id + " listed but never acknowledged: " + abbreviate(p.toString()));
        }
        continue;
      }
      if (!mine.kind.equals(p.path("kind").asText())) {
        mismatches.add("post " + id + ": kind " + p.path("kind").asText() + ", sent " + mine.kind);
      }
      if (!mine.text.equals(p.path("text").asText())) {
        mismatches.add("post " + id + ": text '" + abbreviate(p.path("text").asText()) + "', sent '"
            + abbreviate(mine.text) + "'");
      }
      if (!mine.expectedState().equals(p.path("state").asText())) {
        mismatches.add("post " + id + ": state " + p.path("state").asText() + ", expected " + mine.expectedState());
      }
      if (upvotes.containsKey(id)) {
        Range r = expectedUpvotes(id);
        long got = p.path("upvotes").asLong(-1);
        upChecked++;
        if (!r.contains(got)) {
          mismatches.add("post " + id + ": upvotes " + got + ", acknowledged " + r);
        }
      } else if (p.path("upvotes").asLong(0) != 0) {
        mismatches.add("post " + id + ": upvotes " + p.path("upvotes").asLong() + ", none sent");
      }
    }
    for (Posted p : posts.values()) {
      if (p.stageId.equals(stageId) && !seen.containsKey(p.postId)) {
        mismatches.add("acknowledged post " + p.postId + " is not listed (lost)");
      }
    }
    seen.forEach((id, n) -> {
      if (n > 1) {
        mismatches.add("post " + id + " listed " + n + " times (doubled)");
      }
    });
    if (!expected.contains(listed)) {
      mismatches.add("posts: server lists " + listed + ", acknowledged " + expected);
    }
    for (String c : idConflicts) {
      mismatches.add(c);
    }
    return new StageCheck(stageId, mismatches.isEmpty(), expected, listed, upChecked, mismatches);
  }

  private static String abbreviate(String s) {
    return s.length() > 120 ? s.substring(0, 120) + "…" : s;
  }

  public synchronized long applied() {
    return applied;
  }

  public synchronized long duplicates() {
    return duplicates;
  }

  public synchronized long rejected() {
    return rejected;
  }

  public synchronized long unknown() {
    return unknown;
  }

  public synchronized long upApplied() {
    return upApplied;
  }

  public synchronized long upDuplicates() {
    return upDuplicates;
  }

  public synchronized long upRejected() {
    return upRejected;
  }

  public synchronized long upUnknown() {
    return upUnknown;
  }
}
