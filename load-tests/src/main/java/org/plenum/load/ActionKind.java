package org.plenum.load;

/** The audience actions of protocol v1, each acknowledged with {@code ack} or answered with {@code error}. */
public enum ActionKind {
  VOTE("vote"),
  WORD("word"),
  POST("post"),
  UPVOTE("upvote"),
  REACT("react");

  public final String wire;

  ActionKind(String wire) {
    this.wire = wire;
  }
}
