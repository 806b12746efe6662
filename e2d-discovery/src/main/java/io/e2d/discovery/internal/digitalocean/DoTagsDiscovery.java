package io.e2d.discovery.internal.digitalocean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.e2d.discovery.DiscoveryApiException;
import io.e2d.discovery.DiscoveryOptions;
import io.e2d.discovery.DiscoverySpec;
import io.e2d.discovery.InvalidDiscoverySpecException;
import io.e2d.discovery.MissingCredentialsException;
import io.e2d.discovery.PeerAddress;
import io.e2d.discovery.internal.Addresses;
import io.e2d.discovery.internal.BaseDiscovery;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code do-tags:tag[,tag]}: droplets carrying every tag. Lists the droplets of the first tag through the
 * public API (all pages), keeps those that also carry the other tags, excludes this droplet (its id from
 * the metadata service) and takes each one's private IPv4.
 */
public final class DoTagsDiscovery extends BaseDiscovery {
    public static final String METHOD = "do-tags";
    static final int PER_PAGE = 200;
    /** Bound on pages followed, so a misbehaving API cannot loop forever. */
    private static final int MAX_PAGES = 1000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> tags;

    public DoTagsDiscovery(DiscoverySpec spec, DiscoveryOptions options) {
        super(spec, options);
        this.tags = spec.items();
        if (tags.isEmpty()) {
            throw new InvalidDiscoverySpecException(
                    "--peer-discovery do-tags needs at least one tag, e.g. do-tags:etcd or do-tags:etcd,prod");
        }
    }

    @Override
    public List<PeerAddress> discover() {
        String token = options.doAccessToken()
                .orElseThrow(() -> new MissingCredentialsException(
                        "do-tags needs a DigitalOcean API token: pass --do-access-token or set E2D_DO_ACCESS_TOKEN"));
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(options.timeout()).build();
        long self = selfId(http);
        List<String> ips = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (int page = 1; page <= MAX_PAGES; page++) {
            URI uri = options.doApiEndpoint()
                    .resolve("/v2/droplets?tag_name=" + URLEncoder.encode(tags.get(0), StandardCharsets.UTF_8)
                            + "&page=" + page + "&per_page=" + PER_PAGE);
            JsonNode body = getJson(
                    http,
                    HttpRequest.newBuilder(uri)
                            .header("Authorization", "Bearer " + token)
                            .header("Accept", "application/json"),
                    "GET /v2/droplets");
            for (JsonNode droplet : body.path("droplets")) {
                long id = droplet.path("id").asLong(-1);
                if (id == self || !seen.add(id) || !hasEveryTag(droplet)) {
                    continue;
                }
                for (JsonNode v4 : droplet.path("networks").path("v4")) {
                    if ("private".equals(v4.path("type").asText())) {
                        ips.add(v4.path("ip_address").asText());
                    }
                }
            }
            if (body.path("links").path("pages").path("next").asText("").isEmpty()) {
                return Addresses.peers(METHOD, ips, options.defaultPort());
            }
        }
        throw new DiscoveryApiException(
                METHOD, 200, null, METHOD + ": the droplet list did not end after " + MAX_PAGES + " pages", null);
    }

    private boolean hasEveryTag(JsonNode droplet) {
        Set<String> have = new HashSet<>();
        droplet.path("tags").forEach(t -> have.add(t.asText()));
        return have.containsAll(tags);
    }

    private long selfId(HttpClient http) {
        URI uri = options.doMetadataEndpoint().resolve("/metadata/v1/id");
        String body = send(http, HttpRequest.newBuilder(uri), "droplet metadata GET /metadata/v1/id")
                .strip();
        try {
            return Long.parseLong(body);
        } catch (NumberFormatException e) {
            throw new DiscoveryApiException(
                    METHOD,
                    200,
                    null,
                    METHOD + ": the droplet metadata service must return a numeric droplet id, got '" + body + "'",
                    e);
        }
    }

    private JsonNode getJson(HttpClient http, HttpRequest.Builder request, String what) {
        String body = send(http, request, what);
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new DiscoveryApiException(
                    METHOD, 200, null, METHOD + ": " + what + " returned invalid JSON: " + e.getMessage(), e);
        }
    }

    private String send(HttpClient http, HttpRequest.Builder request, String what) {
        HttpResponse<String> response;
        try {
            response =
                    http.send(request.timeout(options.timeout()).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new DiscoveryApiException(METHOD, 0, null, METHOD + ": " + what + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DiscoveryApiException(METHOD, 0, null, METHOD + ": " + what + " was interrupted", e);
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            String code = null;
            String message = response.body();
            try {
                JsonNode error = JSON.readTree(response.body());
                if (error.hasNonNull("id")) {
                    code = error.path("id").asText();
                    message = error.path("message").asText(message);
                }
            } catch (IOException notJson) {
                // keep the raw body as the message
            }
            String fix = status == 401 || status == 403 ? "; check --do-access-token (it needs read scope)" : "";
            throw new DiscoveryApiException(
                    METHOD,
                    status,
                    code,
                    METHOD + ": " + what + " failed with HTTP " + status + (code == null ? "" : " " + code) + ": "
                            + message + fix,
                    null);
        }
        return response.body();
    }
}
