package io.e2d.discovery.internal.digitalocean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.e2d.discovery.DiscoveryApiException;
import io.e2d.discovery.DiscoveryOptions;
import io.e2d.discovery.FakeHttpServer;
import io.e2d.discovery.FakeHttpServer.Request;
import io.e2d.discovery.FakeHttpServer.Response;
import io.e2d.discovery.InvalidDiscoverySpecException;
import io.e2d.discovery.MissingCredentialsException;
import io.e2d.discovery.PeerAddress;
import io.e2d.discovery.PeerDiscoveries;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code do-tags} through java.net.http against recorded DigitalOcean API responses on 127.0.0.1. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DoTagsDiscoveryIT {
    private static final String TOKEN = "dop_v1_0123456789abcdef";

    /** "tag page" -> recorded file; anything else is a 404. */
    private final Map<String, String> pages = new ConcurrentHashMap<>();

    private volatile String selfId = "3164444";
    private volatile int errorStatus;
    private volatile String errorFile = "";

    private final FakeHttpServer server = new FakeHttpServer(this::handle);

    @AfterEach
    void close() {
        server.close();
    }

    private Response handle(Request r) {
        if (r.path().equals("/metadata/v1/id")) {
            return Response.of(200, "text/plain; charset=utf-8", selfId);
        }
        if (!r.header("Authorization").equals("Bearer " + TOKEN)) {
            return Response.of(401, "application/json", recorded("error-unauthorized.json"));
        }
        if (errorStatus != 0) {
            return Response.of(errorStatus, "application/json", recorded(errorFile));
        }
        String file = pages.get(r.query().get("tag_name") + " " + r.query().get("page"));
        if (r.path().equals("/v2/droplets") && file != null) {
            return Response.of(200, "application/json; charset=utf-8", recorded(file));
        }
        return Response.of(
                404,
                "application/json",
                "{\"id\":\"not_found\",\"message\":\"The resource you were accessing could not be found.\"}");
    }

    private static String recorded(String name) {
        try (InputStream in = DoTagsDiscoveryIT.class.getResourceAsStream("/digitalocean/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private DiscoveryOptions options(String token) {
        return DiscoveryOptions.builder()
                .doAccessToken(token)
                .doApiEndpoint(server.uri())
                .doMetadataEndpoint(server.uri())
                .timeout(Duration.ofSeconds(5))
                .build();
    }

    private List<PeerAddress> discover(String spec) {
        return PeerDiscoveries.forSpec(spec, options(TOKEN)).discover();
    }

    @Test
    void followsEveryPageExcludesSelfAndTakesPrivateAddresses() {
        pages.put("etcd 1", "droplets-etcd-page1.json");
        pages.put("etcd 2", "droplets-etcd-page2.json");

        List<PeerAddress> peers = discover("do-tags:etcd");

        // etcd-1 is this droplet; etcd-dev comes from page 2.
        assertThat(peers)
                .containsExactly(
                        new PeerAddress("10.110.0.3", 7980),
                        new PeerAddress("10.110.0.4", 7980),
                        new PeerAddress("10.110.0.9", 7980));
        List<Request> lists = server.requests().stream()
                .filter(r -> r.path().equals("/v2/droplets"))
                .toList();
        assertThat(lists).hasSize(2);
        assertThat(lists.get(0).query()).containsEntry("page", "1").containsEntry("per_page", "200");
    }

    @Test
    void everyTagMustBeCarried() {
        pages.put("etcd 1", "droplets-etcd-page1.json");
        pages.put("etcd 2", "droplets-etcd-page2.json");

        assertThat(discover("do-tags:etcd,prod"))
                .containsExactly(new PeerAddress("10.110.0.3", 7980), new PeerAddress("10.110.0.4", 7980));
    }

    @Test
    void noDropletGivesNoPeers() {
        pages.put("etcd 1", "droplets-empty.json");

        assertThat(discover("do-tags:etcd")).isEmpty();
    }

    @Test
    void aBadTokenIsAnApiError() {
        assertThatThrownBy(() -> PeerDiscoveries.forSpec("do-tags:etcd", options("wrong"))
                        .discover())
                .isInstanceOfSatisfying(DiscoveryApiException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(401);
                    assertThat(e.errorCode()).contains("unauthorized");
                })
                .hasMessageContaining("Unable to authenticate you")
                .hasMessageContaining("--do-access-token")
                .hasMessageNotContaining("wrong");
    }

    @Test
    void rateLimitIsAnApiError() {
        errorStatus = 429;
        errorFile = "error-rate-limit.json";

        assertThatThrownBy(() -> discover("do-tags:etcd"))
                .isInstanceOfSatisfying(DiscoveryApiException.class, e -> assertThat(e.statusCode())
                        .isEqualTo(429))
                .hasMessageContaining("API Rate limit exceeded");
    }

    @Test
    void missingTokenIsAClearError() {
        assertThatThrownBy(() ->
                        PeerDiscoveries.forSpec("do-tags:etcd", options(null)).discover())
                .isInstanceOf(MissingCredentialsException.class)
                .hasMessageContaining("--do-access-token");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void badMetadataIsAClearError() {
        selfId = "<html>not a droplet</html>";

        assertThatThrownBy(() -> discover("do-tags:etcd"))
                .isInstanceOf(DiscoveryApiException.class)
                .hasMessageContaining("numeric droplet id");
    }

    @Test
    void needsATag() {
        assertThatThrownBy(() -> PeerDiscoveries.forSpec("do-tags:", options(TOKEN)))
                .isInstanceOf(InvalidDiscoverySpecException.class)
                .hasMessageContaining("at least one tag");
    }
}
