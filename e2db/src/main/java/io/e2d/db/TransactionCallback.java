package io.e2d.db;

/**
 * The body of {@link E2db#inTransaction}: may run several times (once per attempt), so it must not have side
 * effects outside the {@link Transaction}.
 *
 * @param <R> the result
 * @param <X> the checked exception it may throw
 */
@FunctionalInterface
public interface TransactionCallback<R, X extends Exception> {
    R inTransaction(Transaction tx) throws X;
}
