package io.e2d.discovery.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.e2d.discovery.PeerAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MetadataCodecTest {
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final PeerAddress AT = new PeerAddress("10.0.0.5", 7980);
    private static final NodeMetadata META = new NodeMetadata(
            "node-1", "https://10.0.0.5:2379", "https://10.0.0.5:2380", "10.0.0.5:7980", NodeStatus.PENDING, 3, "1.0");

    private final MetadataCodec signed = new MetadataCodec(KEY);

    @Test
    void signedMetadataRoundTrips() {
        assertThat(signed.decode("node-1", AT, signed.encode(META)).metadata()).contains(META);
    }

    @Test
    void tamperedMetadataIsRejected() {
        String property = signed.encode(META);
        String json = new String(
                Base64.getUrlDecoder().decode(property.substring(0, property.indexOf('.'))), StandardCharsets.UTF_8);
        String forgedJson = json.replace("PENDING", "RUNNING");
        String forged =
                Base64.getUrlEncoder().withoutPadding().encodeToString(forgedJson.getBytes(StandardCharsets.UTF_8))
                        + property.substring(property.indexOf('.'));

        assertThat(signed.decode("node-1", AT, forged).problem()).contains("signature does not verify");
    }

    @Test
    void unsignedWrongKeyOtherNameAndOtherAddressAreRejected() {
        MetadataCodec none = new MetadataCodec(null);
        MetadataCodec other = new MetadataCodec("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII));

        assertThat(signed.decode("node-1", AT, none.encode(META)).problem()).contains("not signed");
        assertThat(signed.decode("node-1", AT, other.encode(META)).problem()).contains("does not verify");
        assertThat(signed.decode("node-2", AT, signed.encode(META)).problem()).contains("names 'node-1'");
        assertThat(signed.decode("node-1", new PeerAddress("10.0.0.66", 7980), signed.encode(META))
                        .problem())
                .contains("claims gossip address 10.0.0.5:7980");
        assertThat(signed.decode("node-1", AT, null).problem()).contains("no e2d metadata");
        assertThat(signed.decode("node-1", AT, "garbage").problem()).contains("malformed");
        // Without a key, only the shape, the name and the address are checked.
        assertThat(none.decode("node-1", AT, signed.encode(META)).metadata()).contains(META);
    }

    @Test
    void heartbeatsVerifyWithTheKeyOnly() {
        byte[] beat = signed.heartbeat("node-1", "10.0.0.5:7980", 42);

        assertThat(signed.heartbeat(beat)).contains(new MetadataCodec.Heartbeat("node-1", AT, 42));
        String forged = new String(beat, StandardCharsets.UTF_8).replace("10.0.0.5", "10.0.0.6");
        assertThat(signed.heartbeat(forged.getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(signed.heartbeat(new MetadataCodec(null).heartbeat("node-1", "10.0.0.5:7980", 43)))
                .isEmpty();
        assertThat(signed.heartbeat("garbage".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    @Test
    void configRejectsShortKeysAndSaysWhatToChange() {
        assertThatThrownBy(() -> MembershipConfig.builder()
                        .name("n")
                        .authenticationKey(new byte[8])
                        .build())
                .hasMessageContaining("at least 16 bytes, got 8");
        assertThatThrownBy(() -> MembershipConfig.builder().build()).hasMessageContaining("name(...)");
        assertThat(MembershipConfig.builder()
                        .name("n")
                        .authenticationKey(KEY)
                        .build()
                        .toString())
                .contains("authenticated=true")
                .doesNotContain("0123456789abcdef");
    }
}
