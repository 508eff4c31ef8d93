package org.plenum.stage;

/**
 * A post as read from the engine: the post, how many participants upvote it, and a version that
 * grows with every change of either (edits, moderation, upvotes), on every node.
 */
public record PostView(Post post, long upvotes, long version) {}
