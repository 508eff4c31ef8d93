package org.plenum.engine;

/** The join code of a new stage is already in use; pick another. */
public class CodeTakenException extends RuntimeException {
  public CodeTakenException(String code) {
    super("join code " + code + " is taken", null, false, false);
  }
}
