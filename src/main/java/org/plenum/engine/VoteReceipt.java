package org.plenum.engine;

/** The engine's answer to an applied vote: was it a retry of an earlier action, and the new version. */
public record VoteReceipt(boolean duplicate, long version) {}
