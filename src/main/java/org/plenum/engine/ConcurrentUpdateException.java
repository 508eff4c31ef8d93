package org.plenum.engine;

/** A compare-and-set update found the post changed since it was read; read again and retry. */
public class ConcurrentUpdateException extends RuntimeException {
  public ConcurrentUpdateException(String postId) {
    super("post " + postId + " changed concurrently", null, false, false);
  }
}
