package io.e2d.db;

/**
 * What runs while {@link E2db#withLock} holds a lock.
 *
 * @param <R> the result
 * @param <X> the checked exception it may throw
 */
@FunctionalInterface
public interface LockedAction<R, X extends Exception> {
    R run() throws X;
}
