package io.e2d.core.manager;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which etcd members a healthy node removes, as a pure function of the etcd membership, the gossip
 * view and when each member was first seen missing. Evaluated every tick by every running node;
 * duplicate removals by several nodes are harmless.
 *
 * <ul>
 *   <li>Only with a quorum: more than half of the required cluster size reachable in gossip (this node
 *       included). Without it nothing is removed and the missing-since times are forgotten, so a
 *       minority partition never changes the membership.
 *   <li>Never this node's own member.
 *   <li>A member whose peer URL is now published by a node of another name is removed at once (a
 *       replacement reuses the address).
 *   <li>A member missing from gossip (or suspected) for at least the health-check timeout is removed.
 * </ul>
 */
public final class MemberRemoval {
    private MemberRemoval() {}

    /**
     * One removal.
     *
     * @param member the member to remove
     * @param reason why, for the log
     */
    public record Removal(EtcdMember member, String reason) {}

    /**
     * The outcome of one evaluation.
     *
     * @param removals members to remove now
     * @param missingSince the member ids still missing, with the time they were first seen missing
     *     (pass it to the next evaluation)
     * @param quorum whether gossip showed a quorum
     */
    public record Result(List<Removal> removals, Map<Long, Instant> missingSince, boolean quorum) {
        public Result {
            removals = List.copyOf(removals);
            missingSince = Map.copyOf(missingSince);
        }
    }

    /** Evaluates the rules at {@code now}. */
    public static Result evaluate(
            String selfName,
            URI selfPeerUrl,
            int requiredClusterSize,
            List<EtcdMember> members,
            List<GossipPeer> gossip,
            Map<Long, Instant> missingSince,
            Instant now,
            Duration healthCheckTimeout) {
        Objects.requireNonNull(now, "now");
        List<GossipPeer> alive = gossip.stream().filter(GossipPeer::reachable).toList();
        boolean quorum = alive.size() > requiredClusterSize / 2;
        if (!quorum) {
            return new Result(List.of(), Map.of(), false);
        }
        List<Removal> removals = new ArrayList<>();
        Map<Long, Instant> stillMissing = new HashMap<>();
        for (EtcdMember m : members) {
            if (m.name().equals(selfName) || m.hasPeerUrl(selfPeerUrl)) {
                continue;
            }
            GossipPeer reuser = m.isStarted()
                    ? alive.stream()
                            .filter(p -> !p.name().equals(m.name()) && m.hasPeerUrl(p.peerUrl()))
                            .findFirst()
                            .orElse(null)
                    : null;
            if (reuser != null) {
                removals.add(
                        new Removal(m, "its peer URL " + reuser.peerUrl() + " is now used by node " + reuser.name()));
                continue;
            }
            boolean present =
                    alive.stream().anyMatch(p -> m.isStarted() ? p.name().equals(m.name()) : m.hasPeerUrl(p.peerUrl()));
            if (present) {
                continue;
            }
            Instant since = missingSince.getOrDefault(m.id(), now);
            if (!now.isBefore(since.plus(healthCheckTimeout))) {
                removals.add(new Removal(
                        m,
                        "missing from gossip since " + since + " (health-check timeout " + healthCheckTimeout + ")"));
            } else {
                stillMissing.put(m.id(), since);
            }
        }
        return new Result(removals, stillMissing, true);
    }
}
