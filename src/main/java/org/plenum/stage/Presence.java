package org.plenum.stage;

/**
 * How many sessions of each role are on a stage; of the viewers, how many joined from the hall link and
 * how many from the stream link ({@link JoinSource}; the rest joined otherwise).
 */
public record Presence(long viewers, long moderators, long presenters, long viewersHall, long viewersStream) {
  public static final Presence NONE = new Presence(0, 0, 0, 0, 0);

  /** Without the split by join source (all viewers "other"). */
  public Presence(long viewers, long moderators, long presenters) {
    this(viewers, moderators, presenters, 0, 0);
  }

  /** Viewers who joined neither from the hall link nor from the stream link. */
  public long viewersOther() {
    return viewers - viewersHall - viewersStream;
  }

  public Presence plus(Presence o) {
    return new Presence(viewers + o.viewers, moderators + o.moderators, presenters + o.presenters,
        viewersHall + o.viewersHall, viewersStream + o.viewersStream);
  }
}
