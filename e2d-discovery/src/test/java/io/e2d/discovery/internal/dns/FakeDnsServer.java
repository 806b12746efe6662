package io.e2d.discovery.internal.dns;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A minimal authoritative DNS server over UDP on 127.0.0.1: A, AAAA and SRV answers, NXDOMAIN, SERVFAIL. */
final class FakeDnsServer implements AutoCloseable {
    static final int A = 1;
    static final int AAAA = 28;
    static final int SRV = 33;

    record Rr(int type, byte[] data) {}

    private final Map<String, List<Rr>> records = new ConcurrentHashMap<>();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final DatagramSocket socket;
    private final Thread thread;

    FakeDnsServer() {
        try {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
        thread = new Thread(this::serve, "e2d-test-dns");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    void address(String name, String ip) {
        try {
            byte[] bytes = InetAddress.getByName(ip).getAddress();
            add(name, new Rr(bytes.length == 4 ? A : AAAA, bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void srv(String name, int priority, int weight, int port, String target) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(priority >> 8);
        out.write(priority);
        out.write(weight >> 8);
        out.write(weight);
        out.write(port >> 8);
        out.write(port);
        writeName(out, target);
        add(name, new Rr(SRV, out.toByteArray()));
    }

    void failing(String name) {
        failing.add(name.toLowerCase(Locale.ROOT));
    }

    private void add(String name, Rr rr) {
        records.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                .add(rr);
    }

    private void serve() {
        byte[] buf = new byte[512];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(packet);
                byte[] reply = answer(ByteBuffer.wrap(packet.getData(), 0, packet.getLength()));
                socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private byte[] answer(ByteBuffer q) {
        int id = q.getShort() & 0xffff;
        q.position(12);
        int questionStart = 12;
        StringBuilder name = new StringBuilder();
        for (int len = q.get() & 0xff; len != 0; len = q.get() & 0xff) {
            byte[] label = new byte[len];
            q.get(label);
            if (name.length() > 0) {
                name.append('.');
            }
            name.append(new String(label, java.nio.charset.StandardCharsets.US_ASCII));
        }
        int qtype = q.getShort() & 0xffff;
        q.getShort(); // class
        int questionEnd = q.position();
        String key = name.toString().toLowerCase(Locale.ROOT);
        List<Rr> all = records.get(key);
        int rcode = failing.contains(key) ? 2 : all == null ? 3 : 0;
        List<Rr> answers = new ArrayList<>();
        if (rcode == 0) {
            for (Rr rr : all) {
                if (rr.type() == qtype) {
                    answers.add(rr);
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeShort(out, id);
        writeShort(out, 0x8400 | 0x0100 | rcode); // QR, AA, RD copied, rcode
        writeShort(out, 1);
        writeShort(out, answers.size());
        writeShort(out, 0);
        writeShort(out, 0);
        out.write(q.array(), questionStart, questionEnd - questionStart);
        for (Rr rr : answers) {
            writeShort(out, 0xC00C); // pointer to the question name
            writeShort(out, rr.type());
            writeShort(out, 1);
            writeShort(out, 0);
            writeShort(out, 30); // TTL
            writeShort(out, rr.data().length);
            out.write(rr.data(), 0, rr.data().length);
        }
        return out.toByteArray();
    }

    private static void writeName(ByteArrayOutputStream out, String name) {
        for (String label : name.split("\\.")) {
            byte[] b = label.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            out.write(b.length);
            out.write(b, 0, b.length);
        }
        out.write(0);
    }

    private static void writeShort(ByteArrayOutputStream out, int v) {
        out.write(v >> 8);
        out.write(v);
    }

    @Override
    public void close() {
        socket.close();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
