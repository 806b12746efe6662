package io.e2d.discovery.internal.aws;

import io.e2d.discovery.DiscoveryException;
import io.e2d.discovery.DiscoveryOptions;
import io.e2d.discovery.PeerAddress;
import io.e2d.discovery.PeerDiscoveries;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Runs one AWS discovery without explicit credentials, in a JVM whose environment {@link
 * AwsMissingCredentialsIT} controls. Arguments: spec, endpoint of the local AWS stand-in. Prints {@code PEERS
 * ...} (exit 0) or {@code FAILED <exception class>: <message>} (exit 3), as {@code e2d run} would report it.
 */
public final class NoCredentialsMain {
    private NoCredentialsMain() {}

    public static void main(String[] args) {
        URI endpoint = URI.create(args[1]);
        DiscoveryOptions options = DiscoveryOptions.builder()
                .awsEndpoint(endpoint)
                .imdsEndpoint(endpoint)
                .timeout(Duration.ofSeconds(5))
                .build();
        try {
            List<PeerAddress> peers = PeerDiscoveries.forSpec(args[0], options).discover();
            System.out.println("PEERS " + peers);
        } catch (DiscoveryException e) {
            System.out.println("FAILED " + e.getClass().getSimpleName() + ": " + e.getMessage());
            System.exit(3);
        }
    }
}
