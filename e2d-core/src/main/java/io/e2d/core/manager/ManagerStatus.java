package io.e2d.core.manager;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A point-in-time view of the manager and its cluster, for {@code e2d status}, {@code /healthz} and
 * {@code /metrics}.
 *
 * @param name this node's name
 * @param state the manager's state
 * @param healthy whether the local etcd runs and answers
 * @param requiredClusterSize the configured cluster size
 * @param members the etcd members with their roles (empty when etcd could not be asked)
 * @param lastSnapshot the time of the last successful snapshot taken by this node, if any
 * @param lastSnapshotName its name
 * @param snapshotFailures snapshot attempts that failed since start
 * @param removedMembers members this node removed since start
 */
public record ManagerStatus(
        String name,
        EtcdManager.State state,
        boolean healthy,
        int requiredClusterSize,
        List<Member> members,
        Optional<Instant> lastSnapshot,
        Optional<String> lastSnapshotName,
        long snapshotFailures,
        long removedMembers) {
    public ManagerStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        members = List.copyOf(members);
        Objects.requireNonNull(lastSnapshot, "lastSnapshot");
        Objects.requireNonNull(lastSnapshotName, "lastSnapshotName");
    }

    /** The role of a member. */
    public enum Role {
        LEADER,
        FOLLOWER,
        LEARNER
    }

    /**
     * One etcd member.
     *
     * @param id member id (hex)
     * @param name member name (empty until it started)
     * @param role its role
     * @param peerUrls peer URLs
     * @param clientUrls client URLs
     */
    public record Member(String id, String name, Role role, List<URI> peerUrls, List<URI> clientUrls) {
        public Member {
            peerUrls = List.copyOf(peerUrls);
            clientUrls = List.copyOf(clientUrls);
        }
    }

    /** Voting members. */
    public long voters() {
        return members.stream().filter(m -> m.role() != Role.LEARNER).count();
    }

    /** The leader's name, when one is known. */
    public Optional<String> leader() {
        return members.stream()
                .filter(m -> m.role() == Role.LEADER)
                .map(Member::name)
                .findFirst();
    }

    /** As JSON (no library needed by callers). */
    public String toJson() {
        StringBuilder sb = new StringBuilder();
        sb.append("{\"name\":")
                .append(q(name))
                .append(",\"state\":")
                .append(q(state.name()))
                .append(",\"healthy\":")
                .append(healthy)
                .append(",\"requiredClusterSize\":")
                .append(requiredClusterSize)
                .append(",\"leader\":")
                .append(leader().map(ManagerStatus::q).orElse("null"))
                .append(",\"lastSnapshot\":")
                .append(lastSnapshot.map(i -> q(i.toString())).orElse("null"))
                .append(",\"lastSnapshotName\":")
                .append(lastSnapshotName.map(ManagerStatus::q).orElse("null"))
                .append(",\"snapshotFailures\":")
                .append(snapshotFailures)
                .append(",\"removedMembers\":")
                .append(removedMembers)
                .append(",\"members\":[");
        for (int i = 0; i < members.size(); i++) {
            Member m = members.get(i);
            sb.append(i == 0 ? "" : ",")
                    .append("{\"id\":")
                    .append(q(m.id()))
                    .append(",\"name\":")
                    .append(q(m.name()))
                    .append(",\"role\":")
                    .append(q(m.role().name()))
                    .append(",\"peerUrls\":")
                    .append(urls(m.peerUrls()))
                    .append(",\"clientUrls\":")
                    .append(urls(m.clientUrls()))
                    .append('}');
        }
        return sb.append("]}").toString();
    }

    private static String urls(List<URI> urls) {
        return urls.stream().map(u -> q(u.toString())).collect(java.util.stream.Collectors.joining(",", "[", "]"));
    }

    static String q(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
