package io.e2d.core.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the member list etcd keeps in its backend database ({@code <data-dir>/member/snap/db}, a
 * bbolt file, bucket {@code members}: JSON {@code {"id":..,"peerURLs":[..],"name":..}} per member),
 * without starting etcd. Go e2d read it to recover a node's name from a data dir; e2d does the same
 * for data dirs without {@code e2d-node.properties}.
 *
 * <p>A read-only walk of the bbolt B+tree of the newest valid meta page (bbolt's little-endian
 * layout on the usual amd64/arm64 hosts); only the committed tree is read, never freed pages, so a
 * stale copy of a member cannot be found.
 */
public final class BoltMembers {
    private static final int PAGE_HEADER = 16;
    private static final int BRANCH = 0x01;
    private static final int LEAF = 0x02;
    private static final int META = 0x04;
    private static final int BUCKET_LEAF = 0x01;
    private static final int MAGIC = 0xED0CDAED;
    private static final int MAX_DEPTH = 64;
    private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern PEER_URLS = Pattern.compile("\"peerURLs\"\\s*:\\s*\\[([^\\]]*)\\]");
    private static final Pattern STRING = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

    /**
     * One member as etcd stored it.
     *
     * @param name the member name; empty for a member added but never started
     * @param peerUrls its peer URLs
     */
    public record Member(String name, List<URI> peerUrls) {
        public Member {
            peerUrls = List.copyOf(peerUrls);
        }
    }

    private final ByteBuffer db;
    private final int pageSize;

    private BoltMembers(ByteBuffer db) throws IOException {
        this.db = db.order(ByteOrder.LITTLE_ENDIAN);
        if (db.capacity() < PAGE_HEADER + 64) {
            throw new IOException("too small for a bbolt database: " + db.capacity() + " bytes");
        }
        this.pageSize = this.db.getInt(PAGE_HEADER + 8);
        if (this.db.getInt(PAGE_HEADER) != MAGIC || pageSize < 512 || Integer.bitCount(pageSize) != 1) {
            throw new IOException("not a bbolt database (bad magic or page size in the first meta page)");
        }
    }

    /**
     * The members recorded in the etcd database file {@code db}.
     *
     * @throws IOException if the file cannot be read or is not an etcd bbolt database
     */
    public static List<Member> read(Path db) throws IOException {
        try (FileChannel ch = FileChannel.open(db, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw new IOException(db + " is larger than 2 GiB; read the name from etcd instead");
            }
            ByteBuffer buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            return new BoltMembers(buf).members();
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new IOException(db + " is not a readable bbolt database: " + e, e);
        }
    }

    /** The name of the member of the database {@code db} that has peer URL {@code peerUrl}, if any. */
    public static java.util.Optional<String> nameFor(Path db, URI peerUrl) throws IOException {
        return read(db).stream()
                .filter(m -> !m.name().isEmpty() && m.peerUrls().contains(peerUrl))
                .map(Member::name)
                .findFirst();
    }

    private List<Member> members() throws IOException {
        long root = newestMetaRoot();
        ByteBuffer bucket = find(page(root), 0, "members");
        List<Member> out = new ArrayList<>();
        if (bucket == null) {
            return out;
        }
        long bucketRoot = bucket.getLong(0);
        List<String> values = new ArrayList<>();
        if (bucketRoot == 0) {
            // inline bucket: a page follows the 16-byte bucket header inside the value
            collectValues(bucket.slice(16, bucket.capacity() - 16).order(ByteOrder.LITTLE_ENDIAN), 0, values);
        } else {
            collectValues(page(bucketRoot), 0, values);
        }
        for (String json : values) {
            Matcher name = NAME.matcher(json);
            Matcher peers = PEER_URLS.matcher(json);
            List<URI> urls = new ArrayList<>();
            if (peers.find()) {
                Matcher s = STRING.matcher(peers.group(1));
                while (s.find()) {
                    urls.add(URI.create(s.group(1)));
                }
            }
            out.add(new Member(name.find() ? name.group(1) : "", urls));
        }
        return out;
    }

    /** The root page of the meta page with the highest transaction id. */
    private long newestMetaRoot() throws IOException {
        long bestTx = -1;
        long root = -1;
        for (int i = 0; i < 2; i++) {
            int at = i * pageSize;
            if (at + PAGE_HEADER + 64 > db.capacity()) {
                continue;
            }
            int flags = Short.toUnsignedInt(db.getShort(at + 8));
            int meta = at + PAGE_HEADER;
            if ((flags & META) == 0 || db.getInt(meta) != MAGIC) {
                continue;
            }
            long txid = db.getLong(meta + 48);
            if (txid > bestTx) {
                bestTx = txid;
                root = db.getLong(meta + 16);
            }
        }
        if (root < 0) {
            throw new IOException("no valid bbolt meta page");
        }
        return root;
    }

    private ByteBuffer page(long id) throws IOException {
        long offset = id * pageSize;
        if (id < 2 || offset + PAGE_HEADER > db.capacity()) {
            throw new IOException("bbolt page " + id + " is outside the file");
        }
        int overflow = db.getInt((int) offset + 12);
        long length = Math.min((long) (overflow + 1) * pageSize, db.capacity() - offset);
        return db.slice((int) offset, (int) length).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The value of bucket {@code name} in the tree rooted at page {@code p}, or null. */
    private ByteBuffer find(ByteBuffer p, int depth, String name) throws IOException {
        checkDepth(depth);
        int flags = Short.toUnsignedInt(p.getShort(8));
        int count = Short.toUnsignedInt(p.getShort(10));
        byte[] key = name.getBytes(StandardCharsets.US_ASCII);
        if ((flags & BRANCH) != 0) {
            // the last element whose key is <= name holds it
            long child = -1;
            for (int i = 0; i < count; i++) {
                int e = PAGE_HEADER + i * 16;
                byte[] k = bytes(p, e + p.getInt(e), p.getInt(e + 4));
                if (i == 0 || java.util.Arrays.compareUnsigned(k, key) <= 0) {
                    child = p.getLong(e + 8);
                }
            }
            return child < 0 ? null : find(page(child), depth + 1, name);
        }
        if ((flags & LEAF) == 0) {
            throw new IOException("unexpected bbolt page flags " + flags);
        }
        for (int i = 0; i < count; i++) {
            int e = PAGE_HEADER + i * 16;
            int pos = p.getInt(e + 4);
            int ksize = p.getInt(e + 8);
            int vsize = p.getInt(e + 12);
            if ((p.getInt(e) & BUCKET_LEAF) != 0 && java.util.Arrays.equals(bytes(p, e + pos, ksize), key)) {
                return p.slice(e + pos + ksize, vsize).order(ByteOrder.LITTLE_ENDIAN);
            }
        }
        return null;
    }

    private void collectValues(ByteBuffer p, int depth, List<String> out) throws IOException {
        checkDepth(depth);
        int flags = Short.toUnsignedInt(p.getShort(8));
        int count = Short.toUnsignedInt(p.getShort(10));
        for (int i = 0; i < count; i++) {
            int e = PAGE_HEADER + i * 16;
            if ((flags & BRANCH) != 0) {
                collectValues(page(p.getLong(e + 8)), depth + 1, out);
            } else if ((flags & LEAF) != 0) {
                int pos = p.getInt(e + 4);
                int ksize = p.getInt(e + 8);
                int vsize = p.getInt(e + 12);
                if ((p.getInt(e) & BUCKET_LEAF) == 0) {
                    out.add(new String(bytes(p, e + pos + ksize, vsize), StandardCharsets.UTF_8));
                }
            } else {
                throw new IOException("unexpected bbolt page flags " + flags);
            }
        }
    }

    private static void checkDepth(int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IOException("bbolt tree deeper than " + MAX_DEPTH + " levels: corrupt file");
        }
    }

    private static byte[] bytes(ByteBuffer p, int at, int length) {
        byte[] b = new byte[length];
        p.get(at, b);
        return b;
    }
}
