package org.plenum.engine;

/** A participant adds ({@code up}) or withdraws their upvote of a post. */
public record UpvoteAction(String stageId, String postId, String participantId, String actionId, boolean up) {}
