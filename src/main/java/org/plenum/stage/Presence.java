package org.plenum.stage;

/** How many sessions of each role are on a stage. */
public record Presence(long viewers, long moderators, long presenters) {
  public static final Presence NONE = new Presence(0, 0, 0);

  public Presence plus(Presence o) {
    return new Presence(viewers + o.viewers, moderators + o.moderators, presenters + o.presenters);
  }
}
