package io.e2d.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/** One {@code GET /health} against an etcd client URL; blocking, bounded by a timeout. */
public final class HealthProbe {
    private final URI healthUrl;
    private final @Nullable SSLContext ssl;
    private final int timeoutMillis;

    /**
     * @param clientUrl an etcd client URL ({@code http(s)://host:port})
     * @param ssl the TLS client context for https URLs, {@code null} for http
     * @param timeout connect and read timeout of one probe
     */
    public HealthProbe(URI clientUrl, @Nullable SSLContext ssl, Duration timeout) {
        this.healthUrl = clientUrl.resolve("/health");
        this.ssl = ssl;
        this.timeoutMillis = (int) Math.max(1, timeout.toMillis());
    }

    /** The result of one probe: healthy or not, and what was seen. */
    public record Result(boolean healthy, String detail) {}

    /** Probes once. Never throws for network errors: they are an unhealthy result. */
    public Result probe() {
        HttpURLConnection conn = null;
        try {
            conn = (HttpURLConnection) healthUrl.toURL().openConnection();
            if (conn instanceof HttpsURLConnection https) {
                if (ssl == null) {
                    return new Result(false, "https client URL but no TLS client context");
                }
                https.setSSLSocketFactory(ssl.getSocketFactory());
            }
            conn.setConnectTimeout(timeoutMillis);
            conn.setReadTimeout(timeoutMillis);
            conn.setUseCaches(false);
            int status = conn.getResponseCode();
            InputStream body = status >= 400 ? conn.getErrorStream() : conn.getInputStream();
            String text = "";
            if (body != null) {
                try (InputStream in = body) {
                    text = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
                }
            }
            boolean healthy = status == 200 && text.replace(" ", "").contains("\"health\":\"true\"");
            return new Result(healthy, "HTTP " + status + " " + text.strip());
        } catch (IOException e) {
            return new Result(false, e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            if (conn != null) {
                conn.disconnect();
            }
        }
    }

    @Override
    public String toString() {
        return healthUrl.toString();
    }
}
