package org.plenum.gateway;

import org.plenum.config.Rate;
import org.plenum.protocol.ErrorCode;
import org.plenum.protocol.PlenumException;
import org.plenum.stage.Event;
import org.plenum.stage.Passcode;

/**
 * The gate of a closed event ({@link Event#passcode()}), one per node, shared by every event loop
 * and by the REST API: an audience caller (a viewer or presenter join, a REST read without a
 * token) must give the event's passcode. Wrong attempts are counted per client address
 * ({@code limitPasscodeFailuresPerAddress}); once an address has spent them, every attempt from it
 * is refused {@code rate_limited} before it is compared, right or wrong, so guessing gains nothing
 * from a blocked address. Right attempts cost nothing: a venue's shared Wi-Fi address is not
 * locked out by hundreds of people typing the passcode correctly.
 */
public final class PasscodeAttempts {
  /** Far more addresses than a node sees guessing in one window; past it new ones are refused until a sweep. */
  private static final int MAX_ADDRESSES = 100_000;

  private final SharedBuckets failures;
  private final ClientAddress addresses;

  PasscodeAttempts(Rate failuresPerAddress, ClientAddress addresses) {
    this.failures = new SharedBuckets(failuresPerAddress, MAX_ADDRESSES);
    this.addresses = addresses;
  }

  /** The address a REST request's attempts count against: as for WebSockets, behind trusted proxies the forwarded one. */
  public String addressOf(io.vertx.core.net.SocketAddress peer, io.vertx.core.MultiMap headers) {
    return addresses.of(peer, headers);
  }

  /**
   * Lets {@code attempt} from {@code address} into {@code event}, or throws: {@code
   * passcode_required} (none given), {@code wrong_passcode} (counted), {@code rate_limited} (too
   * many wrong ones from this address; with the wait). An open event lets everyone in.
   */
  public void admit(Event event, String attempt, String address, long nowNanos) {
    if (!event.closed()) {
      return;
    }
    long wait = failures.waitFor(address, nowNanos);
    if (wait > 0) {
      throw new PlenumException(ErrorCode.RATE_LIMITED,
          "Too many wrong passcodes from your network address; retry in " + wait + " ms.", wait);
    }
    if (attempt == null || attempt.isBlank()) {
      throw new PlenumException(ErrorCode.PASSCODE_REQUIRED,
          "This event is closed: give its passcode (join field passcode, or the X-Plenum-Passcode header).");
    }
    if (!Passcode.matches(event.passcode(), attempt)) {
      failures.tryAcquire(address, nowNanos);
      throw new PlenumException(ErrorCode.WRONG_PASSCODE, "That is not this event's passcode.");
    }
  }

  /** Frees the buckets of addresses that may guess again in full; called periodically. */
  public void sweep(long nowNanos) {
    failures.sweep(nowNanos);
  }
}
