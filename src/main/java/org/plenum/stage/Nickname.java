package org.plenum.stage;

import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;

/**
 * A participant's pseudonym on a stage's leaderboard. Chosen by the participant (checked by
 * {@link #chosen}) or generated from their participant id ({@link #generated}); {@code listed}
 * false opts out of the public leaderboard (their own result stays visible to them).
 */
public record Nickname(String name, boolean listed) {
  public static final int MAX_LENGTH = 24;
  private static final String[] ADJECTIVES = {"Agile", "Bold", "Bright", "Calm", "Clever", "Curious", "Eager", "Gentle",
      "Happy", "Keen", "Lucky", "Merry", "Nimble", "Quick", "Quiet", "Sharp", "Steady", "Sunny", "Swift", "Witty"};
  private static final String[] ANIMALS = {"Badger", "Beaver", "Crane", "Dolphin", "Falcon", "Fox", "Hare", "Heron",
      "Lynx", "Marten", "Otter", "Owl", "Puffin", "Raven", "Robin", "Seal", "Stork", "Swan", "Wolf", "Wren"};

  /**
   * A nickname a participant chose: stripped, 2-{@value #MAX_LENGTH} characters, no control or
   * format characters, not blocked by the event's blocklist (same normalisation as posts).
   */
  public static Nickname chosen(String raw, boolean listed, Blocklist blocklist) {
    String name = raw == null ? "" : raw.strip();
    int length = name.codePointCount(0, name.length());
    if (length < 2 || length > MAX_LENGTH) {
      throw new PlenumException(ErrorCode.INVALID_NICKNAME, "nickname: 2-" + MAX_LENGTH + " characters");
    }
    for (int i = 0; i < name.length(); ) {
      int cp = name.codePointAt(i);
      int type = Character.getType(cp);
      if (Character.isISOControl(cp) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
          || type == Character.PARAGRAPH_SEPARATOR || type == Character.PRIVATE_USE || type == Character.UNASSIGNED
          || type == Character.SURROGATE || type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK) {
        throw new PlenumException(ErrorCode.INVALID_NICKNAME, "nickname: letters, digits, spaces and punctuation only");
      }
      i += Character.charCount(cp);
    }
    if (name.contains("  ")) {
      throw new PlenumException(ErrorCode.INVALID_NICKNAME, "nickname: no runs of spaces");
    }
    if (blocklist != null) {
      blocklist.checkText(name, "nickname");
    }
    return new Nickname(name, listed);
  }

  /** The nickname a participant has until they choose one: stable for their id, e.g. "Swift Otter 42". */
  public static String generated(String participantId) {
    int h = participantId.hashCode() & 0x7fffffff;
    return ADJECTIVES[h % ADJECTIVES.length] + " " + ANIMALS[(h / ADJECTIVES.length) % ANIMALS.length] + " "
        + (h / (ADJECTIVES.length * ANIMALS.length)) % 100;
  }

  /** Stored form: "1:" or "0:" (listed or not) and the name. */
  public String encode() {
    return (listed ? "1:" : "0:") + name;
  }

  public static Nickname decode(String s) {
    return new Nickname(s.substring(2), s.charAt(0) == '1');
  }
}
