package org.plenum.hub;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.plenum.protocol.Role;
import org.plenum.stage.Blocklist;
import org.plenum.stage.Poll;
import org.plenum.stage.PostView;
import org.plenum.stage.Presence;
import org.plenum.stage.ReactionTotals;
import org.plenum.stage.Stage;
import org.plenum.stage.WordCloud;

/**
 * One stage as seen by one event loop: its sessions, a cache of its definitions (polls, clouds)
 * and posts, and what has changed since the last push. Aggregates are named by keys such as
 * {@code results:<pollId>}, {@code words:<cloudId>}, {@code post:<postId>} and {@code reactions}.
 * Touched only from that event loop.
 */
public final class StageRoom {
  /**
   * Most polls, word clouds and talks a {@code joined} snapshot carries (the newest polls and
   * clouds; the programme's first talks): a join never buys an unbounded answer.
   */
  public static final int SNAPSHOT_LIST_LIMIT = 200;

  Stage stage;
  /** The stage's event's word blocklist (defaults plus the organiser's words), kept current by STAGE changes. */
  Blocklist blocklist = new Blocklist(List.of());
  final Map<String, Poll> polls = new LinkedHashMap<>();
  final Map<String, WordCloud> clouds = new LinkedHashMap<>();
  final Map<String, PostView> posts = new LinkedHashMap<>();
  /** The stage's programme in order, kept current by TALKS changes. */
  List<org.plenum.stage.Talk> talks = List.of();
  final Map<Audience, Set<Subscriber>> subscribers = new EnumMap<>(Audience.class);
  /** Audience sessions by participant id, for pushes meant for one participant (their own pending post). */
  final Map<String, Set<Subscriber>> byParticipant = new HashMap<>();
  /** The participant each audience session entered as, so leaving finds it after a token switch. */
  final Map<Subscriber, String> enteredAs = new java.util.IdentityHashMap<>();
  final Map<Audience, Map<String, Long>> dirtySince = new EnumMap<>(Audience.class);
  final Map<Audience, Map<String, Long>> pushedVersion = new EnumMap<>(Audience.class);
  final Map<Audience, Map<String, SharedFrame>> lastFrame = new EnumMap<>(Audience.class);
  final Map<Audience, Boolean> tickBusy = new EnumMap<>(Audience.class);
  final Map<Audience, ReactionTotals> lastReactions = new EnumMap<>(Audience.class);
  final Map<Audience, Long> lastReactionsAt = new EnumMap<>(Audience.class);
  Future<Void> loaded;
  /** The engine's watch of the stage (changes from other nodes); the first load waits for it. */
  Future<Void> watched;
  Future<Void> definitionUpdates = Future.succeededFuture();
  long viewers;
  long presenters;
  boolean presenceReportDue;
  long presenceDirtySince;
  Presence lastPresence;

  StageRoom(Stage stage) {
    this.stage = stage;
    for (Audience a : Audience.values()) {
      subscribers.put(a, new LinkedHashSet<>());
      dirtySince.put(a, new LinkedHashMap<>());
      pushedVersion.put(a, new HashMap<>());
      lastFrame.put(a, new HashMap<>());
      tickBusy.put(a, false);
    }
  }

  public Stage stage() {
    return stage;
  }

  public Blocklist blocklist() {
    return blocklist;
  }

  public Collection<Poll> polls() {
    return polls.values();
  }

  public Poll poll(String pollId) {
    return polls.get(pollId);
  }

  public WordCloud cloud(String cloudId) {
    return clouds.get(cloudId);
  }

  public PostView post(String postId) {
    return posts.get(postId);
  }

  /** Polls a role may see: moderators all, others everything but drafts. */
  public List<Poll> pollsFor(Role role) {
    List<Poll> out = new ArrayList<>();
    for (Poll p : polls.values()) {
      if (role == Role.MODERATOR || p.isPublic()) {
        out.add(p);
      }
    }
    return out;
  }

  public List<WordCloud> cloudsFor(Role role) {
    List<WordCloud> out = new ArrayList<>();
    for (WordCloud c : clouds.values()) {
      if (role == Role.MODERATOR || c.isPublic()) {
        out.add(c);
      }
    }
    return out;
  }

  /** The last {@link #SNAPSHOT_LIST_LIMIT} items of a list in creation order. */
  static <T> List<T> newest(List<T> all) {
    return all.size() <= SNAPSHOT_LIST_LIMIT ? all : all.subList(all.size() - SNAPSHOT_LIST_LIMIT, all.size());
  }

  /** The newest frame pushed to an audience for an aggregate, for sessions that joined meanwhile. */
  public SharedFrame lastFrame(Audience audience, String aggregate) {
    return lastFrame.get(audience).get(aggregate);
  }

  public long pushedVersion(Audience audience, String aggregate) {
    return pushedVersion.get(audience).getOrDefault(aggregate, -1L);
  }

  /** Records a version an audience received inside another message (e.g. results within a poll push). */
  void rememberIfNewer(Audience audience, String aggregate, long version, java.util.function.Supplier<SharedFrame> frame) {
    if (version > pushedVersion(audience, aggregate)) {
      pushed(audience, aggregate, version, frame.get());
    }
  }

  void pushed(Audience audience, String aggregate, long version, SharedFrame frame) {
    pushedVersion.get(audience).put(aggregate, version);
    lastFrame.get(audience).put(aggregate, frame);
  }

  Presence localPresence() {
    return new Presence(viewers, subscribers.get(Audience.MODERATORS).size(), presenters);
  }

  boolean isEmpty() {
    return subscribers.get(Audience.MODERATORS).isEmpty() && subscribers.get(Audience.AUDIENCE).isEmpty();
  }

  void markDirty(Audience audience, String aggregate, long nowNanos) {
    dirtySince.get(audience).putIfAbsent(aggregate, nowNanos);
  }

  void markDirty(String aggregate, long nowNanos) {
    for (Audience a : Audience.values()) {
      markDirty(a, aggregate, nowNanos);
    }
  }
}
