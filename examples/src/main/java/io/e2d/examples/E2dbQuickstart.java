package io.e2d.examples;

import io.e2d.core.server.EtcdServer;
import io.e2d.core.server.EtcdServerConfig;
import io.e2d.db.E2db;
import io.e2d.db.E2dbConfig;
import io.e2d.db.Filter;
import io.e2d.db.Subscription;
import io.e2d.db.Table;
import io.e2d.db.TableListener;
import io.e2d.db.UniqueConstraintException;
import io.e2d.db.annotation.Encrypted;
import io.e2d.db.annotation.Id;
import io.e2d.db.annotation.Index;
import io.e2d.db.annotation.Required;
import io.e2d.db.annotation.Unique;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A tour of e2db: models, CRUD, unique constraints, queries, a transaction, a watch and a lock.
 *
 * <pre>
 * mvn -q -pl examples -am package -DskipTests
 * java -cp "examples/target/classes:$(mvn -q -pl examples dependency:build-classpath -Dmdep.outputFile=/dev/stdout)" \
 *     io.e2d.examples.E2dbQuickstart [http://127.0.0.1:2379]
 * </pre>
 *
 * Without an endpoint it starts a throwaway etcd (the {@code etcd} binary must be installed) and removes it
 * at the end.
 */
public final class E2dbQuickstart {
    /** A user account: the id is generated, the login is unique, the team indexed, the token encrypted. */
    public record User(
            @Id(autoIncrement = true) long id,
            @Unique @Required String login,
            @Index String team,
            int karma,
            Instant joined,
            @Encrypted @Nullable String apiToken) {
        User withKarma(int k) {
            return new User(id, login, team, k, joined, apiToken);
        }
    }

    private E2dbQuickstart() {}

    public static void main(String[] args) throws Exception {
        EtcdServer etcd = null;
        String endpoint;
        if (args.length > 0) {
            endpoint = args[0];
        } else {
            etcd = startThrowawayEtcd();
            endpoint = etcd.clientUrls().get(0).toString();
        }
        byte[] key = new byte[32]; // in real life: from a secret store, the same for every client
        new SecureRandom().nextBytes(key);
        E2dbConfig config = E2dbConfig.builder()
                .endpoints(endpoint)
                .namespace("quickstart-" + System.currentTimeMillis())
                .encryptionKey(key)
                .build();
        try (E2db db = E2db.connect(config)) {
            tour(db);
        } finally {
            if (etcd != null) {
                etcd.close();
            }
        }
    }

    private static void tour(E2db db) throws Exception {
        Table<User> users = db.table(User.class);
        try (Subscription watch = users.watch(new TableListener<>() {
            @Override
            public void inserted(User row, long revision) {
                System.out.println("  [watch] inserted " + row.login() + " at revision " + revision);
            }

            @Override
            public void updated(@Nullable User before, User after, long revision) {
                System.out.println("  [watch] " + after.login() + " karma " + (before == null ? "?" : before.karma())
                        + " -> " + after.karma());
            }
        })) {
            Instant now = Instant.now();
            User ada = users.insert(new User(0, "ada", "compilers", 10, now, "tok-ada"));
            users.insert(new User(0, "grace", "compilers", 7, now, null));
            users.insert(new User(0, "linus", "kernels", 3, now, "tok-linus"));
            System.out.println("inserted ada with generated id " + ada.id());

            try {
                users.insert(new User(0, "ada", "other", 0, now, null));
            } catch (UniqueConstraintException e) {
                System.out.println("second 'ada' refused: " + e.getMessage());
            }

            System.out.println("by login: " + users.findUnique("login", "linus").orElseThrow());
            System.out.println("team compilers: "
                    + users.findBy("team", "compilers").stream()
                            .map(User::login)
                            .toList());
            System.out.println("karma > 5, best first: "
                    + users.query().filter(Filter.gt("karma", 5)).orderBy("karma").reverse().list().stream()
                            .map(User::login)
                            .toList());

            // read-modify-write without lost updates, retried on conflict
            users.update(ada.id(), u -> u.withKarma(u.karma() + 1));

            // several rows, atomically
            db.inTransaction(tx -> {
                User from = tx.findUnique(User.class, "login", "ada").orElseThrow();
                User to = tx.findUnique(User.class, "login", "linus").orElseThrow();
                tx.update(from.withKarma(from.karma() - 5));
                return tx.update(to.withKarma(to.karma() + 5));
            });

            String report = db.withLock("karma-report", Duration.ofSeconds(10), () -> users.all().stream()
                    .map(u -> u.login() + "=" + u.karma())
                    .toList()
                    .toString());
            System.out.println("under lock: " + report + ", " + users.count() + " users");
            System.out.println("ada's token decrypts to " + users.get(ada.id()).apiToken());
        }
    }

    private static EtcdServer startThrowawayEtcd() throws IOException {
        Path dir = Files.createTempDirectory("e2db-quickstart");
        URI clientUrl = URI.create("http://127.0.0.1:" + freePort());
        URI peerUrl = URI.create("http://127.0.0.1:" + freePort());
        EtcdServer etcd = EtcdServer.create(EtcdServerConfig.builder()
                .name("quickstart")
                .dataDir(dir.resolve("data"))
                .clientUrl(clientUrl)
                .peerUrl(peerUrl)
                .initialClusterMember("quickstart", peerUrl)
                .fastElections()
                .build());
        etcd.start();
        return etcd;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
