package io.logflow.sink.elasticsearch;

import io.logflow.model.Failure;
import io.logflow.model.FailureStage;
import io.logflow.model.Level;
import io.logflow.model.LogEvent;
import io.logflow.model.SourceKind;
import io.logflow.pipeline.RejectedDocuments;
import io.logflow.sink.elasticsearch.RejectionAwareBulkProcessorFactory.RejectionAwareBulkCall;
import org.elasticsearch.ElasticsearchException;
import org.elasticsearch.ElasticsearchStatusException;
import org.elasticsearch.action.DocWriteRequest;
import org.elasticsearch.action.bulk.BulkItemResponse;
import org.elasticsearch.action.bulk.BulkRequest;
import org.elasticsearch.action.bulk.BulkResponse;
import org.elasticsearch.action.index.IndexRequest;
import org.elasticsearch.action.index.IndexResponse;
import org.elasticsearch.index.shard.ShardId;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.transport.RemoteTransportException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the bulk call hands the connector's retry logic and writer: permanent rejections settled and recorded, server
 * errors made retryable, the rest untouched. (The pipeline test shows the same against a real node.)
 */
class RejectionAwareBulkCallTest {
    private static final ElasticsearchConfig CONFIG = ElasticsearchConfig.from(io.logflow.config.Settings.of(
            Map.of("elasticsearch.hosts", "http://127.0.0.1:9200"), ElasticsearchOptions.all()));

    private final List<Failure> recorded = new ArrayList<>();

    private static IndexRequest request(int n) {
        LogEvent e = EsTestEvents.event(n, "acme", 1_793_610_000_000L, Level.INFO, "api", "m" + n, Map.of("k", "v"));
        return LogEventEmitter.request(CONFIG, e);
    }

    private static BulkItemResponse ok(int i, DocWriteRequest<?> r) {
        return new BulkItemResponse(i, DocWriteRequest.OpType.INDEX,
                new IndexResponse(new ShardId(r.index(), "uuid", 0), "_doc", r.id(), 1, 1, 1, true));
    }

    private static BulkItemResponse failed(int i, DocWriteRequest<?> r, RestStatus status, String type) {
        return new BulkItemResponse(i, DocWriteRequest.OpType.INDEX, new BulkItemResponse.Failure(r.index(), "_doc",
                r.id(), new ElasticsearchException("Elasticsearch exception [type=" + type + ", reason=failed]"), status));
    }

    @Test
    void documentFaultIsRecordedAndSettledServerErrorBecomesRetryableIndexProblemsStay() {
        BulkRequest bulk = new BulkRequest();
        for (int i = 0; i < 5; i++) {
            bulk.add(request(i));
        }
        List<DocWriteRequest<?>> r = bulk.requests();
        BulkResponse response = new BulkResponse(new BulkItemResponse[] {
            ok(0, r.get(0)),
            failed(1, r.get(1), RestStatus.BAD_REQUEST, "mapper_parsing_exception"),
            failed(2, r.get(2), RestStatus.SERVICE_UNAVAILABLE, "unavailable_shards_exception"),
            failed(3, r.get(3), RestStatus.FORBIDDEN, "cluster_block_exception"),
            failed(4, r.get(4), RestStatus.BAD_REQUEST, "index_closed_exception")}, 5);

        BulkResponse settled = new RejectionAwareBulkCall(null, recorded::addAll, 16, 1 << 20).settle(bulk, response);

        BulkItemResponse[] items = settled.getItems();
        assertThat(items[0].isFailed()).isFalse();
        assertThat(items[1].isFailed()).as("recorded rejection counts as written").isFalse();
        assertThat(items[1].getId()).isEqualTo(r.get(1).id());
        assertThat(items[2].isFailed()).isTrue();
        assertThat(items[2].status()).as("the processor retries 429 only").isEqualTo(RestStatus.TOO_MANY_REQUESTS);
        assertThat(items[3].isFailed()).isTrue();
        assertThat(items[3].status()).as("not a document's fault: fails the job").isEqualTo(RestStatus.FORBIDDEN);
        assertThat(items[4].isFailed()).as("a closed index is not the document's fault either").isTrue();
        assertThat(items[4].status()).isEqualTo(RestStatus.BAD_REQUEST);

        assertThat(recorded).hasSize(1);
        Failure f = recorded.get(0);
        byte[] doc = EventDocuments.toJson(EsTestEvents.event(1, "acme", 1_793_610_000_000L, Level.INFO, "api", "m1",
                Map.of("k", "v")));
        assertThat(f.stage).isEqualTo(FailureStage.SINK);
        assertThat(f.reason).isEqualTo("es_rejected");
        assertThat(f.sourceRef).isEqualTo("file:/test/app.log#L1");
        assertThat(f.source).isEqualTo(SourceKind.UPLOAD);
        assertThat(f.workspaceId).isEqualTo("acme");
        assertThat(f.detail).contains("logflow-shared-2026.11.02", r.get(1).id(), "mapper_parsing_exception");
        assertThat(f.rawSize).isEqualTo(doc.length);
        assertThat(f.raw).hasSize(16).isEqualTo(java.util.Arrays.copyOf(doc, 16));
    }

    @Test
    void whenRecordingFailsTheResponseStaysAsItWasSoTheJobFailsOverInsteadOfLosingTheDocument() {
        BulkRequest bulk = new BulkRequest().add(request(7));
        BulkResponse response = new BulkResponse(new BulkItemResponse[] {
            failed(0, bulk.requests().get(0), RestStatus.BAD_REQUEST, "mapper_parsing_exception")}, 1);
        RejectedDocuments broken = failures -> {
            throw new java.sql.SQLException("database down");
        };
        assertThat(new RejectionAwareBulkCall(null, broken, 16, 1 << 20).settle(bulk, response)).isSameAs(response);
    }

    @Test
    void unreachableNodeAndServerErrorsAreRetriedOthersAreNot() {
        assertThat(RejectionAwareBulkCall.retryable(new ConnectException("refused"))).isTrue();
        assertThat(RejectionAwareBulkCall.retryable(
                new ElasticsearchStatusException("busy", RestStatus.TOO_MANY_REQUESTS))).isTrue();
        assertThat(RejectionAwareBulkCall.retryable(
                new ElasticsearchStatusException("down", RestStatus.BAD_GATEWAY))).isTrue();
        assertThat(RejectionAwareBulkCall.retryable(
                new ElasticsearchStatusException("bad", RestStatus.BAD_REQUEST))).isFalse();
        assertThat(RejectionAwareBulkCall.retryable(new IllegalStateException("bug"))).isFalse();
        Exception wrapped = RejectionAwareBulkCall.asRetryable(new ConnectException("refused"));
        // org.elasticsearch.action.bulk.Retry backs off on exactly this shape
        assertThat(wrapped).isInstanceOf(RemoteTransportException.class);
        assertThat(((RemoteTransportException) wrapped).status()).isEqualTo(RestStatus.TOO_MANY_REQUESTS);
    }
}
