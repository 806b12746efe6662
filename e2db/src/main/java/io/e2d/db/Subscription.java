package io.e2d.db;

/** A registration (of a watch listener) that ends when closed. {@link #close()} is idempotent and never throws. */
public interface Subscription extends AutoCloseable {
    @Override
    void close();
}
