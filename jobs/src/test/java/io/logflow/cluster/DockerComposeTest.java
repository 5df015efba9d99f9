package io.logflow.cluster;

import io.logflow.app.CatalogScript;
import io.logflow.app.JobConfig;
import io.logflow.app.LogflowOptions;
import io.logflow.config.Settings;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * The deployment files, checked without a container engine (this machine has none): docker-compose.yml, the Flink
 * image's Dockerfile, Prometheus' scrape configuration and the Kubernetes FlinkDeployment. Every file they mount or
 * copy exists in the repository (or is the job jar Maven builds), images are pinned, ports are published on
 * 127.0.0.1 once each, and the job arguments they pass are valid logflow configurations.
 */
class DockerComposeTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path JOB_JAR = Path.of("jobs", "target", "logflow-jobs-" + projectVersion() + ".jar");

    @Test
    void everyServiceUsesAPinnedImageOrTheLogflowImage() {
        services().forEach((name, service) -> {
            String image = (String) service.get("image");
            assertThat(image).as("%s: image", name).isNotNull();
            assertThat(image).as("%s: pinned tag", name).matches("[^:]+:[^:]+").doesNotEndWith(":latest");
            if (service.containsKey("build")) {
                Map<String, Object> build = map(service.get("build"));
                Path context = ROOT.resolve((String) build.get("context"));
                assertThat(context.resolve((String) build.get("dockerfile"))).as("%s: Dockerfile", name)
                        .isRegularFile();
            }
        });
        assertThat(services()).containsKeys("jobmanager", "taskmanager", "kafka", "postgres", "elasticsearch",
                "kibana", "grafana", "prometheus", "kinesis", "s3", "samples");
    }

    @Test
    void everyMountedFileOrFolderIsInTheRepository() {
        services().forEach((name, service) -> {
            for (Object volume : list(service.get("volumes"))) {
                String source = volume.toString().split(":")[0];
                if (source.startsWith(".")) {
                    assertThat(ROOT.resolve(source)).as("%s mounts %s", name, source).exists();
                } else {
                    assertThat(compose().get("volumes")).as("%s: named volume %s", name, source)
                            .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).containsKey(source);
                }
            }
        });
    }

    @Test
    void portsArePublishedOnLoopbackOnlyAndOnceEach() {
        Set<String> hostPorts = new HashSet<>();
        services().forEach((name, service) -> {
            for (Object port : list(service.get("ports"))) {
                String[] parts = port.toString().split(":");
                assertThat(parts).as("%s: %s is host-ip:host-port:container-port", name, port).hasSize(3);
                assertThat(parts[0]).as("%s: %s", name, port).isEqualTo("127.0.0.1");
                assertThat(hostPorts.add(parts[1])).as("host port %s published twice", parts[1]).isTrue();
            }
        });
        assertThat(hostPorts).contains("8081", "5432", "9200", "5601", "3000", "9090", "4568", "9000", "29092");
    }

    @Test
    void dockerfileCopiesOnlyRepositoryFilesAndTheJobJar() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("deploy/flink/Dockerfile"), StandardCharsets.UTF_8);
        assertThat(lines).anyMatch(l -> l.matches("FROM flink:1\\.20\\.3-scala_2\\.12-java17"));
        List<String> sources = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("COPY ")) {
                String[] parts = line.trim().split("\\s+");
                sources.add(parts[1]);
            }
        }
        assertThat(sources).contains("deploy/flink/config.yaml", JOB_JAR.toString().replace('\\', '/'));
        for (String source : sources) {
            if (!source.equals(JOB_JAR.toString().replace('\\', '/'))) {
                assertThat(ROOT.resolve(source)).as("COPY %s", source).isRegularFile();
            }
        }
    }

    @Test
    void theSubmittedJobAndTheMigrationAreValidLogflowConfigurations() {
        Map<String, Object> submit = services().get("submit");
        List<String> command = strings(submit.get("command"));
        assertThat(command.subList(0, 2)).containsExactly("flink", "run");
        String jar = "/opt/flink/usrlib/logflow-jobs.jar";
        assertThat(command).contains(jar);
        String[] args = command.subList(command.indexOf(jar) + 1, command.size()).toArray(new String[0]);
        Map<String, String> env = stringMap(submit.get("environment"));

        JobConfig config = JobConfig.load(args, env);
        assertThat(config.postgres.url).isEqualTo("jdbc:postgresql://postgres:5432/logflow");
        assertThat(args).contains("--kinesis.stream-arn", "--uploads.path", "--elasticsearch.hosts");
        assertThat(String.join(" ", args)).contains("stream/logflow-cloudwatch", "s3://logflow-uploads/");
        assertThat(stringMap(services().get("kinesis").get("environment")).get("INITIALIZE_STREAMS"))
                .startsWith("logflow-cloudwatch:");

        Map<String, Object> migrate = services().get("migrate");
        assertThat(strings(migrate.get("command"))).contains("io.logflow.app.Main", "migrate");
        assertThat(stringMap(migrate.get("environment"))).containsAllEntriesOf(Map.of(
                "LOGFLOW_POSTGRES_URL", env.get("LOGFLOW_POSTGRES_URL"),
                "LOGFLOW_POSTGRES_PASSWORD", env.get("LOGFLOW_POSTGRES_PASSWORD")));
        assertThat(stringMap(services().get("postgres").get("environment")).get("POSTGRES_PASSWORD"))
                .isEqualTo(env.get("LOGFLOW_POSTGRES_PASSWORD"));
    }

    @Test
    void grafanaGetsTheProvisionedDashboardsAndTheVariablesItsDataSourceReads() throws IOException {
        Map<String, Object> grafana = services().get("grafana");
        Map<String, String> mounts = new LinkedHashMap<>();
        for (Object volume : list(grafana.get("volumes"))) {
            String[] parts = volume.toString().split(":");
            mounts.put(parts[0], parts[1]);
        }
        assertThat(mounts).containsEntry("./deploy/grafana/provisioning", "/etc/grafana/provisioning");
        String dashboards = mounts.get("./deploy/grafana/dashboards");
        assertThat(dashboards).isNotNull();
        assertThat(ROOT.resolve("deploy/grafana/dashboards")).isDirectoryContaining("glob:**.json");

        Path provisioning = ROOT.resolve("deploy/grafana/provisioning");
        Map<String, String> env = stringMap(grafana.get("environment"));
        Pattern variable = Pattern.compile("\\$\\{?([A-Z_][A-Z0-9_]*)\\}?");
        try (var files = Files.walk(provisioning)) {
            // what Grafana loads: its YAML files (an .example beside them is documentation)
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                    .toList()) {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                Matcher m = variable.matcher(text);
                while (m.find()) {
                    assertThat(env).as("%s reads $%s", provisioning.relativize(file), m.group(1))
                            .containsKey(m.group(1));
                }
                if (text.contains("type: file")) {
                    assertThat(text).as("dashboard provider path").contains("path: " + dashboards);
                }
            }
        }
    }

    @Test
    void prometheusScrapesFlinksReporterPortOnTheComposeServices() throws IOException {
        Map<String, Object> prometheus = load(ROOT.resolve("deploy/prometheus/prometheus.yml"));
        String port = flinkConfig().getString("metrics.reporter.prom.port", null);
        assertThat(port).isNotNull();
        List<String> targets = new ArrayList<>();
        for (Object job : list(prometheus.get("scrape_configs"))) {
            Map<String, Object> scrape = map(job);
            for (Object sc : list(scrape.get("static_configs"))) {
                targets.addAll(strings(map(sc).get("targets")));
            }
            for (Object dns : list(scrape.get("dns_sd_configs"))) {
                assertThat(map(dns).get("port").toString()).isEqualTo(port);
                strings(map(dns).get("names")).forEach(n -> targets.add(n + ":" + port));
            }
        }
        assertThat(targets).containsExactlyInAnyOrder("jobmanager:" + port, "taskmanager:" + port);
        assertThat(targets).allMatch(t -> services().containsKey(t.split(":")[0]));
        assertThat(strings(services().get("prometheus").get("volumes")))
                .contains("./deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro");
    }

    @Test
    void clusterConfigurationHasRocksDbCheckpointsRestartsAndThePrometheusReporter() {
        Configuration conf = flinkConfig();
        assertThat(conf.getString("state.backend.type", null)).isEqualTo("rocksdb");
        assertThat(conf.getString("execution.checkpointing.dir", null)).startsWith("s3://");
        assertThat(conf.getString("execution.checkpointing.savepoint-dir", null)).startsWith("s3://");
        assertThat(conf.getString("restart-strategy.type", null)).isEqualTo("exponential-delay");
        assertThat(conf.getString("metrics.reporter.prom.factory.class", null))
                .isEqualTo("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        // the shaded job jar (about 120 MB) must fit through the REST upload
        assertThat(Long.parseLong(conf.getString("rest.server.max-content-length", "0")))
                .isGreaterThan(200L * 1024 * 1024);
    }

    @Test
    void flinkDeploymentUpgradesThroughSavepointsAndRunsTheImagesJarWithValidArguments() throws IOException {
        Map<String, Object> deployment = load(ROOT.resolve("deploy/flink/kubernetes/logflow-flinkdeployment.yaml"));
        assertThat(deployment.get("kind")).isEqualTo("FlinkDeployment");
        Map<String, Object> spec = map(deployment.get("spec"));
        assertThat(spec.get("flinkVersion")).isEqualTo("v1_20");
        Map<String, Object> job = map(spec.get("job"));
        assertThat(job.get("upgradeMode")).isEqualTo("savepoint");
        assertThat(job.get("entryClass")).isEqualTo(FlinkRest.ENTRY_CLASS);
        assertThatCode(() -> Class.forName(FlinkRest.ENTRY_CLASS)).doesNotThrowAnyException();
        assertThat(job.get("jarURI")).isEqualTo("local:///opt/flink/usrlib/logflow-jobs.jar");
        assertThat(Files.readString(ROOT.resolve("deploy/flink/Dockerfile")))
                .contains(" /opt/flink/usrlib/logflow-jobs.jar");

        List<String> args = strings(job.get("args"));
        assertThat(args.get(0)).isEqualTo("run");
        JobConfig config = JobConfig.load(args.subList(1, args.size()).toArray(new String[0]),
                Map.of("LOGFLOW_POSTGRES_PASSWORD", "from-the-secret"));
        assertThat(config.postgres.password).isEqualTo("from-the-secret");

        // The operator writes the cluster's config.yaml from flinkConfiguration: the shared keys must agree.
        Map<String, String> operatorConf = stringMap(spec.get("flinkConfiguration"));
        assertThat(operatorConf).containsKey("execution.checkpointing.savepoint-dir");
        Configuration clusterConf = flinkConfig();
        operatorConf.forEach((key, value) -> {
            String ours = clusterConf.getString(key, null);
            if (ours != null) {
                assertThat(value).as("flinkConfiguration %s vs deploy/flink/config.yaml", key).isEqualTo(ours);
            }
        });
        assertThat(operatorConf.keySet()).contains("state.backend.type", "restart-strategy.type",
                "metrics.reporter.prom.factory.class", "execution.checkpointing.dir");
    }

    @Test
    void theSqlGatewayServesTheSessionClusterAndTheSqlClientsCatalogIsAValidConfiguration() {
        List<String> gateway = strings(services().get("sql-gateway").get("command"));
        assertThat(gateway).startsWith("/opt/flink/bin/sql-gateway.sh", "start-foreground")
                .contains("-Dexecution.target=remote", "-Drest.address=jobmanager", "-Drest.port=8081",
                        "-Dsql-gateway.endpoint.rest.port=8083");
        assertThat(strings(services().get("sql-gateway").get("ports"))).containsExactly("127.0.0.1:8083:8083");

        Map<String, Object> client = services().get("sql-client");
        String command = String.join(" ", strings(client.get("command")));
        assertThat(command).contains("sql-client.sh gateway --endpoint http://sql-gateway:8083")
                .contains("-i <(java -cp \"/opt/flink/usrlib/logflow-jobs.jar:/opt/flink/lib/*\" "
                        + "io.logflow.app.Main catalog)");
        Map<String, String> env = stringMap(client.get("environment"));
        String script = CatalogScript.render(Settings.load(new String[0], env, LogflowOptions.all()));
        assertThat(script).contains("'url' = 'jdbc:postgresql://postgres:5432/logflow'", "'topic' = 'logflow.dlq'",
                "'properties.bootstrap.servers' = 'kafka:9092'");

        // The catalog reads as the role analysts-role makes, with the password it sets.
        Map<String, Object> role = services().get("analysts-role");
        List<String> grant = strings(role.get("command"));
        assertThat(grant).containsSubsequence("workspace", "grant", "--all", "--role");
        assertThat(grant.get(grant.indexOf("--role") + 1)).isEqualTo(env.get("LOGFLOW_CATALOG_POSTGRES_USER"));
        Map<String, String> roleEnv = stringMap(role.get("environment"));
        assertThat(roleEnv.get("LOGFLOW_READER_PASSWORD")).isEqualTo(env.get("LOGFLOW_CATALOG_POSTGRES_PASSWORD"));
        assertThat(roleEnv.get("LOGFLOW_POSTGRES_URL")).isEqualTo(env.get("LOGFLOW_POSTGRES_URL"));
    }

    @Test
    void theKubernetesSqlGatewayServesItsSessionClusterAndItsPodHoldsAValidCatalogConfiguration() throws IOException {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(
                Files.readString(ROOT.resolve("deploy/flink/kubernetes/logflow-sql-gateway.yaml")))) {
            docs.add(map(doc));
        }
        Map<String, Object> session = docs.stream().filter(d -> "FlinkDeployment".equals(d.get("kind"))).findFirst()
                .orElseThrow();
        assertThat(map(session.get("spec"))).as("a session cluster: no job").doesNotContainKey("job");
        String sessionRest = map(session.get("metadata")).get("name") + "-rest";
        Map<String, Object> container = map(list(map(map(map(docs.stream()
                .filter(d -> "Deployment".equals(d.get("kind"))).findFirst().orElseThrow().get("spec"))
                .get("template")).get("spec")).get("containers")).get(0));
        assertThat(strings(container.get("command"))).startsWith("/opt/flink/bin/sql-gateway.sh")
                .contains("-Drest.address=" + sessionRest, "-Drest.port=8081", "-Dexecution.target=remote");
        Map<String, String> env = new LinkedHashMap<>();
        for (Object e : list(container.get("env"))) {
            Map<String, Object> var = map(e);
            assertThat(var.containsKey("value") || var.get("name").toString().endsWith("PASSWORD"))
                    .as("%s: a password comes from a secret", var.get("name")).isTrue();
            env.put(var.get("name").toString(), var.containsKey("value") ? var.get("value").toString()
                    : "from-the-secret");
        }
        assertThat(CatalogScript.render(Settings.load(new String[0], env, LogflowOptions.all())))
                .contains("'username' = 'analysts', 'password' = 'from-the-secret'");
        assertThat(docs).anyMatch(d -> "Service".equals(d.get("kind")));
    }

    // ---- YAML ----------------------------------------------------------------------------------------------------

    private static Map<String, Object> compose() {
        try {
            return load(ROOT.resolve("docker-compose.yml"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Map<String, Map<String, Object>> services() {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        map(compose().get("services")).forEach((name, service) -> out.put(name, map(service)));
        return out;
    }

    private static Configuration flinkConfig() {
        return GlobalConfiguration.loadConfiguration(ROOT.resolve("deploy/flink").toString());
    }

    /** Loads YAML and applies merge keys ({@code <<: *anchor}), which Compose supports and YAML 1.2 does not. */
    static Map<String, Object> load(Path file) throws IOException {
        Object doc = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
        return map(merge(doc));
    }

    private static Object merge(Object node) {
        if (node instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> {
                if (!"<<".equals(k)) {
                    out.put(k.toString(), merge(v));
                }
            });
            Object base = m.get("<<");
            for (Object b : base instanceof List<?> l ? l : base == null ? List.of() : List.of(base)) {
                map(merge(b)).forEach(out::putIfAbsent);
            }
            return out;
        }
        if (node instanceof List<?> l) {
            return l.stream().map(DockerComposeTest::merge).toList();
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    private static List<?> list(Object o) {
        return o == null ? List.of() : (List<?>) o;
    }

    private static List<String> strings(Object o) {
        return list(o).stream().map(Object::toString).toList();
    }

    private static Map<String, String> stringMap(Object o) {
        Map<String, String> out = new LinkedHashMap<>();
        map(o).forEach((k, v) -> out.put(k, v.toString()));
        return out;
    }

    private static String projectVersion() {
        try {
            String pom = Files.readString(Path.of("pom.xml"));
            Matcher m = Pattern.compile("<parent>.*?<version>([^<]+)</version>", Pattern.DOTALL).matcher(pom);
            return m.find() ? m.group(1) : "unknown";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
