package io.e2d.snapshot.store;

import java.io.File;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * A parsed snapshot URL (reference spec §3.4, with Go e2d's gaps closed):
 *
 * <ul>
 *   <li>{@code file://X}: path {@code host + path}, so {@code file:///abc} is {@code /abc} and
 *       {@code file://abc/snap} is the relative {@code abc/snap} (as Go e2d); an empty path is an error;
 *   <li>{@code s3://bucket[/key]}: key default {@value #DEFAULT_KEY};
 *   <li>{@code http(s)://<region>.digitaloceanspaces.com/bucket[/key]}: DigitalOcean Spaces;
 *   <li>anything else is rejected with a message that says which forms work.
 * </ul>
 *
 * <p>The last path segment is the snapshot's base name ({@link #baseName()}); snapshots are stored
 * beside it as {@code <baseName>-<time>-r<revision>...}, in {@link #directory()} (a file system
 * directory or a key prefix ending with {@code /}, possibly empty).
 *
 * @param type backend kind
 * @param uri the URL as given
 * @param bucket S3/Spaces bucket; empty for files
 * @param directory directory path (files) or key prefix (S3, Spaces)
 * @param baseName last segment of the path or key
 * @param endpoint Spaces endpoint ({@code https://<region>.digitaloceanspaces.com}); empty otherwise
 */
public record SnapshotLocation(Type type, URI uri, String bucket, String directory, String baseName, String endpoint) {
    /** Key used when an S3 or Spaces URL names only a bucket (Go e2d issue #36). */
    public static final String DEFAULT_KEY = "etcd.snapshot";

    /** Backend kinds. */
    public enum Type {
        FILE,
        S3,
        SPACES
    }

    /** Validates. */
    public SnapshotLocation {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(baseName, "baseName");
        Objects.requireNonNull(endpoint, "endpoint");
        if (baseName.isEmpty() || baseName.contains("/")) {
            throw new IllegalArgumentException(
                    "a snapshot base name must be one non-empty path segment, got '" + baseName + "' in " + uri);
        }
    }

    /**
     * Parses a snapshot URL.
     *
     * @throws IllegalArgumentException with the accepted forms, if the URL is not one of them
     */
    public static SnapshotLocation parse(String url) {
        Objects.requireNonNull(url, "url");
        String text = url.strip();
        if (text.regionMatches(true, 0, "file://", 0, 7)) {
            // Parsed by hand so that paths need no percent-encoding (spaces...), as in Go e2d.
            return file(url, text.substring(7));
        }
        if (text.equalsIgnoreCase("s3://")) {
            // java.net.URI rejects an empty authority before the bucket check below could name it
            throw new IllegalArgumentException(
                    "an S3 snapshot URL needs a bucket, got '" + url + "'; e.g. s3://my-bucket/etcd.snapshot");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "snapshot URL '" + url + "' is not a valid URL ("
                            + e.getReason().toLowerCase(Locale.ROOT)
                            + (e.getIndex() >= 0 ? " at character " + (e.getIndex() + 1) : "") + "); " + FORMS,
                    e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? nullToEmpty(uri.getAuthority()) : uri.getHost();
        String path = nullToEmpty(uri.getPath());
        switch (scheme) {
            case "s3":
                if (host.isEmpty()) {
                    throw new IllegalArgumentException(
                            "an S3 snapshot URL needs a bucket, got '" + url + "'; e.g. s3://my-bucket/etcd.snapshot");
                }
                return keyed(Type.S3, uri, host, path, "");
            case "http":
            case "https":
                if (host.toLowerCase(Locale.ROOT).contains("digitaloceanspaces")) {
                    String trimmed = path.startsWith("/") ? path.substring(1) : path;
                    int slash = trimmed.indexOf('/');
                    String bucket = slash < 0 ? trimmed : trimmed.substring(0, slash);
                    if (bucket.isEmpty()) {
                        throw new IllegalArgumentException("a Spaces snapshot URL needs a bucket, got '" + url
                                + "'; e.g. https://nyc3.digitaloceanspaces.com/my-space/etcd.snapshot");
                    }
                    String key = slash < 0 ? "" : trimmed.substring(slash);
                    String endpoint = scheme + "://" + uri.getRawAuthority();
                    return keyed(Type.SPACES, uri, bucket, key, endpoint);
                }
                throw new IllegalArgumentException("snapshot URL '" + url + "' is an http(s) URL that is not"
                        + " DigitalOcean Spaces; for another S3-compatible server use s3://bucket/key with"
                        + " --snapshot-s3-endpoint " + scheme + "://" + host);
            default:
                throw new IllegalArgumentException("snapshot URL '" + url + "' has an unsupported scheme; " + FORMS);
        }
    }

    private static SnapshotLocation file(String url, String full) {
        if (full.isEmpty() || full.endsWith("/")) {
            throw new IllegalArgumentException(
                    "a file snapshot URL needs a file path, got '" + url + "'; e.g. file:///var/lib/e2d/etcd.snapshot");
        }
        int slash = full.lastIndexOf('/');
        String dir = slash < 0 ? "" : (slash == 0 ? "/" : full.substring(0, slash));
        return new SnapshotLocation(Type.FILE, new File(full).toURI(), "", dir, full.substring(slash + 1), "");
    }

    private static final String FORMS =
            "use file:///path, s3://bucket[/key] or" + " https://<region>.digitaloceanspaces.com/<bucket>[/key]";

    private static SnapshotLocation keyed(Type type, URI uri, String bucket, String path, String endpoint) {
        String key = path.startsWith("/") ? path.substring(1) : path;
        if (key.isEmpty()) {
            key = DEFAULT_KEY;
        } else if (key.endsWith("/")) {
            key = key + DEFAULT_KEY;
        }
        int slash = key.lastIndexOf('/');
        return new SnapshotLocation(type, uri, bucket, key.substring(0, slash + 1), key.substring(slash + 1), endpoint);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** The key or path of the base name itself (where Go e2d kept its single snapshot). */
    public String baseKey() {
        if (type == Type.FILE) {
            return directory.isEmpty() ? baseName : (directory.endsWith("/") ? directory : directory + "/") + baseName;
        }
        return directory + baseName;
    }
}
