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
        assertThat(c.indexNames.index("acme", 0L)).isEqualTo("logflow-shared-1970.01.01");
        assertThat(c.indexNames.shared()).isTrue();
        assertThat(c.retention).isEqualTo(Duration.ofDays(30));
        assertThat(c.dedicated).isEmpty();
        assertThat(c.aliasOf("acme")).isEqualTo("logflow-ws-acme");
        assertThat(c.aliasOf("Acme")).matches("logflow-ws-acme~[0-9a-f]{16}");
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
                new String[] {"elasticsearch.index-pattern", "logflow-<workspace>-<workspace>"},
                new String[] {"elasticsearch.dedicated-index-pattern", "logflow-dedicated-<yyyy.MM.dd>"},
                new String[] {"elasticsearch.dedicated-workspaces", "bigco=soon"},
                new String[] {"elasticsearch.dedicated-workspaces", "bigco=10 min"},
                new String[] {"elasticsearch.dedicated-workspaces", "=30 d"},
                new String[] {"elasticsearch.retention", "30 min"},
                new String[] {"elasticsearch.workspace-alias", "logflow-ws"},
                new String[] {"elasticsearch.workspace-alias", "logflow-ws-<workspace>-<yyyy.MM.dd>"},
                new String[] {"elasticsearch.workspace-alias", "logflow-shared-<workspace>"},
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
    void dedicatedWorkspacesHaveTheirOwnIndicesAndRetention() {
        ElasticsearchConfig c = read("elasticsearch.hosts", "http://127.0.0.1:9200",
                "elasticsearch.dedicated-workspaces", " bigco=90 d, globex ,", "elasticsearch.retention", "7 d");
        assertThat(c.dedicated).containsOnlyKeys("bigco", "globex");
        assertThat(c.retentionOf("bigco")).isEqualTo(Duration.ofDays(90));
        assertThat(c.retentionOf("globex")).isEqualTo(Duration.ofDays(7));
        assertThat(c.retentionOf("acme")).isEqualTo(Duration.ofDays(7));
        assertThat(c.indexNamesOf("bigco").index("bigco", 0L)).isEqualTo("logflow-dedicated-bigco-1970.01.01");
        assertThat(c.indexNamesOf("acme").index("acme", 0L)).isEqualTo("logflow-shared-1970.01.01");
        // each dedicated workspace's indices have a template of their own, with its aliases only
        assertThat(IndexTemplate.body(c)).contains("\"index_patterns\":[\"logflow-shared-*\"]",
                "\"composed_of\":[\"logflow-events-aliases\"]");
        assertThat(IndexTemplate.dedicatedBody(c, "bigco")).contains(
                "\"index_patterns\":[\"logflow-dedicated-bigco-*\"]",
                "\"composed_of\":[\"logflow-events-dedicated-bigco-aliases\"]", "\"priority\":205");
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
