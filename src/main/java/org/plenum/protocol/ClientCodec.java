package org.plenum.protocol;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one text frame into a {@link ClientMessage}, or refuses it with the code the protocol
 * names. The only place that knows the wire shape of client messages.
 */
public final class ClientCodec {
  private ClientCodec() {}

  /** A refusal that still knows the action id the client sent, so the error can carry it. */
  public static final class Refused extends PlenumException {
    private final String actionId;

    Refused(String actionId, PlenumException cause) {
      super(cause.code(), cause.getMessage());
      this.actionId = actionId;
    }

    public String actionId() {
      return actionId;
    }
  }

  public static ClientMessage decode(String text) {
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new Refused(null, new PlenumException(ErrorCode.BAD_JSON, "The frame is not a JSON object."));
    }
    Object rawId = json.getValue("id");
    String id = rawId instanceof String s && ActionId.isValid(s) ? s : null;
    try {
      return decode(json, rawId);
    } catch (PlenumException e) {
      throw new Refused(id, e);
    } catch (ClassCastException e) {
      throw new Refused(id, new PlenumException(ErrorCode.INVALID_FIELD, "A field has the wrong type."));
    }
  }

  private static ClientMessage decode(JsonObject json, Object rawId) {
    Object type = json.getValue("type");
    if (!(type instanceof String t)) {
      throw new PlenumException(ErrorCode.UNKNOWN_TYPE,
          "type: missing; expected join, vote, word, post, answer, survey, upvote, delete, react, posts, nickname, standing or ping");
    }
    switch (t) {
      case "join":
        return join(json, requiredId(rawId));
      case "vote":
        return vote(json, requiredId(rawId));
      case "word":
        return new ClientMessage.Word(requiredId(rawId), required(json, "cloudId"), required(json, "text"));
      case "post":
        return new ClientMessage.Post(requiredId(rawId), required(json, "kind"), required(json, "text"),
            optionalString(json, "name"));
      case "upvote":
        return new ClientMessage.Upvote(requiredId(rawId), required(json, "postId"), optionalBoolean(json, "up", true));
      case "delete":
        return new ClientMessage.Delete(requiredId(rawId), required(json, "postId"));
      case "react":
        return new ClientMessage.React(requiredId(rawId), required(json, "emoji"));
      case "posts":
        return posts(json, requiredId(rawId));
      case "survey":
        return SurveyAnswersCodec.decode(json, requiredId(rawId));
      case "answer":
        return new ClientMessage.Answer(requiredId(rawId), required(json, "pollId"), required(json, "text"),
            optionalString(json, "name"));
      case "ping":
        return new ClientMessage.Ping(rawId == null ? null : requiredId(rawId));
      case "nickname":
        return new ClientMessage.Nickname(requiredId(rawId), optionalString(json, "nickname"),
            optionalBoolean(json, "listed", true));
      case "standing":
        return new ClientMessage.Standing(requiredId(rawId));
      default:
        throw new PlenumException(ErrorCode.UNKNOWN_TYPE, "type: '" + abbreviate(t) + "' is not a client message; "
            + "expected join, vote, word, post, answer, survey, upvote, delete, react, posts, nickname, standing or ping");
    }
  }

  private static ClientMessage.Join join(JsonObject json, String id) {
    String stageId = optionalString(json, "stageId");
    String code = optionalString(json, "code");
    if (stageId == null && code == null) {
      throw new PlenumException(ErrorCode.MISSING_FIELD, "stageId or code: one of them is required");
    }
    if (stageId != null && code != null) {
      // which one would win is a guess the client should not have to make
      throw new PlenumException(ErrorCode.INVALID_FIELD, "stageId and code: send only one of them");
    }
    String roleText = optionalString(json, "role");
    Role role = roleText == null ? Role.VIEWER : Role.parse(roleText);
    String auth = optionalString(json, "auth");
    String sourceText = optionalString(json, "source");
    org.plenum.stage.JoinSource source = org.plenum.stage.JoinSource.parse(sourceText);
    if (source == null) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, "source: must be hall or stream (or left out)");
    }
    String passcode = optionalString(json, "passcode");
    if (passcode != null && passcode.length() > 8 * org.plenum.stage.Passcode.MAX_CHARS) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, "passcode: at most " + org.plenum.stage.Passcode.MAX_CHARS + " characters");
    }
    return new ClientMessage.Join(id, stageId, code, role, auth, optionalString(json, "token"), source, passcode);
  }

  private static ClientMessage.Posts posts(JsonObject json, String id) {
    Object limitRaw = json.getValue("limit");
    Integer limit = null;
    if (limitRaw != null) {
      if (!(limitRaw instanceof Integer || limitRaw instanceof Long) || ((Number) limitRaw).longValue() < 1
          || ((Number) limitRaw).longValue() > 1000) {
        throw new PlenumException(ErrorCode.INVALID_FIELD, "limit: a whole number from 1 to 1000");
      }
      limit = ((Number) limitRaw).intValue();
    }
    return new ClientMessage.Posts(id, required(json, "stageId"), required(json, "before"), limit);
  }

  private static ClientMessage.Vote vote(JsonObject json, String id) {
    String pollId = optionalString(json, "pollId");
    if (pollId == null) {
      throw new PlenumException(ErrorCode.MISSING_FIELD, "pollId: required");
    }
    Object choicesRaw = json.getValue("choices");
    Object ratingRaw = json.getValue("rating");
    if (choicesRaw == null && ratingRaw == null) {
      throw new PlenumException(ErrorCode.MISSING_FIELD, "choices or rating: one of them is required");
    }
    if (choicesRaw != null && ratingRaw != null) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, "choices and rating: send only one of them");
    }
    List<String> choices = null;
    if (choicesRaw != null) {
      if (!(choicesRaw instanceof JsonArray array)) {
        throw new PlenumException(ErrorCode.INVALID_FIELD, "choices: must be an array of option ids");
      }
      if (array.size() > 100) {
        throw new PlenumException(ErrorCode.TOO_MANY_SELECTIONS, "choices: far more choices than any poll has");
      }
      choices = new ArrayList<>(array.size());
      for (Object o : array) {
        if (!(o instanceof String s)) {
          throw new PlenumException(ErrorCode.INVALID_FIELD, "choices: must be an array of option ids (strings)");
        }
        choices.add(s);
      }
    }
    Integer rating = null;
    if (ratingRaw != null) {
      if (!(ratingRaw instanceof Integer || ratingRaw instanceof Long)) {
        throw new PlenumException(ErrorCode.INVALID_FIELD, "rating: must be a whole number");
      }
      long r = ((Number) ratingRaw).longValue();
      rating = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, r));
    }
    return new ClientMessage.Vote(id, pollId, choices, rating);
  }

  private static String requiredId(Object rawId) {
    if (rawId == null) {
      throw new PlenumException(ErrorCode.MISSING_FIELD, "id: every action needs a client action id");
    }
    if (!(rawId instanceof String s) || !ActionId.isValid(s)) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, "id: an action id is 1-64 characters of A-Z a-z 0-9 _ - : .");
    }
    return s;
  }

  private static String required(JsonObject json, String field) {
    String v = optionalString(json, field);
    if (v == null) {
      throw new PlenumException(ErrorCode.MISSING_FIELD, field + ": required");
    }
    return v;
  }

  private static boolean optionalBoolean(JsonObject json, String field, boolean otherwise) {
    Object v = json.getValue(field);
    if (v == null) {
      return otherwise;
    }
    if (!(v instanceof Boolean b)) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, field + ": must be true or false");
    }
    return b;
  }

  private static String optionalString(JsonObject json, String field) {
    Object v = json.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, field + ": must be a string");
    }
    if (s.length() > 4096) {
      throw new PlenumException(ErrorCode.INVALID_FIELD, field + ": too long");
    }
    return s;
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
