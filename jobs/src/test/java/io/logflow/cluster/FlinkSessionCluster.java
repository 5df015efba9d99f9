package io.logflow.cluster;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Flink session cluster for the tests: one JobManager and {@value #TASK_MANAGERS} TaskManager processes on
 * 127.0.0.1, started once per test JVM, stopped by a shutdown hook.
 *
 * <p>There is no flink-dist here, so the cluster runs from what a distribution's lib/ and plugins/ hold, resolved
 * from Maven by the {@code deploy/flink} module ({@code deploy/flink/target/flink}). The processes are started the way
 * Flink's scripts start them: the memory settings that {@code BashJavaUtils} would compute become JVM options and
 * {@code -D} settings of {@code StandaloneSessionClusterEntrypoint} and {@code TaskManagerRunner}. The configuration is
 * {@code deploy/flink/config.yaml}, the one users deploy, with only addresses, ports, directories, sizes and the
 * Prometheus reporter (which can only bind every interface) overridden.
 *
 * <p>Everything the cluster writes is under {@code target/flink-cluster}: logs, checkpoints, savepoints, uploads.
 */
public final class FlinkSessionCluster implements BeforeAllCallback {
    public static final int TASK_MANAGERS = 2;
    public static final int SLOTS_PER_TASK_MANAGER = 2;

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Path FLINK_HOME = Path.of(
            System.getProperty("logflow.flinkHome", "../deploy/flink/target/flink")).toAbsolutePath().normalize();
    private static final Path CONFIG = Path.of(
            System.getProperty("logflow.flinkConfig", "../deploy/flink/config.yaml")).toAbsolutePath().normalize();
    private static final Path WORK = Path.of("target", "flink-cluster").toAbsolutePath();

    private static Map<String, String> overrides;
    private static Process jobManager;
    private static final Map<String, Process> TASK_MANAGER_PROCESSES = new LinkedHashMap<>();
    private static FlinkRest rest;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    private static synchronized void start() throws Exception {
        if (rest != null) {
            return;
        }
        if (!Files.isDirectory(FLINK_HOME.resolve("lib"))) {
            throw new IllegalStateException("no Flink lib/ at " + FLINK_HOME
                    + ": build it with `mvn -pl deploy/flink package` (the reactor build does it before jobs)");
        }
        deleteRecursively(WORK);
        for (String dir : List.of("conf", "log", "tmp", "checkpoints", "savepoints", "upload", "web")) {
            Files.createDirectories(WORK.resolve(dir));
        }
        Files.copy(CONFIG, WORK.resolve("conf/config.yaml"));
        Files.writeString(WORK.resolve("conf/log4j.properties"), LOG4J, StandardCharsets.UTF_8);

        int restPort = freePort();
        overrides = new LinkedHashMap<>();
        overrides.put("jobmanager.rpc.address", "127.0.0.1");
        overrides.put("jobmanager.rpc.port", Integer.toString(freePort()));
        overrides.put("jobmanager.bind-host", "127.0.0.1");
        overrides.put("taskmanager.bind-host", "127.0.0.1");
        overrides.put("taskmanager.host", "127.0.0.1");
        overrides.put("rest.address", "127.0.0.1");
        overrides.put("rest.bind-address", "127.0.0.1");
        overrides.put("rest.port", Integer.toString(restPort));
        overrides.put("blob.server.port", "0");
        overrides.put("jobmanager.memory.process.size", "1280m");
        overrides.put("taskmanager.memory.process.size", "1536m");
        overrides.put("taskmanager.memory.managed.fraction", "0.25");
        overrides.put("taskmanager.numberOfTaskSlots", Integer.toString(SLOTS_PER_TASK_MANAGER));
        overrides.put("execution.checkpointing.dir", WORK.resolve("checkpoints").toUri().toString());
        overrides.put("execution.checkpointing.savepoint-dir", WORK.resolve("savepoints").toUri().toString());
        overrides.put("io.tmp.dirs", WORK.resolve("tmp").toString());
        overrides.put("web.upload.dir", WORK.resolve("upload").toString());
        overrides.put("web.tmpdir", WORK.resolve("web").toString());
        // The Prometheus reporter can only listen on every interface; the tests bind to 127.0.0.1 alone.
        overrides.put("metrics.reporters", "none");
        // A killed TaskManager is noticed within seconds (failed heartbeat RPCs), not after the 50 s default.
        overrides.put("heartbeat.interval", "1 s");
        overrides.put("heartbeat.timeout", "20 s");

        long started = System.nanoTime();
        Configuration conf = configuration();
        jobManager = launch("jobmanager", jobManagerCommand(conf));
        Runtime.getRuntime().addShutdownHook(new Thread(FlinkSessionCluster::stopAll));
        rest = new FlinkRest("http://127.0.0.1:" + restPort);
        awaitRest();
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= TASK_MANAGERS; i++) {
            ids.add("tm-" + i);
            launchTaskManager("tm-" + i);
        }
        for (String id : ids) {
            awaitRegistered(id);
        }
        System.out.printf("Flink session cluster on %s (%d TaskManagers x %d slots), ready in %d ms%n",
                rest.baseUrl(), TASK_MANAGERS, SLOTS_PER_TASK_MANAGER, (System.nanoTime() - started) / 1_000_000);
    }

    public static FlinkRest rest() {
        if (rest == null) {
            throw new IllegalStateException("register FlinkSessionCluster as a JUnit extension first");
        }
        return rest;
    }

    /** The lib/ and plugins/ the processes run from. */
    public static Path flinkHome() {
        return FLINK_HOME;
    }

    /** Where this cluster keeps its savepoints (a file:// URI). */
    public static String savepointDirectory() {
        return WORK.resolve("savepoints").toUri().toString();
    }

    /** The running TaskManagers' resource ids. */
    public static synchronized List<String> taskManagerIds() {
        return new ArrayList<>(TASK_MANAGER_PROCESSES.keySet());
    }

    /** Starts a TaskManager process with resource id {@code id} and waits until it is registered. */
    public static synchronized void startTaskManager(String id) throws Exception {
        launchTaskManager(id);
        awaitRegistered(id);
    }

    private static synchronized void launchTaskManager(String id) throws IOException {
        if (TASK_MANAGER_PROCESSES.containsKey(id)) {
            throw new IllegalStateException("TaskManager " + id + " runs already");
        }
        TASK_MANAGER_PROCESSES.put(id, launch(id, taskManagerCommand(configuration(), id)));
    }

    private static void awaitRegistered(String id) throws Exception {
        Process p;
        synchronized (FlinkSessionCluster.class) {
            p = TASK_MANAGER_PROCESSES.get(id);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!rest.taskManagerIds().contains(id)) {
            if (!p.isAlive()) {
                throw new IllegalStateException(
                        "TaskManager " + id + " exited with " + p.exitValue() + ": " + logTail(id));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("TaskManager " + id + " not registered after " + START_TIMEOUT
                        + ": " + logTail(id));
            }
            Thread.sleep(200);
        }
    }

    /** Kills a TaskManager process at once (SIGKILL), as a crashed machine would vanish. */
    public static synchronized void killTaskManager(String id) throws InterruptedException {
        Process p = TASK_MANAGER_PROCESSES.remove(id);
        if (p == null) {
            throw new IllegalArgumentException("no TaskManager " + id + " in " + TASK_MANAGER_PROCESSES.keySet());
        }
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    /** The end of a process's log ({@code jobmanager} or a TaskManager id), for assertion messages. */
    public static String logTail(String name) {
        StringBuilder out = new StringBuilder();
        for (String suffix : List.of(".log", ".out")) {
            Path file = WORK.resolve("log").resolve(name + suffix);
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                out.append("\n--- ").append(file.getFileName()).append(" ---\n")
                        .append(text.length() <= 4000 ? text : "..." + text.substring(text.length() - 4000));
            } catch (IOException e) {
                out.append("\n(no ").append(file).append(")");
            }
        }
        return out.toString();
    }

    /** The log and output files of the cluster's processes (RocksDB's own logs are there too, and left out). */
    public static List<Path> logFiles() throws IOException {
        try (Stream<Path> files = Files.list(WORK.resolve("log"))) {
            return files.filter(f -> f.toString().endsWith(".log") || f.toString().endsWith(".out")).sorted().toList();
        }
    }

    // ---- processes ----------------------------------------------------------------------------------------------

    private static Configuration configuration() {
        return GlobalConfiguration.loadConfiguration(WORK.resolve("conf").toString(), Configuration.fromMap(overrides));
    }

    /** What flink's jobmanager.sh runs: BashJavaUtils' memory options, then the session entrypoint. */
    private static List<String> jobManagerCommand(Configuration conf) {
        JobManagerProcessSpec spec = JobManagerProcessUtils.processSpecFromConfigWithNewOptionToInterpretLegacyHeap(
                conf, JobManagerOptions.JVM_HEAP_MEMORY);
        List<String> cmd = java("jobmanager", JobManagerProcessUtils.generateJvmParametersStr(spec, conf),
                conf.get(CoreOptions.FLINK_JVM_OPTIONS), conf.get(CoreOptions.FLINK_JM_JVM_OPTIONS));
        cmd.add("org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint");
        addConfigArgs(cmd, JobManagerProcessUtils.generateDynamicConfigsStr(spec));
        return cmd;
    }

    /** What flink's taskmanager.sh runs: BashJavaUtils' memory options, then the TaskManager runner. */
    private static List<String> taskManagerCommand(Configuration conf, String id) {
        TaskExecutorProcessSpec spec = TaskExecutorProcessUtils.processSpecFromConfig(
                TaskExecutorProcessUtils.getConfigurationMapLegacyTaskManagerHeapSizeToConfigOption(
                        conf, TaskManagerOptions.TOTAL_FLINK_MEMORY));
        List<String> cmd = java(id, ProcessMemoryUtils.generateJvmParametersStr(spec),
                conf.get(CoreOptions.FLINK_JVM_OPTIONS), conf.get(CoreOptions.FLINK_TM_JVM_OPTIONS));
        cmd.add("org.apache.flink.runtime.taskexecutor.TaskManagerRunner");
        addConfigArgs(cmd, TaskExecutorProcessUtils.generateDynamicConfigsStr(spec));
        cmd.addAll(List.of("-D", "taskmanager.resource-id=" + id));
        return cmd;
    }

    private static List<String> java(String name, String... jvmOptions) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String options : jvmOptions) {
            cmd.addAll(words(options));
        }
        cmd.add("-Dlog.file=" + WORK.resolve("log").resolve(name + ".log"));
        cmd.add("-Dlog4j.configurationFile=" + WORK.resolve("conf/log4j.properties").toUri());
        cmd.add("-classpath");
        cmd.add(FLINK_HOME.resolve("lib") + File.separator + "*");
        return cmd;
    }

    private static void addConfigArgs(List<String> cmd, String memoryConfigs) {
        cmd.addAll(List.of("--configDir", WORK.resolve("conf").toString()));
        cmd.addAll(words(memoryConfigs)); // "-D key=value -D ..."
        overrides.forEach((key, value) -> cmd.addAll(List.of("-D", key + "=" + value)));
    }

    private static Process launch(String name, List<String> command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(WORK.toFile())
                .redirectErrorStream(true)
                .redirectOutput(WORK.resolve("log").resolve(name + ".out").toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("LOGFLOW_") || k.startsWith("FLINK_"));
        builder.environment().put("FLINK_PLUGINS_DIR", FLINK_HOME.resolve("plugins").toString());
        builder.environment().put("FLINK_CONF_DIR", WORK.resolve("conf").toString());
        return builder.start();
    }

    private static void awaitRest() throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!rest.isUp()) {
            if (!jobManager.isAlive()) {
                throw new IllegalStateException("JobManager exited with " + jobManager.exitValue() + ": "
                        + logTail("jobmanager"));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "JobManager not up after " + START_TIMEOUT + ": " + logTail("jobmanager"));
            }
            Thread.sleep(200);
        }
    }

    private static synchronized void stopAll() {
        List<Process> all = new ArrayList<>(TASK_MANAGER_PROCESSES.values());
        if (jobManager != null) {
            all.add(jobManager);
        }
        all.forEach(Process::destroy);
        for (Process p : all) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static List<String> words(String s) {
        return s == null || s.isBlank() ? List.of() : Arrays.asList(s.trim().split("\\s+"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
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

    /** The processes' log configuration: one file each, the chatty libraries at WARN. */
    static final String LOG4J = String.join("\n",
            "rootLogger.level = INFO",
            "rootLogger.appenderRef.file.ref = file",
            "appender.file.name = file",
            "appender.file.type = File",
            "appender.file.fileName = ${sys:log.file}",
            "appender.file.layout.type = PatternLayout",
            "appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-60c %x - %m%n",
            "logger.kafka.name = org.apache.kafka",
            "logger.kafka.level = WARN",
            "logger.aws.name = software.amazon",
            "logger.aws.level = WARN",
            "logger.pekko.name = org.apache.pekko",
            "logger.pekko.level = WARN",
            "");
}
