package org.plenum.engine;

/**
 * The engine's answer to a new post: was it a retry, and which post the action id created (null
 * for a retry whose action id was first used for another kind of action).
 */
public record PostReceipt(boolean duplicate, String postId) {}
