package io.e2d.core.manager;

import static io.e2d.core.manager.TestNode.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Writes {@code /w/<i>} keys in a loop through the nodes {@code via} returns (asked again after every
 * failure and every 50 writes, so nodes may come and go), remembering every write etcd acknowledged
 * and the longest time without an acknowledgement. {@link #assertNoAckedWriteLost} reads everything
 * back.
 */
final class AckedWriter implements AutoCloseable {
    private static final String PREFIX = "/w/";

    private final Supplier<List<TestNode>> via;
    private final ConcurrentLinkedQueue<String> acked = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong lastAck = new AtomicLong(System.nanoTime());
    private final AtomicLong longestGapNanos = new AtomicLong();
    private final Thread thread;

    private AckedWriter(Supplier<List<TestNode>> via) {
        this.via = via;
        this.thread = new Thread(this::run, "test-writer");
    }

    /** Starts writing and waits for the first acknowledged writes. */
    static AckedWriter start(Supplier<List<TestNode>> via) {
        AckedWriter w = new AckedWriter(via);
        w.thread.start();
        w.awaitMore(20);
        return w;
    }

    private void run() {
        int i = 0;
        while (!stop.get()) {
            try (Client c = TestNode.client(via.get())) {
                for (int n = 0; n < 50 && !stop.get(); n++, i++) {
                    String k = PREFIX + i;
                    c.getKVClient().put(bytes(k), bytes("v" + i)).get(5, TimeUnit.SECONDS);
                    acked.add(k);
                    long now = System.nanoTime();
                    long gap = now - lastAck.getAndSet(now);
                    longestGapNanos.accumulateAndGet(gap, Math::max);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                // not acknowledged: the key may or may not be there; ask for the nodes again
                i++;
            }
        }
    }

    /** Waits until {@code n} more writes were acknowledged: the cluster accepts writes now. */
    void awaitMore(int n) {
        int target = acked.size() + n;
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> acked.size() >= target);
    }

    int acknowledged() {
        return acked.size();
    }

    /** The longest time between two acknowledged writes so far. */
    Duration longestGap() {
        return Duration.ofNanos(longestGapNanos.get());
    }

    /** Stops writing, then checks that every acknowledged key is readable through {@code node}. */
    void assertNoAckedWriteLost(TestNode node) throws Exception {
        close();
        try (Client c = node.client()) {
            Set<String> all = c
                    .getKVClient()
                    .get(bytes(PREFIX), GetOption.builder().isPrefix(true).build())
                    .get(10, TimeUnit.SECONDS)
                    .getKvs()
                    .stream()
                    .map(kv -> kv.getKey().toString(StandardCharsets.UTF_8))
                    .collect(Collectors.toSet());
            assertThat(all).containsAll(acked);
        }
        LoggerFactory.getLogger(AckedWriter.class)
                .info(
                        "{} acknowledged writes all read back; longest time without an acknowledgement {} ms",
                        acked.size(),
                        longestGap().toMillis());
    }

    @Override
    public void close() {
        stop.set(true);
        try {
            thread.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
