package org.plenum.config;

/** A rate limit: at most {@code count} actions per {@code seconds}, written {@code count/secondss}, e.g. {@code 20/10s}. */
public record Rate(int count, int seconds) {

  public static Rate parse(String text) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,6})\\s*/\\s*(\\d{1,5})\\s*s?").matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a rate such as 20/10s");
    }
    int count = Integer.parseInt(m.group(1));
    int seconds = Integer.parseInt(m.group(2));
    if (count < 1 || seconds < 1 || seconds > 3600) {
      throw new IllegalArgumentException("'" + text + "': count at least 1, seconds 1 to 3600");
    }
    return new Rate(count, seconds);
  }

  @Override
  public String toString() {
    return count + "/" + seconds + "s";
  }
}
