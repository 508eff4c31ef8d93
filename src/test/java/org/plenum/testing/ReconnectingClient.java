package org.plenum.testing;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A viewer that survives the loss of its node, as the web client's {@code PlenumConnection}
 * (web-client/src/lib/connection.ts) does: every action waits in an insertion-ordered map until
 * its {@code ack}; a retryable error ({@code rate_limited}, {@code unavailable},
 * {@code outcome_unknown}, {@code internal}) sends it again later under the same id; when the
 * socket closes, the client connects to the next node of its list (with a growing delay while that
 * fails), joins the stage again with its participant token and only then resends every action still
 * waiting, in order, with its original id. A final error fails the action's future.
 *
 * <p>All its work runs on one event loop of its own (its sockets are opened there, so their
 * handlers run there too): no locks. Call it from anywhere.
 */
public final class ReconnectingClient {
  private static final Set<String> RETRYABLE = Set.of("rate_limited", "unavailable", "outcome_unknown", "internal");

  private final Vertx vertx;
  private final Context context;
  private final String stageId;
  private final List<Integer> ports;
  private final Map<String, Pending> pending = new LinkedHashMap<>();
  private final List<Short> closeCodes = new ArrayList<>();
  private final List<Integer> portsJoined = new ArrayList<>();
  private int portIndex;
  private WsClient ws;
  private boolean online;
  private String token;
  private String participantId;
  private int resent;
  private int duplicates;

  private final class Pending {
    final JsonObject message;
    final Promise<JsonObject> reply = Promise.promise();
    boolean sent;

    Pending(JsonObject message) {
      this.message = message;
    }
  }

  private ReconnectingClient(Vertx vertx, String stageId, List<Integer> ports) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.stageId = stageId;
    this.ports = List.copyOf(ports);
  }

  /** Connects to {@code ports[0]} and joins the stage; on losing a node it moves on to the next port of the list (cyclically). */
  public static Future<ReconnectingClient> join(Vertx vertx, String stageId, List<Integer> ports) {
    ReconnectingClient client = new ReconnectingClient(vertx, stageId, ports);
    Promise<ReconnectingClient> joined = Promise.promise();
    client.context.runOnContext(v -> client.open(0, joined));
    return joined.future();
  }

  /** Sends an action (with its {@code id}); completes with its {@code ack}, however many sockets that takes. */
  public Future<JsonObject> send(JsonObject action) {
    Promise<JsonObject> result = Promise.promise();
    context.runOnContext(v -> {
      Pending p = new Pending(action.copy());
      pending.put(action.getString("id"), p);
      p.reply.future().onComplete(result);
      if (online) {
        transmit(p, ws);
      }
    });
    return result.future();
  }

  private void open(int attempt, Promise<ReconnectingClient> joined) {
    int port = ports.get(portIndex % ports.size());
    WsClient.connect(vertx, port).compose(socket -> {
      socket.token = token;
      Promise<WsClient> joinedHere = Promise.promise();
      // a node that closes the socket before answering the join (it is shutting down): try the next
      socket.closed().onComplete(code -> joinedHere.tryFail("closed before the join was answered"));
      socket.join(stageId).onComplete(answer -> {
        if (answer.failed() || !"joined".equals(answer.result().getString("type"))) {
          socket.close();
          joinedHere.tryFail("join refused on port " + port + ": " + (answer.failed() ? answer.cause() : answer.result()));
        } else if (participantId != null && !participantId.equals(socket.participantId)) {
          joinedHere.tryFail(new AssertionError("rejoined as another participant: " + answer.result()));
        } else {
          joinedHere.tryComplete(socket);
        }
      });
      return joinedHere.future();
    }).onComplete(done -> {
      if (done.failed()) {
        portIndex++;
        vertx.setTimer(Math.min(1000, 50L << Math.min(attempt, 4)), t -> open(attempt + 1, joined));
        return;
      }
      WsClient socket = done.result();
      ws = socket;
      token = socket.token;
      participantId = socket.participantId;
      portsJoined.add(port);
      socket.closed().onComplete(code -> lost(socket, code.succeeded() ? code.result() : -1));
      online = true;
      for (Pending p : List.copyOf(pending.values())) {
        if (p.sent) {
          resent++;
        }
        transmit(p, socket);
      }
      if (joined != null) {
        joined.complete(this);
      }
    });
  }

  private void transmit(Pending p, WsClient on) {
    p.sent = true;
    on.request(p.message).onSuccess(reply -> answered(p, on, reply));
  }

  private void answered(Pending p, WsClient on, JsonObject reply) {
    if (!pending.containsKey(p.message.getString("id"))) {
      return; // answered already, on another socket
    }
    if ("ack".equals(reply.getString("type"))) {
      pending.remove(p.message.getString("id"));
      if (reply.getBoolean("duplicate", false)) {
        duplicates++;
      }
      p.reply.complete(reply);
    } else if (RETRYABLE.contains(reply.getString("code"))) {
      long delay = Math.max(20, reply.getLong("retryAfterMs", 100L));
      vertx.setTimer(delay, t -> {
        if (online && ws == on && pending.containsKey(p.message.getString("id"))) {
          transmit(p, on);
        } // else the next socket resends it
      });
    } else {
      pending.remove(p.message.getString("id"));
      p.reply.fail(new AssertionError("refused: " + p.message.encode() + " → " + reply));
    }
  }

  private void lost(WsClient socket, short code) {
    if (socket != ws) {
      return;
    }
    online = false;
    closeCodes.add(code);
    portIndex++;
    open(0, null);
  }

  /** Closes the current socket for good. */
  public Future<Void> close() {
    Promise<Void> closed = Promise.promise();
    context.runOnContext(v -> {
      WsClient socket = ws;
      ws = null;
      online = false;
      (socket == null ? Future.<Void>succeededFuture() : socket.close()).onComplete(closed);
    });
    return closed.future();
  }

  /** The close codes of the sockets this client lost, in order. Read once its work is done. */
  public List<Short> closeCodes() {
    return List.copyOf(closeCodes);
  }

  /** The ports it joined on, in order (the first is where it started). */
  public List<Integer> portsJoined() {
    return List.copyOf(portsJoined);
  }

  /** Actions sent again on a new socket because the old one closed before their answer. */
  public int resent() {
    return resent;
  }

  /** Acks with {@code duplicate: true}: resends of actions that had been applied before. */
  public int duplicates() {
    return duplicates;
  }

  public String participantId() {
    return participantId;
  }
}
