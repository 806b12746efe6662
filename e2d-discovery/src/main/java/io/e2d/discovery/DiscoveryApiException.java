package io.e2d.discovery;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A cloud API, a metadata service or a DNS server answered with an error or could not be reached. Go e2d
 * silently fell back to "no peers" in that case; e2d for the JVM fails instead, so a misconfigured
 * cluster does not bootstrap as several independent ones.
 */
public final class DiscoveryApiException extends DiscoveryException {
    private static final long serialVersionUID = 1L;

    private final String method;
    private final int statusCode;
    private final @Nullable String errorCode;

    /**
     * @param method the discovery method that made the call
     * @param statusCode the HTTP status, or 0 when no response was received
     * @param errorCode the service's error code ({@code UnauthorizedOperation}, {@code unauthorized}...)
     */
    public DiscoveryApiException(
            String method, int statusCode, @Nullable String errorCode, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.method = method;
        this.statusCode = statusCode;
        this.errorCode = errorCode;
    }

    /** The discovery method that failed ({@code ec2-tags}, {@code do-tags}...). */
    public String method() {
        return method;
    }

    /** The HTTP status code, or 0 when no response was received. */
    public int statusCode() {
        return statusCode;
    }

    /** The error code reported by the service, when it sent one. */
    public Optional<String> errorCode() {
        return Optional.ofNullable(errorCode);
    }
}
