package io.e2d.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.e2d.core.manager.EtcdManager;
import io.e2d.core.manager.ManagerStatus;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link StatusTable} renders what the real {@link ManagerStatus#toJson()} writes. */
@Timeout(10)
class StatusTableTest {

    private static final Instant SNAPSHOT = Instant.parse("2026-11-24T06:00:00Z");

    private static ManagerStatus status(List<ManagerStatus.Member> members, Optional<Instant> lastSnapshot) {
        return new ManagerStatus(
                "node-a",
                EtcdManager.State.RUNNING,
                true,
                3,
                members,
                lastSnapshot,
                lastSnapshot.map(t -> "etcd.snapshot"),
                0,
                0);
    }

    private static ManagerStatus.Member member(String id, String name, ManagerStatus.Role role, int port) {
        return new ManagerStatus.Member(
                id,
                name,
                role,
                List.of(URI.create("http://10.0.0.1:" + (port + 1))),
                List.of(URI.create("http://10.0.0.1:" + port)));
    }

    @Test
    void membersWithRolesLeaderMarkHealthAndSnapshotAge() {
        ManagerStatus s = status(
                List.of(
                        member("8e9e05c52164694d", "node-a", ManagerStatus.Role.FOLLOWER, 2379),
                        member("91bc3c398fb3c146", "node-b", ManagerStatus.Role.LEADER, 3379),
                        member("fd422379fda50e48", "node-c", ManagerStatus.Role.LEARNER, 4379)),
                Optional.of(SNAPSHOT));

        String text = StatusTable.render(StatusTable.parse(s.toJson()), SNAPSHOT.plusSeconds(90));
        List<String> lines = text.lines().toList();

        assertThat(lines.get(0)).isEqualTo("node node-a: RUNNING, healthy, cluster size 3");
        assertThat(lines.get(1)).startsWith("NAME").contains("ID", "ROLE", "LEADER", "HEALTH", "CLIENT URL");
        assertThat(lines.get(2)).matches("node-a +8e9e05c52164694d +voter +healthy +http://10\\.0\\.0\\.1:2379");
        assertThat(lines.get(3)).matches("node-b +91bc3c398fb3c146 +voter +\\* +- +http://10\\.0\\.0\\.1:3379");
        assertThat(lines.get(4)).matches("node-c +fd422379fda50e48 +learner +- +http://10\\.0\\.0\\.1:4379");
        assertThat(lines.get(5)).isEqualTo("last snapshot: 2026-11-24T06:00:00Z (1m30s ago), etcd.snapshot");
        assertThat(lines).hasSize(6);
        // columns line up
        assertThat(lines.get(2).indexOf("8e9e")).isEqualTo(lines.get(1).indexOf("ID"));
        assertThat(lines.get(3).indexOf('*')).isEqualTo(lines.get(1).indexOf("LEADER"));
    }

    @Test
    void noMembersAndNoSnapshotAreSaid() {
        String text = StatusTable.render(
                StatusTable.parse(status(List.of(), Optional.empty()).toJson()), SNAPSHOT);

        assertThat(text).contains("members: unknown").contains("last snapshot: none by this node");
    }

    @Test
    void notAnObjectIsRefused() {
        assertThatThrownBy(() -> StatusTable.parse("[1,2]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StatusTable.parse("<html>")).isInstanceOf(IllegalArgumentException.class);
    }
}
