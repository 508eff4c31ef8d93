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
import org.plenum.stage.Poll;
import org.plenum.stage.Presence;
import org.plenum.stage.Stage;

/**
 * One stage as seen by one event loop: its sessions, a cache of its polls, and what has changed
 * since the last push. Touched only from that event loop.
 */
public final class StageRoom {
  final Stage stage;
  final Map<String, Poll> polls = new LinkedHashMap<>();
  final Map<Audience, Set<Subscriber>> subscribers = new EnumMap<>(Audience.class);
  final Map<Audience, Map<String, Long>> dirtySince = new EnumMap<>(Audience.class);
  final Map<Audience, Map<String, Long>> pushedVersion = new EnumMap<>(Audience.class);
  final Map<Audience, Map<String, SharedFrame>> lastResults = new EnumMap<>(Audience.class);
  final Map<Audience, Boolean> tickBusy = new EnumMap<>(Audience.class);
  Future<Void> loaded;
  Future<Void> pollUpdates = Future.succeededFuture();
  long viewers;
  long presenters;
  boolean presenceReportDue;
  long presenceDirtySince;
  Presence lastPresence;
  SharedFrame lastPresenceFrame;

  StageRoom(Stage stage) {
    this.stage = stage;
    for (Audience a : Audience.values()) {
      subscribers.put(a, new LinkedHashSet<>());
      dirtySince.put(a, new LinkedHashMap<>());
      pushedVersion.put(a, new HashMap<>());
      lastResults.put(a, new HashMap<>());
      tickBusy.put(a, false);
    }
  }

  public Stage stage() {
    return stage;
  }

  /** The stage's polls in creation order (this loop's cache, kept current by POLL changes). */
  public Collection<Poll> polls() {
    return polls.values();
  }

  public Poll poll(String pollId) {
    return polls.get(pollId);
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

  /** The newest results frame pushed to an audience for a poll and its version, for late joiners. */
  public SharedFrame lastResultsFrame(Audience audience, String pollId) {
    return lastResults.get(audience).get(pollId);
  }

  public long pushedVersion(Audience audience, String pollId) {
    return pushedVersion.get(audience).getOrDefault(pollId, -1L);
  }

  Presence localPresence() {
    return new Presence(viewers, subscribers.get(Audience.MODERATORS).size(), presenters);
  }

  boolean isEmpty() {
    return subscribers.get(Audience.MODERATORS).isEmpty() && subscribers.get(Audience.AUDIENCE).isEmpty();
  }

  void markDirty(Audience audience, String pollId, long nowNanos) {
    dirtySince.get(audience).putIfAbsent(pollId, nowNanos);
  }
}
