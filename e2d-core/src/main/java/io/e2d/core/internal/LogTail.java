package io.e2d.core.internal;

import java.util.ArrayDeque;
import java.util.List;

/** The last N lines of a process's output; thread-safe. */
public final class LogTail {
    private final int capacity;
    private final ArrayDeque<String> lines;

    public LogTail(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.capacity = capacity;
        this.lines = new ArrayDeque<>(capacity);
    }

    public synchronized void add(String line) {
        if (lines.size() == capacity) {
            lines.removeFirst();
        }
        lines.addLast(line);
    }

    /** The kept lines, oldest first. */
    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }
}
