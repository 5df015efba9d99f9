package io.logflow.sink.elasticsearch;

import io.logflow.model.Failure;
import io.logflow.model.Level;
import io.logflow.model.LogEvent;
import io.logflow.testing.ElasticsearchExtension;
import io.logflow.testing.TestClusters;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Elasticsearch writers' {@code esRejected} counter, read the way production reads it: through Flink's Prometheus
 * reporter (the one deploy/flink configures), under the series name the {@code LogflowElasticsearchRejections} alert
 * rule of deploy/prometheus/alerts.yml queries, while a job that had documents rejected is still running.
 */
class ElasticsearchRejectionMetricTest {
    private static final int PROMETHEUS_PORT = freePort();
    @RegisterExtension static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setConfiguration(withPrometheusReporter(TestClusters.configuration()))
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());
    @RegisterExtension static final ElasticsearchExtension ELASTICSEARCH = new ElasticsearchExtension();

    private static final Path ALERTS = Path.of("..", "deploy", "prometheus", "alerts.yml");
    private static final long DAY1 = 1_793_610_000_000L; // 2026-11-02T09:00:00Z
    private static final int BULK_MAX_BYTES = 1 << 20;
    private static final String JOB = "elasticsearch rejections metric test";

    @Test
    void everyRejectedDocumentIsCountedInTheSeriesTheAlertRuleWatches() throws Exception {
        String series = alertSeries("LogflowElasticsearchRejections");
        String prefix = ElasticsearchExtension.uniquePrefix();
        ElasticsearchConfig es = EsTestEvents.config(prefix, Map.of("elasticsearch.bulk-max-size", "1 mb"));
        List<LogEvent> events = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            // every seventh is larger than elasticsearch.bulk-max-size; a few carry a NUL or a lone surrogate
            String message = i % 7 == 3 ? "v".repeat(BULK_MAX_BYTES + i) : "message " + i + (i % 5 == 0 ? "\u0000\uD800" : "");
            events.add(EsTestEvents.event(i, i % 2 == 0 ? "acme" : "globex", DAY1 + i * 1000L, Level.INFO, "api",
                    message, null));
        }
        long tooLarge = events.stream().filter(e -> EventDocuments.toJson(e).length > BULK_MAX_BYTES).count();
        assertThat(tooLarge).as("documents over elasticsearch.bulk-max-size").isPositive();
        EsTestEvents.Collected rejected = new EsTestEvents.Collected(prefix);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        HOLDS.put(prefix, new CountDownLatch(1));
        env.fromData(events, TypeInformation.of(LogEvent.class)).setParallelism(1).uid("test-events")
                .name("Test events")
                .map(new HoldAtTheEnd(prefix, events.get(events.size() - 1).eventId)).setParallelism(1)
                .uid("test-hold").name("Hold the job open")
                .sinkTo(ElasticsearchSinks.logEvents(es, rejected, 8192))
                .uid(ElasticsearchSinks.UID).name(ElasticsearchSinks.NAME);
        JobClient job = env.executeAsync(JOB);
        double scraped;
        List<String> lines;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            do {
                Thread.sleep(200);
                lines = scrape(series);
                scraped = lines.stream().mapToDouble(ElasticsearchRejectionMetricTest::value).sum();
            } while (scraped < tooLarge && System.nanoTime() < deadline);
        } finally {
            HOLDS.remove(prefix).countDown();
        }
        job.getJobExecutionResult().get(2, TimeUnit.MINUTES);
        ElasticsearchExtension.refresh();

        System.out.printf("%s, one series per writer:%n  %s%n", series, String.join("\n  ", lines));
        assertThat(lines).as("one series per parallel writer").hasSize(2)
                .allSatisfy(l -> assertThat(l).contains("job_name=\"" + label(JOB) + "\"")
                        .contains("operator_name=\"" + label(ElasticsearchSinks.NAME + ": Writer") + "\""));
        List<Failure> failures = rejected.failures();
        assertThat(failures).hasSize((int) tooLarge)
                .allSatisfy(f -> assertThat(f.reason).isEqualTo(RejectionAwareBulkProcessorFactory.REASON));
        assertThat(scraped).as("esRejected summed over the writers").isEqualTo((double) tooLarge);
        assertThat(ElasticsearchExtension.count(prefix + "*", null)).isEqualTo(events.size() - tooLarge);
        ElasticsearchExtension.request("DELETE", "/" + prefix + "*", null); // shards are a budget
        ElasticsearchExtension.request("DELETE", "/_index_template/" + es.templateName, null);
    }

    /** The one series name the rule's expression reads, e.g. {@code flink_taskmanager_job_task_operator_esRejected}. */
    private static String alertSeries(String alert) throws IOException {
        String rules = Files.readString(ALERTS);
        int at = rules.indexOf("alert: " + alert);
        assertThat(at).as(alert + " in " + ALERTS).isNotNegative();
        Matcher expr = Pattern.compile("expr: (.*)").matcher(rules);
        assertThat(expr.find(at)).isTrue();
        Matcher name = Pattern.compile("flink_\\w+").matcher(expr.group(1));
        assertThat(name.find()).as(expr.group(1)).isTrue();
        return name.group();
    }

    /** The reporter's sample lines of {@code series}. */
    private static List<String> scrape(String series) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + PROMETHEUS_PORT + "/metrics")).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body().lines().filter(l -> l.startsWith(series + "{")).toList();
    }

    /** A label value as the reporter writes it: characters Prometheus does not take in names become '_'. */
    private static String label(String value) {
        return value.replaceAll("[^a-zA-Z0-9:_]", "_");
    }

    private static double value(String sampleLine) {
        return Double.parseDouble(sampleLine.substring(sampleLine.lastIndexOf(' ') + 1));
    }

    private static Configuration withPrometheusReporter(Configuration conf) {
        conf.set(ConfigOptions.key("metrics.reporters").stringType().noDefaultValue(), "prom");
        conf.set(ConfigOptions.key("metrics.reporter.prom.factory.class").stringType().noDefaultValue(),
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        conf.set(ConfigOptions.key("metrics.reporter.prom.port").stringType().noDefaultValue(),
                Integer.toString(PROMETHEUS_PORT));
        return conf;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final Map<String, CountDownLatch> HOLDS = new ConcurrentHashMap<>();

    /** Passes events on; the last one waits until the test has read the metrics (the writers' go with the job). */
    private static final class HoldAtTheEnd implements MapFunction<LogEvent, LogEvent> {
        private static final long serialVersionUID = 1L;
        private final String name;
        private final String lastId;

        HoldAtTheEnd(String name, String lastId) {
            this.name = name;
            this.lastId = lastId;
        }

        @Override
        public LogEvent map(LogEvent event) throws InterruptedException {
            if (event.eventId.equals(lastId)) {
                HOLDS.get(name).await(90, TimeUnit.SECONDS);
            }
            return event;
        }
    }
}
