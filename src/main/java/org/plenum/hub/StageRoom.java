package org.plenum.hub;

import io.vertx.core.Context;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.plenum.metrics.PlenumMetrics;
import org.plenum.stage.Blocklist;
import org.plenum.stage.Poll;
import org.plenum.stage.PostView;
import org.plenum.stage.Stage;
import org.plenum.stage.WordCloud;

/**
 * One stage as one event loop sees it: which of the loop's sessions are on it, in which audience,
 * and a copy of the definitions the loop's actions check (polls, clouds, posts, the stage and its
 * blocklist), kept current by the stage's {@link StageReadModel}. Touched only from its own event
 * loop ({@link #context}): the read model reaches it only by running work on that context.
 */
public final class StageRoom {
  /** The definitions a loop's copy starts from, taken on the read model's home (immutable copies). */
  record Definitions(Stage stage, Blocklist blocklist, Map<String, Poll> polls, Map<String, WordCloud> clouds,
                     Map<String, PostView> posts) {}

  /** A push that reached a session while its snapshot was being built. */
  private record Held(SharedFrame frame, long version) {}

  final Context context;
  private final PlenumMetrics metrics;
  /** The read model this room's sessions are counted at (a fresh one if the one it met had closed). */
  StageReadModel model;
  private Stage stage;
  private Blocklist blocklist = new Blocklist(java.util.List.of());
  private final Map<String, Poll> polls = new HashMap<>();
  private final Map<String, WordCloud> clouds = new HashMap<>();
  private final Map<String, PostView> posts = new HashMap<>();
  final Map<Audience, Set<Subscriber>> subscribers = new EnumMap<>(Audience.class);
  /** Audience sessions by participant id, for pushes meant for one participant (their own pending post). */
  final Map<String, Set<Subscriber>> byParticipant = new HashMap<>();
  /** The participant each audience session entered as, so leaving finds it after a token switch. */
  final Map<Subscriber, String> enteredAs = new IdentityHashMap<>();
  /** Sessions whose snapshot is being built, with the newest push per aggregate that reached them meanwhile. */
  private final Map<Subscriber, Map<String, Held>> joining = new IdentityHashMap<>();
  /** Snapshots built and not yet sent, by session. */
  private final Map<Subscriber, StageReadModel.Snapshot> snapshots = new IdentityHashMap<>();
  /**
   * Versions a session's snapshot showed before its audience was pushed them: the push of that
   * version is skipped for it (a push of a newer one lifts the floor). Usually empty.
   */
  private final Map<Subscriber, Map<String, Long>> floors = new IdentityHashMap<>();

  StageRoom(Stage stage, Context context, PlenumMetrics metrics, StageReadModel model) {
    this.stage = stage;
    this.context = context;
    this.metrics = metrics;
    this.model = model;
    for (Audience a : Audience.values()) {
      subscribers.put(a, new LinkedHashSet<>());
    }
  }

  public Stage stage() {
    return stage;
  }

  public Blocklist blocklist() {
    return blocklist;
  }

  public Poll poll(String pollId) {
    return polls.get(pollId);
  }

  /** The quiz questions this loop knows of the stage, in no particular order. */
  public java.util.List<Poll> quizzes() {
    return polls.values().stream().filter(Poll::isQuiz).toList();
  }

  public WordCloud cloud(String cloudId) {
    return clouds.get(cloudId);
  }

  public PostView post(String postId) {
    return posts.get(postId);
  }

  boolean isEmpty() {
    return subscribers.get(Audience.MODERATORS).isEmpty() && subscribers.get(Audience.AUDIENCE).isEmpty();
  }

  // ---- kept current by the read model -------------------------------------------------------

  /** The read model's definitions when this loop's session was admitted; anything newer follows. */
  void define(Definitions d) {
    stage = d.stage();
    blocklist = d.blocklist();
    d.polls().forEach(polls::put);
    d.clouds().forEach(clouds::put);
    d.posts().values().forEach(this::putPost);
  }

  void restage(Stage fresh, Blocklist words) {
    stage = fresh;
    blocklist = words;
  }

  void putPoll(Poll poll) {
    polls.put(poll.id(), poll);
  }

  void putCloud(WordCloud cloud) {
    clouds.put(cloud.id(), cloud);
  }

  /** A poll was deleted: actions naming it are refused from now on. */
  void removePoll(String pollId) {
    polls.remove(pollId);
  }

  void removeCloud(String cloudId) {
    clouds.remove(cloudId);
  }

  /** The stage was reset: its posts are gone. */
  void clearPosts() {
    posts.clear();
  }

  void putPost(PostView view) {
    PostView cached = posts.get(view.post().id());
    if (cached == null || view.version() > cached.version()) {
      posts.put(view.post().id(), view);
    }
  }

  // ---- pushes -------------------------------------------------------------------------------

  /**
   * Writes a frame of the read model to this loop's sessions of {@code audience}: only those of
   * participant {@code only} (null: all), not those of participant {@code except} (null: none).
   * A session still waiting for its snapshot keeps it, with its version, until {@link #joined}.
   */
  void deliver(Audience audience, SharedFrame frame, String aggregate, long version, String only, String except) {
    Set<Subscriber> targets = only != null ? byParticipant.get(only) : subscribers.get(audience);
    if (targets == null || targets.isEmpty()) {
      return;
    }
    Set<Subscriber> excluded = except == null ? null : byParticipant.get(except);
    int written = 0;
    for (Subscriber s : targets) {
      if (excluded != null && excluded.contains(s)) {
        continue;
      }
      Map<String, Held> held = joining.get(s);
      if (!floors.isEmpty() && version >= 0 && below(s, aggregate, version)) {
        continue;
      }
      if (held != null) {
        held.remove(aggregate); // re-insert so delivery order follows the newest change
        held.put(aggregate, new Held(frame, version));
      } else {
        s.push(frame, aggregate);
      }
      written++;
    }
    if (written > 0) {
      metrics.messageOut(frame.type(), written);
      metrics.fanout(written);
    }
  }

  /** True if the session's snapshot showed this version of the aggregate already; lifts a floor that was passed. */
  private boolean below(Subscriber s, String aggregate, long version) {
    Map<String, Long> floor = floors.get(s);
    if (floor == null) {
      return false;
    }
    Long shown = floor.get(aggregate);
    if (shown == null) {
      return false;
    }
    if (version <= shown) {
      return true;
    }
    floor.remove(aggregate);
    if (floor.isEmpty()) {
      floors.remove(s);
    }
    return false;
  }

  void joining(Subscriber s) {
    joining.put(s, new LinkedHashMap<>());
    snapshots.remove(s);
    floors.remove(s);
  }

  void snapshotted(Subscriber s, StageReadModel.Snapshot snapshot) {
    if (joining.containsKey(s)) {
      snapshots.put(s, snapshot);
    }
  }

  /**
   * The session has been sent its snapshot: the pushes it was kept meanwhile follow, except those
   * the snapshot already covers; pushes still to come of a version it showed are skipped too.
   */
  void joined(Subscriber s) {
    Map<String, Held> held = joining.remove(s);
    StageReadModel.Snapshot snapshot = snapshots.remove(s);
    if (held == null) {
      return;
    }
    Map<String, Long> shown = snapshot == null ? Map.of() : snapshot.shown();
    held.forEach((aggregate, h) -> {
      if (h.version() < 0 || h.version() > shown.getOrDefault(aggregate, -1L)) {
        s.push(h.frame(), aggregate);
      }
    });
    if (snapshot != null && !snapshot.ahead().isEmpty()) {
      Map<String, Long> floor = new HashMap<>(snapshot.ahead());
      held.forEach((aggregate, h) -> {
        if (h.version() >= floor.getOrDefault(aggregate, Long.MAX_VALUE)) {
          floor.remove(aggregate); // the audience has been pushed that version already
        }
      });
      if (!floor.isEmpty()) {
        floors.put(s, floor);
      }
    }
  }

  void left(Subscriber s) {
    joining.remove(s);
    snapshots.remove(s);
    floors.remove(s);
  }
}

