package io.logflow.cluster;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Flink SQL Gateway (REST endpoint) process on 127.0.0.1 in front of the {@link FlinkSessionCluster}, started once
 * per test JVM the way {@code sql-gateway.sh start-foreground} starts it: the distribution's lib/ and
 * {@code opt/flink-sql-gateway} on the class path, {@code org.apache.flink.table.gateway.SqlGateway} with {@code -D}
 * settings. Its sessions submit to the session cluster; the job jar (functions, connectors) comes into a session
 * with the catalog's {@code ADD JAR}, which also ships it with every query. Register it after
 * {@link FlinkSessionCluster}.
 */
public final class SqlGatewayServer implements BeforeAllCallback {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Path WORK = Path.of("target", "sql-gateway").toAbsolutePath();
    private static final Path JOB_JAR = Path.of(System.getProperty("logflow.jobJar", "target/none.jar"))
            .toAbsolutePath();

    private static Process process;
    private static String endpoint;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    /** The job jar, for the sessions' {@code ADD JAR}: the gateway runs on this machine. */
    public static String jobJar() {
        return JOB_JAR.toString();
    }

    /** {@code http://127.0.0.1:PORT}, the address an analyst gives {@code sql-client.sh gateway --endpoint}. */
    public static String endpoint() {
        if (endpoint == null) {
            throw new IllegalStateException("register SqlGatewayServer as a JUnit extension first");
        }
        return endpoint;
    }

    private static synchronized void start() throws Exception {
        if (endpoint != null) {
            return;
        }
        if (!Files.isRegularFile(JOB_JAR)) {
            throw new IllegalStateException("no job jar at " + JOB_JAR + ": run the test after `package`");
        }
        Path gatewayJar = opt("flink-sql-gateway-");
        Files.createDirectories(WORK.resolve("conf"));
        Files.createDirectories(WORK.resolve("log"));
        try (var old = Files.list(WORK.resolve("log"))) { // logs of this run only
            for (Path f : old.toList()) {
                Files.delete(f);
            }
        }
        Files.writeString(WORK.resolve("conf/config.yaml"), "", StandardCharsets.UTF_8);
        Files.writeString(WORK.resolve("conf/log4j.properties"), LOG4J, StandardCharsets.UTF_8);

        URI cluster = URI.create(FlinkSessionCluster.rest().baseUrl());
        int port = freePort();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("sql-gateway.endpoint.rest.address", "127.0.0.1");
        settings.put("sql-gateway.endpoint.rest.bind-address", "127.0.0.1");
        settings.put("sql-gateway.endpoint.rest.port", Integer.toString(port));
        settings.put("execution.target", "remote");
        settings.put("rest.address", cluster.getHost());
        settings.put("rest.port", Integer.toString(cluster.getPort()));
        settings.put("parallelism.default", "1"); // tiny tables: one task per operator starts quicker
        // An analyst's query that fails (a wrong password) fails at once with its cause, not after restarts.
        settings.put("restart-strategy.type", "none");

        List<String> cmd = java("-Xmx512m", "sql-gateway.log", gatewayJar.toString());
        cmd.add("org.apache.flink.table.gateway.SqlGateway");
        settings.forEach((key, value) -> cmd.add("-D" + key + "=" + value));

        ProcessBuilder builder = new ProcessBuilder(cmd).directory(WORK.toFile()).redirectErrorStream(true)
                .redirectOutput(WORK.resolve("log/sql-gateway.out").toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("LOGFLOW_") || k.startsWith("FLINK_"));
        builder.environment().put("FLINK_CONF_DIR", WORK.resolve("conf").toString());
        long started = System.nanoTime();
        process = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(SqlGatewayServer::stop));
        String url = "http://127.0.0.1:" + port;
        awaitUp(url);
        endpoint = url;
        System.out.printf("SQL Gateway on %s, ready in %d ms%n", url, (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * The command line of {@code sql-client.sh gateway --endpoint <this gateway> <args>}: the SQL client in gateway
     * mode, started as the script starts it (lib/, {@code opt/flink-sql-client} and {@code opt/flink-sql-gateway},
     * whose session classes the client uses, on the class path).
     */
    public static List<String> sqlClient(String... args) throws IOException {
        List<String> cmd = java("-Xmx256m", "sql-client.log",
                opt("flink-sql-client-") + File.pathSeparator + opt("flink-sql-gateway-"));
        cmd.addAll(List.of("org.apache.flink.table.client.SqlClient", "gateway", "--endpoint", endpoint()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * {@code java}, as Flink's scripts start it: the heap, the JDK 17 opens, a log file under the work folder and the
     * logging configuration, and Flink's lib/ and {@code classPath} on the class path. The main class comes next.
     */
    private static List<String> java(String heap, String logFile, String classPath) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), heap));
        cmd.addAll(List.of(JAVA_17_OPENS));
        cmd.add("-Dlog.file=" + WORK.resolve("log").resolve(logFile));
        cmd.add("-Dlog4j.configurationFile=" + WORK.resolve("conf/log4j.properties").toUri());
        cmd.add("-classpath");
        cmd.add(FlinkSessionCluster.flinkHome().resolve("lib") + File.separator + "*" + File.pathSeparator + classPath);
        return cmd;
    }

    /** The gateway's own configuration folder (FLINK_CONF_DIR), empty but for logging: a client can share it. */
    public static Path confDir() {
        return WORK.resolve("conf");
    }

    private static Path opt(String prefix) throws IOException {
        Path opt = FlinkSessionCluster.flinkHome().resolve("opt");
        try (var files = Files.list(opt)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no " + prefix + "*.jar in " + opt
                            + ": build it with `mvn -pl deploy/flink package`"));
        }
    }

    private static void awaitUp(String url) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url + "/v2/info")).timeout(Duration.ofSeconds(2))
                        .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("SQL Gateway not up" + (process.isAlive() ? " after " + START_TIMEOUT
                        : ", exited with " + process.exitValue()) + ": " + logTail());
            }
            Thread.sleep(200);
        }
    }

    /** The end of the gateway's log and output, for assertion messages. */
    public static String logTail() {
        StringBuilder out = new StringBuilder();
        for (String name : List.of("sql-gateway.log", "sql-gateway.out")) {
            try {
                String text = Files.readString(WORK.resolve("log").resolve(name), StandardCharsets.UTF_8);
                out.append("\n--- ").append(name).append(" ---\n")
                        .append(text.length() <= 4000 ? text : "..." + text.substring(text.length() - 4000));
            } catch (IOException e) {
                out.append("\n(no ").append(name).append(")");
            }
        }
        return out.toString();
    }

    private static synchronized void stop() {
        if (process == null) {
            return;
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

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** What Flink's scripts give every JVM on Java 17 (the planner's code generation and Kryo reflect into these). */
    private static final String[] JAVA_17_OPENS = {
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED", "--add-opens=java.base/java.text=ALL-UNNAMED"};

    private static final String LOG4J = FlinkSessionCluster.LOG4J
            // As deploy/flink/Dockerfile sets it: the client logs the statements of -i and -f scripts at INFO.
            + "logger.sqlclient.name = org.apache.flink.table.client.cli.CliClient\n"
            + "logger.sqlclient.level = WARN\n";

    /** The text of the gateway's and the SQL client's logs, to check what they keep. */
    public static String logs() throws IOException {
        StringBuilder out = new StringBuilder();
        try (var files = Files.list(WORK.resolve("log"))) {
            for (Path f : files.sorted().toList()) {
                out.append(Files.readString(f, StandardCharsets.UTF_8));
            }
        }
        return out.toString();
    }
}
