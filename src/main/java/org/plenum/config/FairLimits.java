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
 */
public record FairLimits(int connectionsPerAddress, int connectionsPerParticipant, Rate newParticipantsPerAddress,
                         Rate joinsPerAddress, Rate joinsPerNode, List<String> trustedProxies) {}
