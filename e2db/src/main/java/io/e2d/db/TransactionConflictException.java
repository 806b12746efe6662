package io.e2d.db;

/**
 * A transaction could not commit: what it read kept changing under it for every allowed attempt
 * ({@code E2dbConfig.transactionRetries}). Nothing was written by the last attempt.
 */
public final class TransactionConflictException extends E2dbException {
    private static final long serialVersionUID = 1L;
    private final int attempts;

    public TransactionConflictException(int attempts) {
        super(
                "transaction conflicted " + attempts
                        + " times with concurrent writers and was given up; retry later or raise E2dbConfig.transactionRetries");
        this.attempts = attempts;
    }

    public int attempts() {
        return attempts;
    }
}
