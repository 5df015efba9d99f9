package io.logflow.sink.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logflow.model.Level;
import io.logflow.model.LogEvent;
import io.logflow.testing.ElasticsearchExtension;
import io.logflow.testing.TestClusters;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.logflow.sink.elasticsearch.EsTestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The template id reaches the document, also in an index made before the mapping had the field: the mapping is
 * strict, so without the field added to existing indices every document of today's index would be rejected.
 */
class ElasticsearchTemplateIdTest {
    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.miniCluster(2);
    @RegisterExtension static final ElasticsearchExtension ELASTICSEARCH = new ElasticsearchExtension();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long DAY = Instant.parse("2026-11-02T10:00:00Z").toEpochMilli();

    @Test
    void anIndexMadeWithTheEarlierMappingTakesDocumentsWithATemplateId() throws Exception {
        String prefix = ElasticsearchExtension.uniquePrefix();
        ElasticsearchConfig es = EsTestEvents.config(prefix, Map.of());
        String index = es.indexNames.index("acme", DAY);
        // the index as the previous version made it: the template's settings and mappings without templateId
        ObjectNode template = (ObjectNode) JSON.readTree(IndexTemplate.body(es)).get("template");
        ((ObjectNode) template.get("mappings").get("properties")).remove("templateId");
        template.remove("aliases");
        ElasticsearchExtension.request("PUT", "/" + index, template.toString());
        assertThat(ElasticsearchExtension.request("GET", "/" + index + "/_mapping", null)
                .findPath("properties").has("templateId")).isFalse();

        List<LogEvent> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            LogEvent e = event(i, "acme", DAY + i, Level.INFO, "api", "user " + i + " logged in", null);
            e.templateId = "00000000000000a" + i;
            e.template = "user <NUM> logged in";
            events.add(e);
        }
        EsTestEvents.Collected rejected = new EsTestEvents.Collected("template-id-" + prefix);
        EsTestEvents.run(events, es, rejected);

        assertThat(rejected.failures()).isEmpty();
        assertThat(ElasticsearchExtension.count(index, "{\"query\":{\"term\":{\"templateId\":\"00000000000000a3\"}}}"))
                .isEqualTo(1);
        JsonNode hits = ElasticsearchExtension.request("GET", "/" + index + "/_search?size=10", null).path("hits");
        assertThat(hits.path("total").path("value").asLong()).isEqualTo(5);
        hits.path("hits").forEach(hit -> assertThat(hit.path("_source").path("templateId").asText()).startsWith("0"));
    }
}
