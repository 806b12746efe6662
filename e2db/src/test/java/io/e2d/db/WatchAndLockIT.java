package io.e2d.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.e2d.db.annotation.Id;
import io.e2d.testing.EtcdExtension;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.options.GetOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Typed watches and distributed locks against a real etcd. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WatchAndLockIT {
    @RegisterExtension
    static final EtcdExtension ETCD = EtcdExtension.single();

    /** Bound of etcd requests and waits: generous, CI machines can be heavily loaded. */
    private static final java.time.Duration SLOW = java.time.Duration.ofSeconds(30);

    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    record Item(@Id String id, int qty) {}

    /** Collects events as text lines. */
    static final class Recorder implements TableListener<Item> {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void inserted(Item row, long revision) {
            events.add("inserted " + row);
        }

        @Override
        public void updated(@Nullable Item before, Item after, long revision) {
            events.add("updated " + before + " -> " + after);
        }

        @Override
        public void deleted(String id, @Nullable Item before, long revision) {
            events.add("deleted " + id + " " + before);
        }

        @Override
        public void failed(E2dbException error) {
            events.add("failed " + error.getMessage());
        }
    }

    private E2db db;
    private Table<Item> items;
    private String namespace;

    @BeforeEach
    void open() {
        namespace = "wl" + NAMESPACES.incrementAndGet();
        db = E2db.using(
                ETCD.client(),
                E2dbConfig.builder().requestTimeout(SLOW).namespace(namespace).build());
        items = db.table(Item.class);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void watchReportsInsertsUpdatesAndDeletesWithOldAndNewValues() {
        Recorder recorder = new Recorder();
        try (Subscription s = items.watch(recorder)) {
            items.insert(new Item("a", 1));
            items.update(new Item("a", 2));
            items.delete("a");
            await().atMost(SLOW).untilAsserted(() -> assertThat(recorder.events)
                    .containsExactly(
                            "inserted Item[id=a, qty=1]",
                            "updated Item[id=a, qty=1] -> Item[id=a, qty=2]",
                            "deleted a Item[id=a, qty=2]"));
        }
    }

    @Test
    void watchFromARevisionReplaysHistoryAndCloseStopsEvents() {
        items.insert(new Item("old", 1));
        long revision = items.findVersioned("old").orElseThrow().revision();
        items.update(new Item("old", 5));
        Recorder replay = new Recorder();
        Recorder live = new Recorder();
        Subscription first = items.watch(revision, replay);
        try (Subscription second = items.watch(live)) {
            await().atMost(SLOW).untilAsserted(() -> assertThat(replay.events)
                    .containsExactly(
                            "inserted Item[id=old, qty=1]", "updated Item[id=old, qty=1] -> Item[id=old, qty=5]"));
            first.close();
            first.close();
            items.insert(new Item("new", 1));
            await().atMost(SLOW)
                    .untilAsserted(() -> assertThat(live.events).containsExactly("inserted Item[id=new, qty=1]"));
            assertThat(replay.events).hasSize(2);
        }
    }

    @Test
    void withLockRunsTheActionHoldingAnEtcdLock() {
        String prefix = "/" + namespace + "/_locks/";
        int held = db.withLock(
                "report/nightly", Duration.ofSeconds(5), () -> lockKeys(prefix).size());
        assertThat(held).isEqualTo(1);
        assertThat(lockKeys(prefix)).isEmpty();
        assertThatThrownBy(() -> db.withLock("report/nightly", Duration.ofSeconds(5), () -> {
                    throw new java.io.IOException("boom");
                }))
                .isInstanceOf(java.io.IOException.class);
        assertThat(lockKeys(prefix)).isEmpty();
    }

    @Test
    void withLockExcludesOtherHolders() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger maxInside = new AtomicInteger();
            AtomicInteger runs = new AtomicInteger();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 5; i++) {
                        db.withLock("counter", Duration.ofSeconds(5), () -> {
                            maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            // hold the lock across an etcd round trip so that overlaps would show
                            items.upsert(new Item("c", runs.incrementAndGet()));
                            inside.decrementAndGet();
                            return null;
                        });
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
            assertThat(maxInside.get()).isEqualTo(1);
            assertThat(items.get("c").qty()).isEqualTo(20);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void waitingForAHeldLockTimesOutClearly() throws Exception {
        CountDownLatch acquired = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> holder = pool.submit(() -> db.withLock("busy", Duration.ofSeconds(5), () -> {
                acquired.countDown();
                return release.await(20, TimeUnit.SECONDS);
            }));
            assertThat(acquired.await(10, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> db.withLock("busy", Duration.ofSeconds(5), Duration.ofMillis(300), () -> "never"))
                    .isInstanceOf(LockTimeoutException.class)
                    .hasMessageContaining("'busy'");
            release.countDown();
            holder.get(10, TimeUnit.SECONDS);
            assertThat(db.withLock("busy", Duration.ofSeconds(5), Duration.ofSeconds(5), () -> "mine"))
                    .isEqualTo("mine");
        } finally {
            pool.shutdownNow();
        }
    }

    private List<String> lockKeys(String prefix) {
        try {
            return ETCD
                    .client()
                    .getKVClient()
                    .get(
                            ByteSequence.from(prefix, StandardCharsets.UTF_8),
                            GetOption.builder().isPrefix(true).build())
                    .get(5, TimeUnit.SECONDS)
                    .getKvs()
                    .stream()
                    .map(kv -> kv.getKey().toString(StandardCharsets.UTF_8))
                    .toList();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
