package io.e2d.core.server;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Builds etcd's command-line flags for one version; a pure function of config and version. */
final class EtcdFlags {
    private EtcdFlags() {}

    static List<String> build(EtcdServerConfig c, EtcdVersion v) {
        List<String> f = new ArrayList<>();
        f.add("--name=" + c.name());
        f.add("--data-dir=" + c.dataDir().toAbsolutePath());
        f.add("--listen-client-urls=" + join(c.listenClientUrls()));
        f.add("--advertise-client-urls=" + join(c.advertiseClientUrls()));
        f.add("--listen-peer-urls=" + join(c.listenPeerUrls()));
        f.add("--initial-advertise-peer-urls=" + join(c.advertisePeerUrls()));
        f.add("--initial-cluster=" + c.initialClusterFlag());
        f.add("--initial-cluster-state=" + c.initialClusterState().flagValue());
        f.add("--initial-cluster-token=" + c.initialClusterToken());
        f.add("--heartbeat-interval=" + c.heartbeatInterval().toMillis());
        f.add("--election-timeout=" + c.electionTimeout().toMillis());
        if (c.quotaBackendBytes() > 0) {
            f.add("--quota-backend-bytes=" + c.quotaBackendBytes());
        }
        f.add("--auto-compaction-mode=" + c.autoCompactionMode().flagValue());
        f.add("--auto-compaction-retention=" + c.autoCompactionRetention());
        f.add("--strict-reconfig-check=true");
        // 3.4 defaults to the deprecated capnslog logger; zap is the default from 3.5 on.
        if (!v.isAtLeast(EtcdVersion.V3_5)) {
            f.add("--logger=zap");
        }
        f.add("--log-outputs=stderr");
        // The v2 API is off by default in 3.4/3.5 and the flag is gone in 3.6: say it where it exists.
        if (!v.isAtLeast(EtcdVersion.V3_6)) {
            f.add("--enable-v2=false");
        }
        c.clientTls().ifPresent(tls -> {
            f.add("--cert-file=" + tls.cert().toAbsolutePath());
            f.add("--key-file=" + tls.key().toAbsolutePath());
            tls.ca().ifPresent(ca -> {
                f.add("--trusted-ca-file=" + ca.toAbsolutePath());
                f.add("--client-cert-auth=true");
            });
        });
        c.peerTls().ifPresent(tls -> {
            f.add("--peer-cert-file=" + tls.cert().toAbsolutePath());
            f.add("--peer-key-file=" + tls.key().toAbsolutePath());
            tls.ca().ifPresent(ca -> {
                f.add("--peer-trusted-ca-file=" + ca.toAbsolutePath());
                f.add("--peer-client-cert-auth=true");
            });
        });
        if (c.isInitialCorruptCheck()) {
            f.add(
                    v.isAtLeast(EtcdVersion.V3_6)
                            ? "--feature-gates=InitialCorruptCheck=true"
                            : "--experimental-initial-corrupt-check=true");
        }
        c.maxLearners().ifPresent(max -> {
            if (!v.isAtLeast(EtcdVersion.V3_5)) {
                if (max != 1) {
                    throw new InvalidEtcdConfigException(
                            "etcd " + v + " allows exactly one learner; maxLearners=" + max + " needs etcd 3.5+");
                }
            } else if (v.isAtLeast(EtcdVersion.V3_6)) {
                f.add("--max-learners=" + max);
            } else {
                f.add("--experimental-max-learners=" + max);
            }
        });
        f.addAll(c.extraArgs());
        return List.copyOf(f);
    }

    private static String join(List<URI> urls) {
        return urls.stream().map(URI::toString).collect(Collectors.joining(","));
    }
}
