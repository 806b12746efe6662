package io.e2d.core.server;

import java.util.Locale;

/** etcd's {@code --auto-compaction-mode}: how the auto-compaction retention is read. */
public enum AutoCompactionMode {
    /** The retention is a duration such as {@code 1h} or {@code 30m}. */
    PERIODIC,
    /** The retention is a number of revisions to keep. */
    REVISION;

    /** The flag value etcd expects. */
    public String flagValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
