package io.e2d.core.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ManagerStatusTest {
    final ManagerStatus status = new ManagerStatus(
            "n1",
            EtcdManager.State.RUNNING,
            true,
            3,
            List.of(
                    new ManagerStatus.Member(
                            "1", "n1", ManagerStatus.Role.LEADER, List.of(URI.create("http://a:2380")), List.of()),
                    new ManagerStatus.Member("2", "n\"2", ManagerStatus.Role.LEARNER, List.of(), List.of())),
            Optional.of(Instant.parse("2026-01-01T00:00:00Z")),
            Optional.of("snap"),
            2,
            1);

    @Test
    void json_hasMembersRolesAndEscapes() {
        assertThat(status.toJson())
                .contains("\"leader\":\"n1\"")
                .contains("\"role\":\"LEARNER\"")
                .contains("\"name\":\"n\\\"2\"")
                .contains("\"lastSnapshot\":\"2026-01-01T00:00:00Z\"");
        assertThat(status.voters()).isEqualTo(1);
    }

    @Test
    void metrics_includeSnapshotAge() {
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:01:30Z"), ZoneOffset.UTC);
        String m = StatusHttpServer.metrics(status, clock);
        assertThat(m)
                .contains("e2d_last_snapshot_age_seconds 90\n")
                .contains("e2d_is_leader 1\n")
                .contains("e2d_learners 1\n")
                .contains("# TYPE e2d_snapshot_failures_total counter\n");
    }
}
