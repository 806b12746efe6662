package io.e2d.db;

import java.util.Objects;

/**
 * A row together with the etcd mod revision it was read at; pass the revision to
 * {@link Table#update(Object, long)} for an update that fails if someone else changed the row meanwhile.
 *
 * @param value the row
 * @param revision the etcd mod revision of the row when it was read
 * @param <T> the model type
 */
public record Versioned<T>(T value, long revision) {
    public Versioned {
        Objects.requireNonNull(value, "value");
        if (revision <= 0) {
            throw new IllegalArgumentException("revision must be positive, got " + revision);
        }
    }
}
