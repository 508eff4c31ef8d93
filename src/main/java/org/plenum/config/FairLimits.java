package org.plenum.config;

import java.util.List;

/**
 * Limits that keep one address, one participant or one burst of joins from taking more than its
 * share of a node. Each is counted once per node, shared by all its event loops; defaults are
 * generous enough for a venue where hundreds of phones share one Wi-Fi address (see
 * docs/security.md).
 *
 * @param connectionsPerAddress     open WebSockets from one client address
 * @param connectionsPerParticipant open WebSockets joined with one participant token
 * @param newParticipantsPerAddress participant tokens issued to one client address
 * @param joinsPerAddress           joins sent from one client address
 * @param joinsPerNode              joins this node admits, all addresses together
 * @param trustedProxies            addresses of reverse proxies whose X-Forwarded-For names the client
 * @param passcodeFailuresPerAddress wrong event passcodes one client address may try (WebSocket and REST together)
 */
public record FairLimits(int connectionsPerAddress, int connectionsPerParticipant, Rate newParticipantsPerAddress,
                         Rate joinsPerAddress, Rate joinsPerNode, List<String> trustedProxies,
                         Rate passcodeFailuresPerAddress) {

  /** The default passcode limit ({@code limitPasscodeFailuresPerAddress}). */
  public static final Rate DEFAULT_PASSCODE_FAILURES = new Rate(30, 60);

  public FairLimits(int connectionsPerAddress, int connectionsPerParticipant, Rate newParticipantsPerAddress,
                    Rate joinsPerAddress, Rate joinsPerNode, List<String> trustedProxies) {
    this(connectionsPerAddress, connectionsPerParticipant, newParticipantsPerAddress, joinsPerAddress, joinsPerNode,
        trustedProxies, DEFAULT_PASSCODE_FAILURES);
  }
}
