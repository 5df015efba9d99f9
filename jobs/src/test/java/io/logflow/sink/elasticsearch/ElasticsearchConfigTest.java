package io.logflow.sink.elasticsearch;

import io.logflow.config.ConfigException;
import io.logflow.config.Settings;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ElasticsearchConfigTest {
    private static ElasticsearchConfig read(String... keyValues) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put(keyValues[i], keyValues[i + 1]);
        }
        return ElasticsearchConfig.from(Settings.of(values, ElasticsearchOptions.all()));
    }

    @Test
    void defaultsNeedOnlyTheHosts() throws Exception {
        ElasticsearchConfig c = read("elasticsearch.hosts", "http://127.0.0.1:9200, https://es2.internal:9243");
        assertThat(c.hosts).containsExactly("http://127.0.0.1:9200", "https://es2.internal:9243");
        assertThat(c.username).isNull();
        assertThat(c.indexNames.index("acme", 0L)).isEqualTo("logflow-acme-1970.01.01");
        assertThat(c.indexNames.unassigned()).isEqualTo("_unassigned");
        assertThat(c.bulkMaxActions).isEqualTo(1000);
        assertThat(c.bulkMaxSizeMb).isEqualTo(5);
        assertThat(c.bulkFlushInterval).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.backoffDelay).isEqualTo(Duration.ofMillis(100));
        assertThat(c.backoffMaxRetries).isEqualTo(8);
        assertThat(c.shards).isEqualTo(1);
        assertThat(c.replicas).isEqualTo(1);
        assertThat(c.totalFieldsLimit).isEqualTo(1000);
        assertThat(c.templateName).isEqualTo("logflow-events");
        // operators carry it: it must survive Java serialisation, index naming included
        ElasticsearchConfig copy = InstantiationUtil.clone(c);
        assertThat(copy.indexNames.index("Acme", 86_400_000L)).isEqualTo(c.indexNames.index("Acme", 86_400_000L));
    }

    @Test
    void badValuesStopTheJobWithTheKeyName() {
        List<String[]> cases = List.of(
                new String[] {"elasticsearch.hosts", "127.0.0.1:9200"},
                new String[] {"elasticsearch.hosts", "http://127.0.0.1"},
                new String[] {"elasticsearch.hosts", " , "},
                new String[] {"elasticsearch.index-pattern", "logflow-<yyyy.MM.dd>"},
                new String[] {"elasticsearch.unassigned-workspace", "unassigned"},
                new String[] {"elasticsearch.bulk-max-size", "512 kb"},
                new String[] {"elasticsearch.bulk-max-size", "1536 kb"},
                new String[] {"elasticsearch.bulk-max-actions", "0"},
                new String[] {"elasticsearch.backoff-max-retries", "0"},
                new String[] {"elasticsearch.replicas", "-1"},
                new String[] {"elasticsearch.template-name", "Logflow"},
                new String[] {"elasticsearch.password", "secret"});
        for (String[] c : cases) {
            Map<String, String> values = new HashMap<>(Map.of(c[0], c[1]));
            values.putIfAbsent("elasticsearch.hosts", "http://127.0.0.1:9200");
            assertThatThrownBy(() -> ElasticsearchConfig.from(Settings.of(values, ElasticsearchOptions.all())))
                    .as("%s=%s", c[0], c[1])
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith(c[0] + ": ")
                    .hasMessageNotContaining("\n");
        }
    }

    @Test
    void credentialsComeAsAPair() {
        ElasticsearchConfig c = read("elasticsearch.hosts", "http://127.0.0.1:9200", "elasticsearch.username", "logflow",
                "elasticsearch.password", "s3cret");
        assertThat(c.username).isEqualTo("logflow");
        assertThat(c.password).isEqualTo("s3cret");
        assertThat(c.toString()).doesNotContain("s3cret");
    }

    @Test
    void templateMapsWorkspaceFieldsAsKeywordsWithoutDetection() {
        String body = IndexTemplate.body(read("elasticsearch.hosts", "http://127.0.0.1:9200",
                "elasticsearch.index-pattern", "logs-<workspace>-<yyyy.MM>", "elasticsearch.replicas", "0"));
        assertThat(body).contains("\"index_patterns\":[\"logs-*\"]", "\"dynamic\":\"strict\"",
                "\"date_detection\":false", "\"path_match\":\"fields.*\"", "\"number_of_replicas\":0");
    }
}
