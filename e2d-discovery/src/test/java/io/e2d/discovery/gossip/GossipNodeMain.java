package io.e2d.discovery.gossip;

import io.e2d.discovery.DiscoveryOptions;
import io.e2d.discovery.PeerAddress;
import io.e2d.discovery.PeerDiscoveries;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One gossip node in its own JVM, driven by {@link GossipProcess}. Arguments: name, gossip port, seeds
 * ({@code host:port,...} or {@code -}), key hex or {@code -}, probe interval ms or {@code -} (defaults),
 * failure timeout ms or {@code -}, and optionally TLS files {@code cert,key,ca}. Prints {@code STARTED}, {@code EVENT <epoch ms> <kind> <name> <status>} and
 * {@code MEMBERS <name>=<status>@<clientUrl>,...} lines; reads {@code status <STATUS>}, {@code members} and
 * {@code exit} from stdin.
 */
public final class GossipNodeMain {
    private GossipNodeMain() {}

    public static void main(String[] args) throws IOException {
        String name = args[0];
        int port = Integer.parseInt(args[1]);
        MembershipConfig.Builder b = MembershipConfig.builder()
                .name(name)
                .gossipAddress(new PeerAddress("127.0.0.1", port))
                .clientUrl("http://127.0.0.1:" + (port + 1))
                .peerUrl("http://127.0.0.1:" + (port + 2))
                .requiredClusterSize(3)
                .version("test");
        if (!args[2].equals("-")) {
            b.seeds(PeerDiscoveries.forBootstrapAddrs(args[2], DiscoveryOptions.defaults())
                    .discover());
        }
        if (!args[3].equals("-")) {
            b.authenticationKey(HexFormat.of().parseHex(args[3]));
        }
        if (!args[4].equals("-")) {
            b.probeInterval(Duration.ofMillis(Long.parseLong(args[4])));
        }
        if (!args[5].equals("-")) {
            b.failureTimeout(Duration.ofMillis(Long.parseLong(args[5])));
        }
        if (args.length > 6 && !args[6].equals("-")) {
            String[] files = args[6].split(",");
            b.tls(new GossipTls(Path.of(files[0]), Path.of(files[1]), Path.of(files[2])));
        }
        try (Membership m = Membership.create(b.build())) {
            m.addListener(new MembershipListener() {
                @Override
                public void onJoin(GossipMember member) {
                    event("JOIN", member, m);
                }

                @Override
                public void onUpdate(GossipMember member) {
                    event("UPDATE", member, m);
                }

                @Override
                public void onSuspect(GossipMember member) {
                    event("SUSPECT", member, m);
                }

                @Override
                public void onLeave(GossipMember member) {
                    event("LEAVE", member, m);
                }
            });
            m.start();
            print("STARTED " + name);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] cmd = line.strip().split(" ");
                switch (cmd[0]) {
                    case "status" -> m.updateStatus(NodeStatus.valueOf(cmd[1]));
                    case "members" -> members(m);
                    case "exit" -> {
                        return;
                    }
                    default -> print("UNKNOWN " + line);
                }
            }
        }
    }

    private static void event(String kind, GossipMember member, Membership m) {
        print("EVENT " + System.currentTimeMillis() + " " + kind + " " + member.name() + " "
                + member.metadata().status());
        members(m);
    }

    private static void members(Membership m) {
        List<GossipMember> members = m.members();
        print("MEMBERS "
                + members.stream()
                        .map(x -> x.name() + "=" + x.metadata().status() + "@"
                                + x.metadata().clientUrl())
                        .collect(Collectors.joining(",")));
    }

    private static synchronized void print(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
