package io.e2d.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders the JSON of {@code /status} (written by {@code io.e2d.core.manager.ManagerStatus#toJson()})
 * as the text of {@code e2d status}: the answering node, a table of members and the last snapshot.
 */
public final class StatusTable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StatusTable() {}

    /**
     * Parses {@code json}.
     *
     * @throws IllegalArgumentException when it is not a JSON object
     */
    public static JsonNode parse(String json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("expected a JSON object, got " + abbreviate(json));
        }
        return node;
    }

    /** The text for {@code status}, with snapshot ages counted up to {@code now}. */
    public static String render(JsonNode status, Instant now) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                Locale.ROOT,
                "node %s: %s, %s, cluster size %d%n",
                text(status, "name"),
                text(status, "state"),
                status.path("healthy").asBoolean(false) ? "healthy" : "UNHEALTHY",
                status.path("requiredClusterSize").asInt()));
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "ID", "ROLE", "LEADER", "HEALTH", "CLIENT URL"});
        String self = text(status, "name");
        boolean selfHealthy = status.path("healthy").asBoolean(false);
        for (JsonNode m : status.path("members")) {
            String role = text(m, "role");
            String name = text(m, "name");
            List<String> urls = new ArrayList<>();
            m.path("clientUrls").forEach(u -> urls.add(u.asText()));
            rows.add(new String[] {
                name.isEmpty() ? "(not started)" : name,
                text(m, "id"),
                role.equals("LEARNER") ? "learner" : "voter",
                role.equals("LEADER") ? "*" : "",
                // only the answering node knows its own health
                name.equals(self) ? (selfHealthy ? "healthy" : "unhealthy") : "-",
                urls.isEmpty() ? "-" : String.join(",", urls)
            });
        }
        if (rows.size() == 1) {
            sb.append("members: unknown (etcd could not be asked)").append(System.lineSeparator());
        } else {
            appendTable(sb, rows);
        }
        JsonNode last = status.path("lastSnapshot");
        if (last.isTextual()) {
            sb.append("last snapshot: ").append(last.asText());
            try {
                Duration age = Duration.between(Instant.parse(last.asText()), now);
                sb.append(" (").append(GoDurations.format(age.isNegative() ? Duration.ZERO : age.withNanos(0)));
                sb.append(" ago)");
            } catch (DateTimeParseException e) {
                // keep the raw value
            }
            JsonNode snapshotName = status.path("lastSnapshotName");
            if (snapshotName.isTextual()) {
                sb.append(", ").append(snapshotName.asText());
            }
        } else {
            sb.append("last snapshot: none by this node");
        }
        sb.append(System.lineSeparator());
        long failures = status.path("snapshotFailures").asLong();
        if (failures > 0) {
            sb.append("snapshot failures: ").append(failures).append(System.lineSeparator());
        }
        return sb.toString();
    }

    private static void appendTable(StringBuilder sb, List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(row[i]);
                if (i < row.length - 1) {
                    line.append(" ".repeat(widths[i] - row[i].length() + 2));
                }
            }
            sb.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isValueNode() && !v.isNull() ? v.asText() : "";
    }

    private static String abbreviate(String s) {
        String one = s.strip().replaceAll("\\s+", " ");
        return one.length() > 80 ? one.substring(0, 80) + "..." : one;
    }
}
