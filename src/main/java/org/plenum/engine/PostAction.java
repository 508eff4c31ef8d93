package org.plenum.engine;

import org.plenum.stage.Post;

/** A new post under a client action id (the post carries its author, stage and id). */
public record PostAction(String actionId, Post post) {}
