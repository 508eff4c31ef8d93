package org.plenum.protocol;

import java.util.regex.Pattern;

/** A client-generated action id: the idempotency key of one client action. */
public record ActionId(String value) {
  private static final Pattern FORM = Pattern.compile("[A-Za-z0-9_\\-:.]{1,64}");

  public ActionId {
    if (value == null || !FORM.matcher(value).matches()) {
      throw new PlenumException(ErrorCode.INVALID_FIELD,
          "id: an action id is 1-64 characters of A-Z a-z 0-9 _ - : .");
    }
  }

  public static boolean isValid(String value) {
    return value != null && FORM.matcher(value).matches();
  }

  @Override
  public String toString() {
    return value;
  }
}
