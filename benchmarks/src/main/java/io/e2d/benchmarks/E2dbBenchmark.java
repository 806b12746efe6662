package io.e2d.benchmarks;

import io.e2d.core.server.EtcdServer;
import io.e2d.core.server.EtcdServerConfig;
import io.e2d.db.E2db;
import io.e2d.db.E2dbConfig;
import io.e2d.db.Table;
import io.e2d.db.annotation.Id;
import io.e2d.db.annotation.Index;
import io.e2d.db.annotation.Unique;
import io.e2d.testkit.FreePorts;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Throughput of e2db against raw jetcd doing the same etcd round trips, on a real etcd.
 *
 * <pre>
 * mvn -q -pl benchmarks -am package -DskipTests
 * java -cp "benchmarks/target/benchmarks.jar:$(cat benchmarks/target/classpath.txt)" \
 *     io.e2d.benchmarks.E2dbBenchmark [--endpoint http://host:2379] [--threads 8] [--seconds 2]
 * </pre>
 *
 * Without {@code --endpoint} it starts a throwaway single-member etcd on free loopback ports. Each pair runs
 * the same etcd requests: e2db adds model validation, key encoding, JSON (de)serialisation and its compares
 * bookkeeping; the raw side sends pre-encoded bytes. Output: operations per second and the e2db/raw ratio.
 */
public final class E2dbBenchmark {
    /** Id operations only. */
    public record Plain(@Id long id, String name, int n, String payload) {}

    /** A model with a unique and a secondary index. */
    public record Person(
            @Id long id, @Unique String email, @Index int team, String payload) {}

    private static final String PAYLOAD = "x".repeat(200);
    private static final int ROWS = 1_000;
    private static final int TEAMS = 100;
    private static final int ROUNDS = 4;
    private static final Duration WARM_UP = Duration.ofSeconds(5);

    private final KV kv;
    private final Table<Plain> plain;
    private final Table<Person> people;
    private final int threads;
    private final Duration measure;
    private final AtomicLong nextId = new AtomicLong(1_000_000);

    private E2dbBenchmark(Client client, E2db db, int threads, Duration measure) {
        this.kv = client.getKVClient();
        this.plain = db.table(Plain.class);
        this.people = db.table(Person.class);
        this.threads = threads;
        this.measure = measure;
    }

    public static void main(String[] args) throws Exception {
        String endpoint = null;
        int threads = 8;
        int seconds = 2;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--endpoint" -> endpoint = args[++i];
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: E2dbBenchmark [--endpoint URL] [--threads N] [--seconds S]");
                    System.exit(2);
                }
            }
        }
        EtcdServer server = null;
        Path dir = null;
        if (endpoint == null) {
            dir = Files.createTempDirectory("e2db-bench");
            URI clientUrl = URI.create("http://127.0.0.1:" + FreePorts.tcp());
            URI peerUrl = URI.create("http://127.0.0.1:" + FreePorts.tcp());
            server = EtcdServer.create(EtcdServerConfig.builder()
                    .name("bench")
                    .dataDir(dir.resolve("data"))
                    .clientUrl(clientUrl)
                    .peerUrl(peerUrl)
                    .initialClusterMember("bench", peerUrl)
                    .fastElections()
                    .build());
            server.start();
            endpoint = clientUrl.toString();
        }
        try (Client client = Client.builder().endpoints(endpoint).build();
                E2db db = E2db.using(
                        client,
                        E2dbConfig.builder()
                                .namespace("bench" + System.nanoTime())
                                .build())) {
            new E2dbBenchmark(client, db, threads, Duration.ofSeconds(seconds)).run(endpoint);
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    private void run(String endpoint) throws Exception {
        System.out.printf(
                Locale.ROOT,
                "e2db vs raw jetcd on %s, %d threads, %s per measurement, JDK %s%n",
                endpoint,
                threads,
                measure,
                Runtime.version());
        String ns = "/raw" + System.nanoTime() + "/";
        for (int i = 0; i < ROWS; i++) {
            plain.insert(new Plain(i, "name" + i, i, PAYLOAD));
            people.insert(new Person(i, "p" + i + "@example.com", i % TEAMS, PAYLOAD));
            kv.put(bytes(ns + "plain/" + i), bytes(json(i))).get(5, TimeUnit.SECONDS);
            kv.put(bytes(ns + "u/" + i), bytes(Long.toString(i))).get(5, TimeUnit.SECONDS);
            kv.put(bytes(ns + "i/" + (i % TEAMS) + "/" + i), ByteSequence.EMPTY).get(5, TimeUnit.SECONDS);
        }
        System.out.printf(Locale.ROOT, "%-34s %12s %12s %8s%n", "operation", "e2db op/s", "raw op/s", "ratio");
        compare(
                "insert (id op, 1 Txn)",
                () -> plain.insert(new Plain(nextId.incrementAndGet(), "n", 1, PAYLOAD)),
                () -> {
                    ByteSequence key = bytes(ns + "plain/" + nextId.incrementAndGet());
                    kv.txn()
                            .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.version(0)))
                            .Then(Op.put(key, bytes(json(1)), PutOption.DEFAULT))
                            .commit()
                            .get(5, TimeUnit.SECONDS);
                });
        compare("find by id (1 get)", () -> plain.get(random(ROWS)), () -> {
            GetResponse r = kv.get(bytes(ns + "plain/" + random(ROWS))).get(5, TimeUnit.SECONDS);
            r.getKvs().get(0);
        });
        compare(
                "update by id (get + Txn)",
                () -> {
                    long id = random(ROWS);
                    plain.update(new Plain(
                            id, "name" + id, ThreadLocalRandom.current().nextInt(), PAYLOAD));
                },
                () -> {
                    ByteSequence key = bytes(ns + "plain/" + random(ROWS));
                    KeyValue current =
                            kv.get(key).get(5, TimeUnit.SECONDS).getKvs().get(0);
                    kv.txn()
                            .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(current.getModRevision())))
                            .Then(Op.put(
                                    key, bytes(json(ThreadLocalRandom.current().nextInt())), PutOption.DEFAULT))
                            .commit()
                            .get(5, TimeUnit.SECONDS);
                });
        compare(
                "find by unique (2 gets)",
                () -> people.findUnique("email", "p" + random(ROWS) + "@example.com")
                        .orElseThrow(),
                () -> {
                    KeyValue id = kv.get(bytes(ns + "u/" + random(ROWS)))
                            .get(5, TimeUnit.SECONDS)
                            .getKvs()
                            .get(0);
                    kv.get(bytes(ns + "plain/" + id.getValue().toString(StandardCharsets.UTF_8)))
                            .get(5, TimeUnit.SECONDS)
                            .getKvs()
                            .get(0);
                });
        compare(
                "query by index (range + gets)",
                () -> {
                    if (people.findBy("team", random(TEAMS)).size() != ROWS / TEAMS) {
                        throw new IllegalStateException("wrong result size");
                    }
                },
                () -> {
                    ByteSequence prefix = bytes(ns + "i/" + random(TEAMS) + "/");
                    List<KeyValue> entries = kv.get(
                                    prefix,
                                    GetOption.builder()
                                            .isPrefix(true)
                                            .withKeysOnly(true)
                                            .build())
                            .get(5, TimeUnit.SECONDS)
                            .getKvs();
                    Op[] gets = entries.stream()
                            .map(e -> {
                                String k = e.getKey().toString(StandardCharsets.UTF_8);
                                return Op.get(
                                        bytes(ns + "plain/" + k.substring(k.lastIndexOf('/') + 1)), GetOption.DEFAULT);
                            })
                            .toArray(Op[]::new);
                    kv.txn().Then(gets).commit().get(5, TimeUnit.SECONDS);
                });
    }

    @FunctionalInterface
    interface Task {
        void run() throws Exception;
    }

    private void compare(String name, Task e2db, Task raw) throws Exception {
        // warm-up: at a few hundred operations per second the JIT needs seconds to compile the hot paths
        throughput(e2db, WARM_UP);
        throughput(raw, WARM_UP);
        // alternate several short rounds, so that the load of a shared machine hits both sides alike
        double e = 0;
        double r = 0;
        for (int round = 0; round < ROUNDS; round++) {
            if (round % 2 == 0) {
                e += throughput(e2db, measure);
                r += throughput(raw, measure);
            } else {
                r += throughput(raw, measure);
                e += throughput(e2db, measure);
            }
        }
        System.out.printf(Locale.ROOT, "%-34s %12.0f %12.0f %7.0f%%%n", name, e / ROUNDS, r / ROUNDS, 100 * e / r);
    }

    private double throughput(Task task, Duration duration) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "e2d-bench-" + System.identityHashCode(r));
            t.setDaemon(true);
            return t;
        });
        try {
            long end = System.nanoTime() + duration.toNanos();
            List<Future<Long>> futures = new ArrayList<>();
            long start = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    long n = 0;
                    while (System.nanoTime() < end) {
                        task.run();
                        n++;
                    }
                    return n;
                }));
            }
            long total = 0;
            for (Future<Long> f : futures) {
                total += f.get(duration.toSeconds() + 60, TimeUnit.SECONDS);
            }
            return total / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    private static long random(int bound) {
        return ThreadLocalRandom.current().nextInt(bound);
    }

    private static String json(long n) {
        return "{\"id\":" + n + ",\"name\":\"n\",\"n\":1,\"payload\":\"" + PAYLOAD + "\"}";
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
