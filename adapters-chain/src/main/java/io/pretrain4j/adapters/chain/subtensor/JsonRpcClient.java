package io.pretrain4j.adapters.chain.subtensor;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pretrain4j.domain.Pretrain4jException;
import io.pretrain4j.ports.PortErrorCode;
import io.pretrain4j.ports.chain.ChainErrorCode;
import io.pretrain4j.toolkit.http.BoundedJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * JSON-RPC 2.0 over a WebSocket ({@code java.net.http.WebSocket}): numbered requests with a
 * deadline each, fragmented frames joined, error objects turned into exceptions that carry the
 * node's code and message, subscriptions, and a reconnect with backoff when the socket drops.
 */
public final class JsonRpcClient implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(JsonRpcClient.class.getName());
    /** Service answers, read with the toolkit's bounds ({@link BoundedJson}). */
    private static final ObjectMapper JSON = BoundedJson.mapper();

    private static final int MAX_MESSAGE_CHARS = 64 << 20;

    private final URI endpoint;
    private final Duration timeout;
    private final int connectAttempts;
    private final HttpClient http;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Map<String, Consumer<JsonNode>> subscriptions = new ConcurrentHashMap<>();
    /** Notifications that arrived before their subscription id was answered (nodes send them right after the id). */
    private final Map<String, List<JsonNode>> early = new LinkedHashMap<>();

    private static final int MAX_EARLY = 256;
    private WebSocket socket;
    private volatile boolean closed;

    public JsonRpcClient(URI endpoint, Duration timeout, int connectAttempts) {
        if (!endpoint.getScheme().equals("ws") && !endpoint.getScheme().equals("wss")) {
            throw new Pretrain4jException(
                    PortErrorCode.INVALID_CONFIG, "endpoint " + endpoint + " is not ws:// or wss://");
        }
        this.endpoint = endpoint;
        this.timeout = timeout;
        this.connectAttempts = Math.max(1, connectAttempts);
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Calls {@code method} and returns its {@code result} (may be a JSON null). */
    public JsonNode call(String method, Object... params) {
        long id = ids.incrementAndGet();
        ObjectNode request =
                JSON.createObjectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
        ArrayNode array = request.putArray("params");
        for (Object param : params) {
            array.add(JSON.valueToTree(param));
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        try {
            send(request.toString());
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new Pretrain4jException(
                    ChainErrorCode.CHAIN_UNAVAILABLE,
                    endpoint + ": no answer to " + method + " within " + timeout.toSeconds() + " s",
                    e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Pretrain4jException p) {
                throw new Pretrain4jException(p.errorCode(), p.getMessage(), p);
            }
            throw new Pretrain4jException(
                    ChainErrorCode.CHAIN_UNAVAILABLE, endpoint + ": " + method + " failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Pretrain4jException(ChainErrorCode.CHAIN_UNAVAILABLE, method + " interrupted", e);
        } finally {
            pending.remove(id);
        }
    }

    /**
     * Subscribes ({@code method} answers with a subscription id); notifications for it go to
     * {@code handler} on the socket's thread. Returns the subscription id.
     */
    public String subscribe(String method, Consumer<JsonNode> handler, Object... params) {
        JsonNode id = call(method, params);
        if (id == null || !(id.isTextual() || id.isNumber())) {
            throw new Pretrain4jException(
                    ChainErrorCode.CHAIN_UNAVAILABLE,
                    endpoint + ": " + method + " returned " + id + " instead of a subscription id");
        }
        List<JsonNode> buffered;
        synchronized (early) {
            subscriptions.put(id.asText(), handler);
            buffered = early.remove(id.asText());
        }
        if (buffered != null) {
            buffered.forEach(handler);
        }
        return id.asText();
    }

    /** Forgets a subscription locally (the node drops it with the connection or on its own terminal state). */
    public void forget(String subscription) {
        synchronized (early) {
            subscriptions.remove(subscription);
            early.remove(subscription);
        }
    }

    private synchronized void send(String text) throws ExecutionException, InterruptedException, TimeoutException {
        if (closed) {
            throw new ExecutionException(
                    new Pretrain4jException(ChainErrorCode.CHAIN_UNAVAILABLE, "the client is closed"));
        }
        if (socket == null || socket.isOutputClosed() || socket.isInputClosed()) {
            socket = connect();
        }
        socket.sendText(text, true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private WebSocket connect() throws ExecutionException {
        Throwable last = null;
        long delay = 500;
        for (int attempt = 1; attempt <= connectAttempts; attempt++) {
            try {
                WebSocket ws = http.newWebSocketBuilder()
                        .connectTimeout(timeout)
                        .buildAsync(endpoint, new Listener())
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (attempt > 1) {
                    LOG.log(INFO, "reconnected to {0}", endpoint);
                }
                return ws;
            } catch (ExecutionException | TimeoutException e) {
                last = e instanceof ExecutionException ? e.getCause() : e;
                if (attempt < connectAttempts) {
                    LOG.log(
                            WARNING,
                            "cannot connect to {0} (attempt {1} of {2}): {3}; retrying in {4} ms",
                            endpoint,
                            attempt,
                            connectAttempts,
                            last,
                            delay);
                    try {
                        Thread.sleep(delay);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                    delay = Math.min(delay * 2, 8000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                last = e;
                break;
            }
        }
        throw new ExecutionException(new Pretrain4jException(
                ChainErrorCode.CHAIN_UNAVAILABLE,
                "cannot connect to " + endpoint + " after " + connectAttempts + " attempt(s): " + last,
                last));
    }

    private void dispatch(String text) {
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            LOG.log(
                    WARNING,
                    "{0} sent a message that is not JSON ({1} characters): {2}",
                    endpoint,
                    text.length(),
                    e.getOriginalMessage());
            failAll("the node sent a message that is not JSON: " + e.getOriginalMessage());
            return;
        }
        if (message == null || !message.isObject()) {
            failAll("the node sent a message that is not a JSON object");
            return;
        }
        JsonNode id = message.get("id");
        if (id != null && id.canConvertToLong()) {
            CompletableFuture<JsonNode> answer = pending.get(id.asLong());
            if (answer == null) {
                return;
            }
            JsonNode error = message.get("error");
            if (error != null && !error.isNull()) {
                answer.completeExceptionally(new Pretrain4jException(
                        ChainErrorCode.CHAIN_UNAVAILABLE,
                        endpoint + " refused: error "
                                + error.path("code").asText("?") + ": "
                                + error.path("message").asText("(no message)")
                                + (error.hasNonNull("data")
                                        ? " (" + error.get("data").toString() + ")"
                                        : "")));
            } else if (!message.has("result")) {
                answer.completeExceptionally(new Pretrain4jException(
                        ChainErrorCode.CHAIN_UNAVAILABLE, endpoint + " answered without a result or an error"));
            } else {
                answer.complete(message.get("result"));
            }
            return;
        }
        JsonNode params = message.get("params");
        if (params != null && params.has("subscription")) {
            String subscription = params.get("subscription").asText();
            Consumer<JsonNode> handler;
            synchronized (early) {
                handler = subscriptions.get(subscription);
                if (handler == null) {
                    if (early.size() >= MAX_EARLY) {
                        early.remove(early.keySet().iterator().next());
                    }
                    early.computeIfAbsent(subscription, k -> new ArrayList<>()).add(params.get("result"));
                    return;
                }
            }
            handler.accept(params.get("result"));
        }
    }

    private void failAll(String reason) {
        Pretrain4jException failure =
                new Pretrain4jException(ChainErrorCode.CHAIN_UNAVAILABLE, endpoint + ": " + reason);
        // snapshot first: a caller woken by the first failure may send its next request before this loop ends
        List<CompletableFuture<JsonNode>> affected = new ArrayList<>(pending.values());
        List<Consumer<JsonNode>> handlers;
        synchronized (early) {
            handlers = new ArrayList<>(subscriptions.values());
            subscriptions.clear();
            early.clear();
        }
        affected.forEach(answer -> answer.completeExceptionally(failure));
        handlers.forEach(handler -> handler.accept(null));
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (socket != null) {
            socket.abort();
        }
        failAll("the client was closed");
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder buffer = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            if (buffer.length() + data.length() > MAX_MESSAGE_CHARS) {
                buffer.setLength(0);
                failAll("a message longer than " + MAX_MESSAGE_CHARS + " characters");
                webSocket.abort();
                return null;
            }
            buffer.append(data);
            if (last) {
                String text = buffer.toString();
                buffer.setLength(0);
                dispatch(text);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            failAll("the connection was closed (" + statusCode + (reason.isEmpty() ? "" : " " + reason) + ")");
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            failAll("the connection dropped: " + error);
        }
    }
}
