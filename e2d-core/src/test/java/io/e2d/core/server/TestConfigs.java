package io.e2d.core.server;

import io.e2d.testkit.FreePorts;
import java.net.URI;
import java.nio.file.Path;

/** Single-member configs on free loopback ports with fast elections, for the integration tests. */
final class TestConfigs {
    private TestConfigs() {}

    static int freePort() {
        return FreePorts.tcp();
    }

    static EtcdServerConfig.Builder single(String name, Path dataDir) {
        return EtcdServerConfig.builder()
                .name(name)
                .dataDir(dataDir)
                .clientUrl(URI.create("http://127.0.0.1:" + freePort()))
                .peerUrl(URI.create("http://127.0.0.1:" + freePort()))
                .fastElections()
                .startTimeout(java.time.Duration.ofSeconds(30))
                .stopTimeout(java.time.Duration.ofSeconds(5));
    }
}
