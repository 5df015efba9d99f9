package io.logflow.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * A real Kinesis API for the tests: kinesis-mock from npm ({@code kinesis-local}, pinned), plain HTTP on a free port of
 * 127.0.0.1. Started once per test JVM by the first class that registers this extension; a shutdown hook stops it.
 *
 * <p>It installs itself: when the pinned package is not in the cache folder ({@code ~/.cache/logflow}, or
 * {@code $LOGFLOW_CACHE}), it runs {@code npm install} there, so a fresh machine needs only Node.js and npm.
 *
 * <p>The helpers speak the Kinesis JSON protocol with plain HTTP. The emulator wants an {@code Authorization} header but
 * does not check signatures, and puts every stream under account {@value #ACCOUNT} unless the access key is an
 * account id.
 */
public final class KinesisEmulator implements BeforeAllCallback {
    public static final String PACKAGE = "kinesis-local";
    public static final String VERSION = "0.6.2";
    public static final String ACCOUNT = "000000000000";
    public static final String REGION = "us-east-1";
    public static final String ACCESS_KEY = "logflowTestAccessKey";
    public static final String SECRET_KEY = "logflowTestSecretKey";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);
    private static final int PUT_BATCH = 500; // PutRecords' limit
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Process process;
    private static int port;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    private static synchronized void start() throws Exception {
        if (process != null) {
            return;
        }
        Path packageDir = install();
        port = freePort();
        File log = new File("target/kinesis-emulator.log").getAbsoluteFile();
        ProcessBuilder builder = new ProcessBuilder(command("node"), "main.js")
                .directory(packageDir.toFile()) // it reads its server.json certificate from the working directory
                .redirectErrorStream(true)
                .redirectOutput(log);
        builder.environment().put("KINESIS_MOCK_PLAIN_PORT", Integer.toString(port));
        builder.environment().put("KINESIS_MOCK_TLS_PORT", Integer.toString(freePort()));
        builder.environment().put("LOG_LEVEL", "WARN");
        builder.environment().put("SHOULD_PERSIST_DATA", "false");
        builder.environment().put("AWS_REGION", REGION);
        long started = System.nanoTime();
        Process p = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(p)));
        awaitReady(p, log);
        process = p;
        System.out.printf("Kinesis emulator %s@%s on %s, ready in %d ms%n", PACKAGE, VERSION, endpoint(),
                (System.nanoTime() - started) / 1_000_000);
    }

    private static void awaitReady(Process p, File log) throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        HttpRequest health = HttpRequest.newBuilder(URI.create(endpoint() + "/healthcheck"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("Kinesis emulator exited with " + p.exitValue() + ": " + tail(log));
            }
            try {
                if (HTTP.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        stop(p);
        throw new IllegalStateException("Kinesis emulator not ready after " + START_TIMEOUT + ": " + tail(log));
    }

    private static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The package folder of the pinned emulator, installed with npm on first use. Installs go to a temporary folder
     * that is renamed when complete, under a file lock, so parallel or interrupted runs never see half an install.
     */
    static Path install() throws Exception {
        Path cache = cacheDir();
        Path home = cache.resolve(PACKAGE + "-" + VERSION);
        Path packageDir = home.resolve("node_modules").resolve(PACKAGE);
        if (isInstalled(packageDir)) {
            return packageDir;
        }
        Files.createDirectories(cache);
        try (FileChannel lockFile = FileChannel.open(cache.resolve(PACKAGE + ".lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = lockFile.lock()) {
            if (isInstalled(packageDir)) {
                return packageDir; // another JVM installed it while we waited
            }
            Path tmp = Files.createTempDirectory(cache, PACKAGE + "-installing-");
            File log = new File("target/kinesis-emulator-install.log").getAbsoluteFile();
            Process npm = new ProcessBuilder(command("npm"), "install", "--no-audit", "--no-fund",
                    "--ignore-scripts", "--prefix", tmp.toString(), PACKAGE + "@" + VERSION)
                    .redirectErrorStream(true)
                    .redirectOutput(log)
                    .start();
            if (!npm.waitFor(INSTALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                npm.destroyForcibly();
                throw new IllegalStateException("npm install " + PACKAGE + "@" + VERSION + " timed out: " + tail(log));
            }
            if (npm.exitValue() != 0 || !isInstalled(tmp.resolve("node_modules").resolve(PACKAGE))) {
                throw new IllegalStateException("npm install " + PACKAGE + "@" + VERSION + " failed (exit "
                        + npm.exitValue() + "): " + tail(log));
            }
            deleteRecursively(home);
            Files.move(tmp, home, StandardCopyOption.ATOMIC_MOVE);
        }
        return packageDir;
    }

    private static boolean isInstalled(Path packageDir) {
        try {
            Path manifest = packageDir.resolve("package.json");
            return Files.isRegularFile(packageDir.resolve("main.js"))
                    && Files.isRegularFile(manifest)
                    && VERSION.equals(MAPPER.readTree(manifest.toFile()).path("version").asText());
        } catch (IOException e) {
            return false;
        }
    }

    private static Path cacheDir() {
        String override = System.getenv("LOGFLOW_CACHE");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "logflow");
    }

    private static String command(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name).toString();
            }
        }
        throw new IllegalStateException("'" + name + "' is not on the PATH: the Kinesis emulator needs Node.js and npm");
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String tail(File log) {
        try {
            String text = Files.readString(log.toPath(), StandardCharsets.UTF_8);
            return text.length() <= 2000 ? text : "..." + text.substring(text.length() - 2000);
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    // ---- helpers for tests -------------------------------------------------------------------------------------------

    public static String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public static String streamArn(String stream) {
        return "arn:aws:kinesis:" + REGION + ":" + ACCOUNT + ":stream/" + stream;
    }

    /** The job's {@code kinesis.*} settings to read {@code stream} on this emulator from its first record. */
    public static Map<String, String> sourceSettings(String stream) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("kinesis.stream-arn", streamArn(stream));
        settings.put("kinesis.endpoint", endpoint());
        settings.put("kinesis.credentials", "static");
        settings.put("kinesis.access-key", ACCESS_KEY);
        settings.put("kinesis.secret-key", SECRET_KEY);
        settings.put("kinesis.initial-position", "TRIM_HORIZON");
        settings.put("kinesis.shard-discovery-interval", "1 s");
        return settings;
    }

    /** Creates a stream and waits until it is ACTIVE; returns its ARN. */
    public static String createStream(String stream, int shards) throws Exception {
        call("CreateStream", object().put("StreamName", stream).put("ShardCount", shards));
        awaitActive(stream);
        return streamArn(stream);
    }

    /** The shards of a stream, oldest first: id, parent, hash key range, and whether it is closed. */
    public static List<Shard> listShards(String stream) throws Exception {
        List<Shard> shards = new ArrayList<>();
        String next = null;
        do {
            ObjectNode request = next == null ? object().put("StreamName", stream) : object().put("NextToken", next);
            JsonNode response = call("ListShards", request);
            for (JsonNode s : response.path("Shards")) {
                shards.add(new Shard(
                        s.path("ShardId").asText(),
                        s.path("ParentShardId").isTextual() ? s.path("ParentShardId").asText() : null,
                        new BigInteger(s.path("HashKeyRange").path("StartingHashKey").asText()),
                        new BigInteger(s.path("HashKeyRange").path("EndingHashKey").asText()),
                        s.path("SequenceNumberRange").path("EndingSequenceNumber").isTextual()));
            }
            next = response.path("NextToken").isTextual() ? response.path("NextToken").asText() : null;
        } while (next != null);
        return shards;
    }

    /** Splits an open shard in the middle of its hash key range and waits until the stream is ACTIVE again. */
    public static void splitShard(String stream, String shardId) throws Exception {
        Shard shard = listShards(stream).stream().filter(s -> s.id.equals(shardId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no shard " + shardId + " in " + stream));
        BigInteger middle = shard.startingHashKey.add(shard.endingHashKey).shiftRight(1).add(BigInteger.ONE);
        call("SplitShard", object().put("StreamName", stream).put("ShardToSplit", shardId)
                .put("NewStartingHashKey", middle.toString()));
        awaitActive(stream);
    }

    /**
     * Puts records with PutRecords in batches, retrying any the emulator rejects; partition keys come from
     * {@code partitionKey} (by record index), so a test decides how records spread over shards. Returns the shard id
     * each record went to.
     */
    public static List<String> putRecords(String stream, List<byte[]> records, IntFunction<String> partitionKey)
            throws Exception {
        List<String> shardIds = new ArrayList<>();
        for (int from = 0; from < records.size(); from += PUT_BATCH) {
            int to = Math.min(records.size(), from + PUT_BATCH);
            for (int i = from; i < to; i++) {
                shardIds.add(null);
            }
            List<Integer> pending = new ArrayList<>();
            for (int i = from; i < to; i++) {
                pending.add(i);
            }
            for (int attempt = 0; !pending.isEmpty(); attempt++) {
                if (attempt == 5) {
                    throw new IllegalStateException(pending.size() + " records still rejected after 5 attempts");
                }
                ObjectNode request = object().put("StreamName", stream);
                ArrayNode entries = request.putArray("Records");
                for (int i : pending) {
                    entries.addObject()
                            .put("Data", Base64.getEncoder().encodeToString(records.get(i)))
                            .put("PartitionKey", partitionKey.apply(i));
                }
                JsonNode results = call("PutRecords", request).path("Records");
                List<Integer> rejected = new ArrayList<>();
                for (int k = 0; k < pending.size(); k++) {
                    JsonNode result = results.get(k);
                    if (result == null || result.path("ShardId").isMissingNode() || result.path("ShardId").isNull()) {
                        rejected.add(pending.get(k));
                    } else {
                        shardIds.set(pending.get(k), result.path("ShardId").asText());
                    }
                }
                pending = rejected;
            }
        }
        return shardIds;
    }

    /** Every record of every shard of a stream, shard by shard from its oldest record (GetRecords). */
    public static List<byte[]> readAll(String stream) throws Exception {
        List<byte[]> out = new ArrayList<>();
        for (Shard shard : listShards(stream)) {
            String iterator = call("GetShardIterator", object().put("StreamName", stream).put("ShardId", shard.id)
                    .put("ShardIteratorType", "TRIM_HORIZON")).path("ShardIterator").asText();
            while (true) {
                JsonNode page = call("GetRecords", object().put("ShardIterator", iterator).put("Limit", 1000));
                page.path("Records").forEach(r -> out.add(Base64.getDecoder().decode(r.path("Data").asText())));
                if (page.path("Records").isEmpty() || !page.path("NextShardIterator").isTextual()) {
                    break;
                }
                iterator = page.path("NextShardIterator").asText();
            }
        }
        return out;
    }

    private static void awaitActive(String stream) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode summary = call("DescribeStreamSummary", object().put("StreamName", stream));
            if ("ACTIVE".equals(summary.path("StreamDescriptionSummary").path("StreamStatus").asText())) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("stream " + stream + " not ACTIVE after 30 s");
    }

    private static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** One Kinesis API call; a non-200 answer fails with the emulator's error. */
    private static JsonNode call(String action, ObjectNode body) throws Exception {
        if (process == null) {
            throw new IllegalStateException("register KinesisEmulator as a JUnit extension first");
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint() + "/"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "Kinesis_20131202." + action)
                .header("X-Amz-Date", "20260101T000000Z")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/20260101/" + REGION
                        + "/kinesis/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target,"
                        + " Signature=0")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        HttpResponse<String> response;
        try {
            response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(action + " on the Kinesis emulator failed", e);
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException(action + " → " + response.statusCode() + ": " + response.body());
        }
        return response.body().isEmpty() ? object() : MAPPER.readTree(response.body());
    }

    /** A shard as ListShards describes it. */
    public static final class Shard {
        public final String id;
        public final String parentId;
        public final BigInteger startingHashKey;
        public final BigInteger endingHashKey;
        public final boolean closed;

        Shard(String id, String parentId, BigInteger startingHashKey, BigInteger endingHashKey, boolean closed) {
            this.id = id;
            this.parentId = parentId;
            this.startingHashKey = startingHashKey;
            this.endingHashKey = endingHashKey;
            this.closed = closed;
        }

        @Override
        public String toString() {
            return id + (parentId != null ? "(from " + parentId + ")" : "") + (closed ? " closed" : "");
        }
    }
}
