package io.supportroi.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Debian's Chromium, headless, driven over the DevTools protocol (a WebSocket, with the JDK's own client): open a
 * page, wait for it, read what it logged and every request it made, evaluate script, take a screenshot. Started
 * with the flags that keep Chromium from calling out on its own (background networking, component updates, sync),
 * so every request it reports comes from the page.
 */
public final class HeadlessChromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final List<Waiter> waiters = new CopyOnWriteArrayList<>();

    private record Waiter(Predicate<JsonNode> matches, CompletableFuture<JsonNode> future) {}

    /** Where Chromium is: {@code CHROMIUM} or Debian's {@code /usr/bin/chromium}. */
    public static Path binary() {
        String env = System.getenv("CHROMIUM");
        return Path.of(env != null && !env.isBlank() ? env : "/usr/bin/chromium");
    }

    public static HeadlessChromium start(Path profileDir) throws IOException, InterruptedException {
        Path bin = binary();
        if (!Files.isExecutable(bin)) {
            throw new IllegalStateException(bin + " not found: the browser tests need Chromium (bin/test installs "
                    + "Debian's chromium package; CHROMIUM=/path overrides)");
        }
        List<String> cmd = List.of(bin.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions", "--hide-scrollbars", "--window-size=1280,1600",
                "--user-data-dir=" + profileDir.toAbsolutePath(), "--remote-debugging-port=0", "about:blank");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        // Chromium names its DevTools endpoint on stderr once it listens; a browser that dies first ends the stream.
        String ws = null;
        StringBuilder seen = new StringBuilder();
        for (String line; (line = out.readLine()) != null; ) {
            seen.append(line).append('\n');
            int at = line.indexOf("ws://");
            if (line.startsWith("DevTools listening on") && at >= 0) {
                ws = line.substring(at).trim();
                break;
            }
        }
        if (ws == null) {
            p.destroyForcibly();
            throw new IllegalStateException("Chromium did not start:\n" + seen);
        }
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // Chromium's own log: read so that its pipe never fills.
                }
            } catch (IOException ignored) {
                // The browser is gone.
            }
        }, "chromium-log");
        drain.setDaemon(true);
        drain.start();
        return new HeadlessChromium(p, URI.create(ws));
    }

    private HeadlessChromium(Process process, URI endpoint) throws InterruptedException {
        this.process = process;
        try {
            this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(endpoint, new Listener()).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException("cannot connect to Chromium at " + endpoint, e);
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    dispatch(JSON.readTree(text));
                } catch (IOException e) {
                    throw new IllegalStateException("unreadable DevTools message", e);
                }
            }
            ws.request(1);
            return null;
        }
    }

    private void dispatch(JsonNode message) {
        if (message.has("id")) {
            CompletableFuture<JsonNode> f = pending.remove(message.get("id").asInt());
            if (f != null) {
                f.complete(message);
            }
            return;
        }
        events.add(message);
        for (Waiter w : waiters) {
            if (w.matches().test(message)) {
                w.future().complete(message);
            }
        }
    }

    /** Sends one command and returns its result; a protocol error is an exception. */
    public JsonNode send(String sessionId, String method, ObjectNode params) {
        int id = ids.incrementAndGet();
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        msg.set("params", params == null ? JSON.createObjectNode() : params);
        if (sessionId != null) {
            msg.put("sessionId", sessionId);
        }
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        try {
            socket.sendText(JSON.writeValueAsString(msg), true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            JsonNode r = reply.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (r.has("error")) {
                throw new IllegalStateException(method + " failed: " + r.get("error"));
            }
            return r.get("result");
        } catch (Exception e) {
            throw e instanceof IllegalStateException ise ? ise : new IllegalStateException(method + " failed", e);
        }
    }

    public static ObjectNode params() {
        return JSON.createObjectNode();
    }

    /** A tab with the page at {@code url}, loaded (its load event fired), with logging and network events on. */
    public Tab open(String url) {
        String target = send(null, "Target.createTarget", params().put("url", "about:blank")).get("targetId").asText();
        String session = send(null, "Target.attachToTarget", params().put("targetId", target).put("flatten", true))
                .get("sessionId").asText();
        for (String domain : new String[] {"Runtime", "Log", "Network", "Page"}) {
            send(session, domain + ".enable", null);
        }
        CompletableFuture<JsonNode> loaded = new CompletableFuture<>();
        waiters.add(new Waiter(m -> session.equals(m.path("sessionId").asText())
                && "Page.loadEventFired".equals(m.path("method").asText()), loaded));
        send(session, "Page.navigate", params().put("url", url));
        try {
            loaded.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(url + " did not load", e);
        }
        return new Tab(session);
    }

    /** One page: what it logged and requested since it was opened. */
    public final class Tab {
        private final String session;

        private Tab(String session) {
            this.session = session;
        }

        /** The value of {@code expression}, awaited when it is a promise; a thrown error is an exception. */
        public JsonNode evaluate(String expression) {
            JsonNode r = send(session, "Runtime.evaluate", params().put("expression", expression)
                    .put("awaitPromise", true).put("returnByValue", true));
            if (r.has("exceptionDetails")) {
                throw new IllegalStateException("script failed: " + r.get("exceptionDetails"));
            }
            return r.path("result").path("value");
        }

        /** Console errors, uncaught exceptions and browser log errors (a blocked request is one), as text. */
        public List<String> errors() {
            List<String> out = new ArrayList<>();
            for (JsonNode e : mine()) {
                String method = e.path("method").asText();
                JsonNode p = e.path("params");
                if ("Runtime.consoleAPICalled".equals(method)
                        && ("error".equals(p.path("type").asText()) || "assert".equals(p.path("type").asText()))) {
                    out.add("console." + p.path("type").asText() + ": " + p.path("args"));
                } else if ("Runtime.exceptionThrown".equals(method)) {
                    out.add("exception: " + p.path("exceptionDetails"));
                } else if ("Log.entryAdded".equals(method) && "error".equals(p.path("entry").path("level").asText())) {
                    out.add("log: " + p.path("entry").path("text").asText() + " " + p.path("entry").path("url"));
                }
            }
            return out;
        }

        /** The URL of every request the page made, the page itself included. */
        public List<String> requests() {
            return mine().stream().filter(e -> "Network.requestWillBeSent".equals(e.path("method").asText()))
                    .map(e -> e.path("params").path("request").path("url").asText()).toList();
        }

        public void screenshot(Path png) throws IOException {
            JsonNode shot = send(session, "Page.captureScreenshot", params().put("format", "png")
                    .put("captureBeyondViewport", true));
            Files.createDirectories(png.toAbsolutePath().getParent());
            Files.write(png, Base64.getDecoder().decode(shot.get("data").asText()));
        }

        private List<JsonNode> mine() {
            return events.stream().filter(e -> session.equals(e.path("sessionId").asText())).toList();
        }
    }

    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        } catch (RuntimeException ignored) {
            // The browser is being stopped anyway.
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
