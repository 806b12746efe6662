package io.e2d.discovery.gossip;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.e2d.discovery.PeerAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Encodes {@link NodeMetadata} into one gossip property, {@code base64url(json) "." base64url(mac)}, and
 * checks it. The MAC is HMAC-SHA256 under a key derived from the cluster's gossip key
 * ({@code HMAC-SHA256(key, "e2d gossip metadata key v1")}), over a domain tag, the member id, the member's
 * gossip address and the JSON; so a signed value cannot be replayed under another name or from another
 * address. Without a key the MAC part is empty and nothing is checked but the shape.
 */
final class MetadataCodec {
    static final String PROPERTY = "e2d.meta";
    private static final String HMAC = "HmacSHA256";
    private static final byte[] KEY_LABEL = "e2d gossip metadata key v1".getBytes(StandardCharsets.US_ASCII);
    private static final String DOMAIN = "e2d-gossip-metadata-v1\n";

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final @Nullable SecretKeySpec key;

    MetadataCodec(byte @Nullable [] gossipKey) {
        this.key =
                gossipKey == null ? null : new SecretKeySpec(mac(new SecretKeySpec(gossipKey, HMAC), KEY_LABEL), HMAC);
    }

    boolean isAuthenticated() {
        return key != null;
    }

    String encode(NodeMetadata metadata) {
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(metadata);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode node metadata " + metadata, e);
        }
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String tag = key == null ? "" : b64.encodeToString(tag(metadata.name(), metadata.gossipAddress(), json));
        return b64.encodeToString(json) + "." + tag;
    }

    /** The outcome of checking a member's property. */
    record Verdict(Optional<NodeMetadata> metadata, String problem) {
        static Verdict ok(NodeMetadata m) {
            return new Verdict(Optional.of(m), "");
        }

        static Verdict rejected(String problem) {
            return new Verdict(Optional.empty(), problem);
        }
    }

    /**
     * Decodes and checks the property of member {@code memberId} seen at {@code address}: well-formed, the
     * name equal to the member id, the gossip address equal to the member's, and the MAC when a key is set.
     */
    Verdict decode(String memberId, PeerAddress address, @Nullable String property) {
        if (property == null) {
            return Verdict.rejected("it publishes no e2d metadata");
        }
        int dot = property.indexOf('.');
        if (dot < 0) {
            return Verdict.rejected("its metadata is malformed");
        }
        byte[] json;
        byte[] tag;
        try {
            json = Base64.getUrlDecoder().decode(property.substring(0, dot));
            tag = Base64.getUrlDecoder().decode(property.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return Verdict.rejected("its metadata is not base64url");
        }
        NodeMetadata metadata;
        try {
            metadata = JSON.readValue(json, NodeMetadata.class);
        } catch (IOException | IllegalArgumentException e) {
            return Verdict.rejected("its metadata is not valid JSON: " + e.getMessage());
        }
        if (!metadata.name().equals(memberId)) {
            return Verdict.rejected("its metadata names '" + metadata.name() + "'");
        }
        PeerAddress claimed;
        try {
            claimed = PeerAddress.parse(metadata.gossipAddress(), PeerAddress.DEFAULT_GOSSIP_PORT);
        } catch (RuntimeException e) {
            return Verdict.rejected("its metadata has a bad gossip address '" + metadata.gossipAddress() + "'");
        }
        if (!claimed.equals(address)) {
            return Verdict.rejected(
                    "its metadata claims gossip address " + claimed + " but it gossips from " + address);
        }
        if (key != null) {
            if (tag.length == 0) {
                return Verdict.rejected("its metadata is not signed (does the node have the cluster's CA key?)");
            }
            if (!MessageDigest.isEqual(tag, tag(memberId, metadata.gossipAddress(), json))) {
                return Verdict.rejected("its metadata signature does not verify (another CA key, or forged)");
            }
        }
        return Verdict.ok(metadata);
    }

    /** A heartbeat: {@code name "\n" gossipAddress "\n" sequence "\n" base64url(mac)} (no MAC without a key). */
    byte[] heartbeat(String name, String gossipAddress, long sequence) {
        String body = name + "\n" + gossipAddress + "\n" + sequence;
        String mac = key == null ? "" : Base64.getUrlEncoder().withoutPadding().encodeToString(heartbeatTag(body));
        return (body + "\n" + mac).getBytes(StandardCharsets.UTF_8);
    }

    /** A verified heartbeat: who sent it, from which gossip address, with which sequence number. */
    record Heartbeat(String name, PeerAddress address, long sequence) {}

    /** Decodes a heartbeat and checks its MAC when a key is set. */
    Optional<Heartbeat> heartbeat(byte[] payload) {
        String[] f = new String(payload, StandardCharsets.UTF_8).split("\n", -1);
        if (f.length != 4) {
            return Optional.empty();
        }
        try {
            PeerAddress address = PeerAddress.parse(f[1], PeerAddress.DEFAULT_GOSSIP_PORT);
            long sequence = Long.parseLong(f[2]);
            if (key != null
                    && !MessageDigest.isEqual(
                            Base64.getUrlDecoder().decode(f[3]), heartbeatTag(f[0] + "\n" + f[1] + "\n" + f[2]))) {
                return Optional.empty();
            }
            return Optional.of(new Heartbeat(f[0], address, sequence));
        } catch (IllegalArgumentException e) { // bad number, address or base64
            return Optional.empty();
        }
    }

    private byte[] heartbeatTag(String body) {
        byte[] data = ("e2d-gossip-heartbeat-v1\n" + body).getBytes(StandardCharsets.UTF_8);
        return mac(Objects.requireNonNull(key), data);
    }

    private byte[] tag(String memberId, String gossipAddress, byte[] json) {
        byte[] head = (DOMAIN + memberId + "\n" + gossipAddress + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + json.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(json, 0, all, head.length, json.length);
        return mac(Objects.requireNonNull(key), all);
    }

    private static byte[] mac(SecretKeySpec k, byte[] data) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(k);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
        }
    }
}
