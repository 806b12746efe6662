package io.e2d.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.e2d.db.annotation.Id;
import io.e2d.db.annotation.Index;
import io.e2d.db.annotation.Unique;
import io.e2d.testing.EtcdExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Transactions and concurrency against a real etcd: atomicity, retries, unique races, no lost update. */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class TransactionIT {
    @RegisterExtension
    static final EtcdExtension ETCD = EtcdExtension.single();

    /** Bound of etcd requests and waits: generous, CI machines can be heavily loaded. */
    private static final java.time.Duration SLOW = java.time.Duration.ofSeconds(30);

    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static final int THREADS = 8;

    record Account(@Id String name, @Index String owner, long balance) {
        Account plus(long delta) {
            return new Account(name, owner, balance + delta);
        }
    }

    record User(@Id(autoIncrement = true) long id, @Unique String login) {}

    private E2db db;
    private Table<Account> accounts;
    private Table<User> users;
    private ExecutorService pool;

    @BeforeEach
    void open() {
        db = E2db.using(
                ETCD.client(),
                E2dbConfig.builder()
                        .requestTimeout(SLOW)
                        .namespace("tx" + NAMESPACES.incrementAndGet())
                        .transactionRetries(500)
                        .build());
        accounts = db.table(Account.class);
        users = db.table(User.class);
        pool = Executors.newFixedThreadPool(THREADS);
    }

    @AfterEach
    void close() {
        pool.shutdownNow();
        db.close();
    }

    @Test
    void transferIsAtomicAndReadsItsOwnWrites() {
        accounts.insert(new Account("alice", "a", 100));
        accounts.insert(new Account("bob", "b", 0));
        long seen = db.inTransaction(tx -> {
            Account from = tx.get(Account.class, "alice");
            Account to = tx.get(Account.class, "bob");
            tx.update(from.plus(-30));
            tx.update(to.plus(30));
            tx.insert(new Account("carol", "c", 5));
            return tx.get(Account.class, "alice").balance()
                    + tx.find(Account.class, "carol").orElseThrow().balance();
        });
        assertThat(seen).isEqualTo(75);
        assertThat(accounts.get("alice").balance()).isEqualTo(70);
        assertThat(accounts.get("bob").balance()).isEqualTo(30);
        assertThat(accounts.findBy("owner", "c")).extracting(Account::name).containsExactly("carol");
    }

    @Test
    void anExceptionAbortsEverything() {
        accounts.insert(new Account("alice", "a", 100));
        assertThatThrownBy(() -> db.inTransaction(tx -> {
                    tx.update(tx.get(Account.class, "alice").plus(-100));
                    tx.insert(new Account("dave", "d", 1));
                    throw new java.io.IOException("abort");
                }))
                .isInstanceOf(java.io.IOException.class);
        assertThat(accounts.get("alice").balance()).isEqualTo(100);
        assertThat(accounts.find("dave")).isEmpty();
        assertThatThrownBy(() -> db.inTransaction(tx -> {
                    tx.insert(new User(0, "same"));
                    return tx.insert(new User(0, "same"));
                }))
                .isInstanceOf(UniqueConstraintException.class);
        assertThat(users.count()).isZero();
    }

    @Test
    void aConflictRetriesTheCallbackWithoutLosingTheOtherWrite() {
        accounts.insert(new Account("alice", "a", 100));
        AtomicInteger attempts = new AtomicInteger();
        db.inTransaction(tx -> {
            Account a = tx.get(Account.class, "alice");
            if (attempts.incrementAndGet() == 1) {
                accounts.update("alice", x -> x.plus(1)); // a concurrent writer, between read and commit
            }
            return tx.update(a.plus(10));
        });
        assertThat(attempts.get()).isEqualTo(2);
        assertThat(accounts.get("alice").balance()).isEqualTo(111);
    }

    @Test
    void givesUpAfterTheConfiguredAttempts() {
        accounts.insert(new Account("alice", "a", 0));
        E2db impatient = E2db.using(
                ETCD.client(), db.config().toBuilder().transactionRetries(3).build());
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> impatient.inTransaction(tx -> {
                    attempts.incrementAndGet();
                    Account a = tx.get(Account.class, "alice");
                    accounts.update("alice", x -> x.plus(1));
                    return tx.update(a.plus(100));
                }))
                .isInstanceOf(TransactionConflictException.class)
                .hasMessageContaining("3 times");
        assertThat(attempts.get()).isEqualTo(3);
        assertThat(accounts.get("alice").balance()).isEqualTo(3);
    }

    @Test
    void manyThreadsInsertingOneUniqueValueExactlyOneWins() throws Exception {
        for (int round = 0; round < 5; round++) {
            String login = "login" + round;
            List<Future<Boolean>> results = race(() -> {
                try {
                    users.insert(new User(0, login));
                    return true;
                } catch (UniqueConstraintException e) {
                    return false;
                }
            });
            long winners = results.stream().filter(TransactionIT::get).count();
            assertThat(winners).as("winners of round %d", round).isEqualTo(1);
            assertThat(users.query().filter(Filter.eq("login", login)).count()).isEqualTo(1);
        }
        assertThat(users.count()).isEqualTo(5);
        // ids were generated without collision under contention
        assertThat(users.all()).extracting(User::id).doesNotHaveDuplicates();
    }

    @Test
    void manyThreadsInsertingOneIdExactlyOneWins() throws Exception {
        List<Future<Boolean>> results = race(() -> {
            try {
                accounts.insert(new Account("shared", Thread.currentThread().getName(), 1));
                return true;
            } catch (DuplicateIdException e) {
                return false;
            }
        });
        assertThat(results.stream().filter(TransactionIT::get).count()).isEqualTo(1);
        // exactly one index entry: the loser's owner was never indexed
        assertThat(accounts.query()
                        .filter(Filter.eq("owner", accounts.get("shared").owner()))
                        .count())
                .isEqualTo(1);
    }

    @Test
    void concurrentUpdatesOfOneRowLoseNothing() throws Exception {
        accounts.insert(new Account("counter", "c", 0));
        int perThread = 15;
        race(() -> {
                    for (int i = 0; i < perThread; i++) {
                        accounts.update("counter", a -> a.plus(1));
                    }
                    return true;
                })
                .forEach(TransactionIT::get);
        race(() -> {
                    for (int i = 0; i < perThread; i++) {
                        db.inTransaction(
                                tx -> tx.update(tx.get(Account.class, "counter").plus(1)));
                    }
                    return true;
                })
                .forEach(TransactionIT::get);
        assertThat(accounts.get("counter").balance()).isEqualTo(2L * THREADS * perThread);
    }

    @Test
    void conditionalUpdatesFromOneVersionExactlyOneWins() throws Exception {
        accounts.insert(new Account("cas", "c", 0));
        Versioned<Account> read = accounts.findVersioned("cas").orElseThrow();
        List<Future<Boolean>> results = race(() -> {
            try {
                accounts.update(read.value().plus(1), read.revision());
                return true;
            } catch (OptimisticLockException e) {
                return false;
            }
        });
        assertThat(results.stream().filter(TransactionIT::get).count()).isEqualTo(1);
        assertThat(accounts.get("cas").balance()).isEqualTo(1);
    }

    private List<Future<Boolean>> race(Callable<Boolean> task) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> futures = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            futures.add(pool.submit(() -> {
                start.await();
                return task.call();
            }));
        }
        start.countDown();
        return futures;
    }

    private static boolean get(Future<Boolean> f) {
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
