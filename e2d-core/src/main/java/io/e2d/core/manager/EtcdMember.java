package io.e2d.core.manager;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * A member of the etcd cluster, as {@code MemberList} reports it.
 *
 * @param id the member id
 * @param name the member name; empty while a member added by {@code member add} has not started yet
 *     (a member of the initial cluster has its name from the start)
 * @param peerUrls its peer URLs
 * @param clientUrls its client URLs (empty until it started)
 * @param learner whether it is a non-voting learner
 */
public record EtcdMember(long id, String name, List<URI> peerUrls, List<URI> clientUrls, boolean learner) {
    public EtcdMember {
        Objects.requireNonNull(name, "name");
        peerUrls = List.copyOf(peerUrls);
        clientUrls = List.copyOf(clientUrls);
    }

    /**
     * Whether the member has started at least once: it published its name and client URLs. A member of
     * the initial cluster has a name before that, but no client URLs.
     */
    public boolean isStarted() {
        return !name.isEmpty() && !clientUrls.isEmpty();
    }

    /** Whether {@code url} is one of its peer URLs. */
    public boolean hasPeerUrl(URI url) {
        return peerUrls.contains(url);
    }

    /** The member id as etcd prints it (hex). */
    public String hexId() {
        return Long.toHexString(id);
    }
}
