package io.pretrain4j.adapters.chain.subtensor;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A WebSocket server (RFC 6455) on 127.0.0.1 for tests: the opening handshake, masked client
 * frames (text, continuation, ping, close), and text frames back, optionally split into
 * continuation fragments. Each text message goes to the handler with its session.
 */
final class LoopbackWebSocketServer implements AutoCloseable {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** What the server does with a text message. */
    interface Handler {
        void onText(Session session, String text) throws IOException;
    }

    /** One client connection. */
    static final class Session {
        private final Socket socket;
        private final OutputStream out;
        private volatile int fragmentSize;

        Session(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        /** Splits later messages into continuation frames of this many bytes (0: whole). */
        void fragmentInto(int bytes) {
            fragmentSize = bytes;
        }

        synchronized void send(String text) throws IOException {
            byte[] payload = text.getBytes(StandardCharsets.UTF_8);
            int step = fragmentSize > 0 ? fragmentSize : Math.max(1, payload.length);
            int offset = 0;
            boolean first = true;
            do {
                int length = Math.min(step, payload.length - offset);
                boolean last = offset + length >= payload.length;
                writeFrame((last ? 0x80 : 0) | (first ? 0x1 : 0x0), payload, offset, length);
                offset += length;
                first = false;
            } while (offset < payload.length);
            out.flush();
        }

        /** Drops the TCP connection without a close frame. */
        void drop() throws IOException {
            socket.close();
        }

        private void writeFrame(int head, byte[] payload, int offset, int length) throws IOException {
            out.write(head);
            if (length < 126) {
                out.write(length);
            } else if (length < 65536) {
                out.write(126);
                out.write(length >>> 8);
                out.write(length);
            } else {
                out.write(127);
                for (int i = 7; i >= 0; i--) {
                    out.write((int) ((long) length >>> (8 * i)));
                }
            }
            out.write(payload, offset, length);
        }
    }

    private final ServerSocket server;
    private final Handler handler;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "fake-node-ws");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Session> sessions = new CopyOnWriteArrayList<>();

    LoopbackWebSocketServer(Handler handler) throws IOException {
        this.handler = handler;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.submit(this::accept);
    }

    URI endpoint() {
        return URI.create("ws://127.0.0.1:" + server.getLocalPort());
    }

    List<Session> sessions() {
        return sessions;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                socket.setTcpNoDelay(true); // answers go out at once, not after the peer's delayed ACK
                threads.submit(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            String key = null;
            String line;
            while (!(line = readLine(in)).isEmpty()) {
                int colon = line.indexOf(':');
                if (colon > 0
                        && line.substring(0, colon)
                                .trim()
                                .toLowerCase(Locale.ROOT)
                                .equals("sec-websocket-key")) {
                    key = line.substring(colon + 1).trim();
                }
            }
            OutputStream out = socket.getOutputStream();
            if (key == null) {
                out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            String accept = Base64.getEncoder().encodeToString(sha1((key + GUID).getBytes(StandardCharsets.US_ASCII)));
            out.write(
                    ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
                                    + accept + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Session session = new Session(socket);
            sessions.add(session);
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            while (true) {
                int b0 = in.read();
                if (b0 < 0) {
                    return;
                }
                int b1 = in.readUnsignedByte();
                int opcode = b0 & 0x0f;
                boolean fin = (b0 & 0x80) != 0;
                long length = b1 & 0x7f;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                byte[] mask = new byte[4];
                if ((b1 & 0x80) != 0) {
                    in.readFully(mask);
                }
                byte[] payload = new byte[(int) length];
                in.readFully(payload);
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i % 4];
                }
                if (opcode == 0x8) {
                    synchronized (session) {
                        out.write(new byte[] {(byte) 0x88, 0});
                        out.flush();
                    }
                    return;
                }
                if (opcode == 0x9) {
                    synchronized (session) {
                        session.writeFrame(0x8A, payload, 0, payload.length);
                        out.flush();
                    }
                    continue;
                }
                if (opcode == 0x1 || opcode == 0x0) {
                    message.write(payload);
                    if (fin) {
                        String text = message.toString(StandardCharsets.UTF_8);
                        message.reset();
                        handler.onText(session, text);
                    }
                }
            }
        } catch (IOException e) {
            // the client went away or the test dropped the connection
        } finally {
            sessions.removeIf(s -> s.socket == socket);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private static byte[] sha1(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Session session : sessions) {
            session.drop();
        }
        threads.shutdownNow();
    }
}
