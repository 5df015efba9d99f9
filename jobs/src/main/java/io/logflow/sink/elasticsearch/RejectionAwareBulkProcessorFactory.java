package io.logflow.sink.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logflow.model.Failure;
import io.logflow.model.FailureStage;
import io.logflow.model.SourceKind;
import org.apache.flink.connector.elasticsearch.sink.ElasticsearchSink;
import org.elasticsearch.ElasticsearchStatusException;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.DocWriteRequest;
import org.elasticsearch.action.bulk.BackoffPolicy;
import org.elasticsearch.action.bulk.BulkItemResponse;
import org.elasticsearch.action.bulk.BulkProcessor;
import org.elasticsearch.action.bulk.BulkRequest;
import org.elasticsearch.action.bulk.BulkResponse;
import org.elasticsearch.action.index.IndexRequest;
import org.elasticsearch.action.index.IndexResponse;
import org.elasticsearch.client.RequestOptions;
import org.elasticsearch.client.RestHighLevelClient;
import org.elasticsearch.common.bytes.BytesReference;
import org.elasticsearch.common.unit.ByteSizeUnit;
import org.elasticsearch.common.unit.ByteSizeValue;
import org.elasticsearch.common.unit.TimeValue;
import org.elasticsearch.index.shard.ShardId;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.transport.RemoteTransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Serializable;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the sink turns a document Elasticsearch rejects for good into a failure instead of a restart loop, and retries
 * 429 and 5xx with exponential backoff.
 *
 * <p><b>Why this is needed.</b> flink-connector-elasticsearch7 3.0.1 (the newest here; DESIGN.md section 5) has no
 * failure handler: {@code ElasticsearchWriter} throws on any failed item of a bulk, so one document with a mapping
 * conflict fails the job, which replays the same document and fails again. 3.1.0 added a public
 * {@code BulkResponseInspector} for exactly this; it is not available here. The connector's own backoff retries only
 * items with status 429, and only when no item of the bulk failed otherwise; whole-request errors (a node down, a 503)
 * are not retried at all.
 *
 * <p><b>What this does.</b> The writer builds its {@code BulkProcessor} through a factory whose type is
 * package-private in the connector. {@link #install} replaces that factory in the built {@link ElasticsearchSink}
 * with a serializable proxy (this class is its handler) that builds the same {@code BulkProcessor} around a bulk call
 * which, before the connector's retry logic and writer see the response:
 * <ul>
 *   <li>hands items rejected with HTTP 400 for the document's own sake (mapping, parsing, field limit, index name)
 *       to {@link RejectedDocuments} as {@code SINK}/{@code es_rejected}
 *       failures, then reports them to the writer as written (if recording fails, the response stays as it was, and
 *       the job fails over without losing anything);
 *   <li>reports items failed with 5xx as 429, and a whole request that failed with 429/5xx or an I/O error as the
 *       exception the processor retries, so the processor's exponential backoff covers them; after the last retry
 *       the writer fails the job as before (Flink restarts it and the replay overwrites by {@code _id});
 *   <li>leaves every other failure (400 closed index, 403 read-only index, 404 no index) to fail the job: those are not a document's
 *       fault and must not empty the event stream into the failure table.
 * </ul>
 * The pre-shaped documents of {@link EventDocuments} keep such rejections rare; this is the net under them.
 */
final class RejectionAwareBulkProcessorFactory implements InvocationHandler, Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RejectionAwareBulkProcessorFactory.class);
    private static final String FACTORY_CLASS = "org.apache.flink.connector.elasticsearch.sink.BulkProcessorBuilderFactory";
    static final String REASON = "es_rejected";
    private static final int MAX_DETAIL = 2000;

    private final ElasticsearchConfig config;
    private final RejectedDocuments rejected;
    private final int maxRawBytes;

    private RejectionAwareBulkProcessorFactory(ElasticsearchConfig config, RejectedDocuments rejected, int maxRawBytes) {
        this.config = config;
        this.rejected = rejected;
        this.maxRawBytes = maxRawBytes;
    }

    /** Puts the rejection-aware factory into {@code sink}; fails at job build time if the connector changed. */
    static <T> ElasticsearchSink<T> install(
            ElasticsearchSink<T> sink, ElasticsearchConfig config, RejectedDocuments rejected, int maxRawBytes) {
        try {
            Class<?> factoryType = Class.forName(FACTORY_CLASS, false, ElasticsearchSink.class.getClassLoader());
            Object proxy = Proxy.newProxyInstance(factoryType.getClassLoader(), new Class<?>[] {factoryType},
                    new RejectionAwareBulkProcessorFactory(config, rejected, maxRawBytes));
            Field field = ElasticsearchSink.class.getDeclaredField("bulkProcessorBuilderFactory");
            field.setAccessible(true);
            field.set(sink, proxy);
            return sink;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("flink-connector-elasticsearch7 is not the version this sink was written "
                    + "for (3.0.1): cannot install the rejected-document handling", e);
        }
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) {
        switch (method.getName()) {
            case "apply":
                return builder((RestHighLevelClient) args[0], (BulkProcessor.Listener) args[2]);
            case "equals":
                return proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            case "toString":
                return "RejectionAwareBulkProcessorFactory(" + config + ")";
            default:
                throw new UnsupportedOperationException(method.toString());
        }
    }

    /** The connector's settings from {@link ElasticsearchConfig}, around the rejection-aware bulk call. */
    private BulkProcessor.Builder builder(RestHighLevelClient client, BulkProcessor.Listener listener) {
        return BulkProcessor.builder(new RejectionAwareBulkCall(client, rejected, maxRawBytes), listener)
                .setBulkActions(config.bulkMaxActions)
                .setBulkSize(new ByteSizeValue(config.bulkMaxSizeMb, ByteSizeUnit.MB))
                .setFlushInterval(TimeValue.timeValueMillis(config.bulkFlushInterval.toMillis()))
                .setBackoffPolicy(BackoffPolicy.exponentialBackoff(
                        TimeValue.timeValueMillis(config.backoffDelay.toMillis()), config.backoffMaxRetries));
    }

    /** One bulk call: settles permanent rejections and marks transient errors retryable. */
    static final class RejectionAwareBulkCall implements BiConsumer<BulkRequest, ActionListener<BulkResponse>> {
        private static final ObjectMapper JSON = new ObjectMapper();
        /** The REST client reports an item's error as {@code Elasticsearch exception [type=..., reason=...]}. */
        private static final Pattern ERROR_TYPE = Pattern.compile("type=([a-z_]+)");
        private static final Set<String> DOCUMENT_FAULTS = Set.of("mapper_parsing_exception",
                "strict_dynamic_mapping_exception", "illegal_argument_exception", "document_parsing_exception",
                "parse_exception", "x_content_parse_exception", "invalid_index_name_exception");
        private final RestHighLevelClient client;
        private final RejectedDocuments rejected;
        private final int maxRawBytes;

        RejectionAwareBulkCall(RestHighLevelClient client, RejectedDocuments rejected, int maxRawBytes) {
            this.client = client;
            this.rejected = rejected;
            this.maxRawBytes = maxRawBytes;
        }

        @Override
        public void accept(BulkRequest request, ActionListener<BulkResponse> listener) {
            client.bulkAsync(request, RequestOptions.DEFAULT, new ActionListener<>() {
                @Override
                public void onResponse(BulkResponse response) {
                    listener.onResponse(settle(request, response));
                }

                @Override
                public void onFailure(Exception e) {
                    listener.onFailure(retryable(e) ? asRetryable(e) : e);
                }
            });
        }

        BulkResponse settle(BulkRequest request, BulkResponse response) {
            if (!response.hasFailures()) {
                return response;
            }
            BulkItemResponse[] items = response.getItems().clone();
            List<Failure> failures = new ArrayList<>();
            List<Integer> rejectedItems = new ArrayList<>();
            for (int i = 0; i < items.length; i++) {
                BulkItemResponse item = items[i];
                if (!item.isFailed()) {
                    continue;
                }
                int status = item.status().getStatus();
                if (status == 400 && isDocumentFault(item.getFailure())
                        && request.requests().get(i) instanceof IndexRequest) {
                    failures.add(failure((IndexRequest) request.requests().get(i), item.getFailure()));
                    rejectedItems.add(i);
                } else if (status >= 500) {
                    BulkItemResponse.Failure f = item.getFailure();
                    items[i] = new BulkItemResponse(item.getItemId(), item.getOpType(), new BulkItemResponse.Failure(
                            f.getIndex(), f.getType(), f.getId(), f.getCause(), RestStatus.TOO_MANY_REQUESTS));
                }
            }
            if (!failures.isEmpty()) {
                try {
                    rejected.record(failures);
                } catch (Exception e) {
                    LOG.error("Could not record {} documents Elasticsearch rejected; the bulk fails", failures.size(), e);
                    return response;
                }
                LOG.warn("Elasticsearch rejected {} documents for good; recorded as '{}' failures, e.g. {}",
                        failures.size(), REASON, failures.get(0).detail);
                for (int i : rejectedItems) {
                    BulkItemResponse item = items[i];
                    DocWriteRequest<?> req = request.requests().get(i);
                    IndexResponse settled = new IndexResponse(new ShardId(req.index(), "_na_", 0), "_doc", req.id(),
                            -1, 0, 1, false);
                    items[i] = new BulkItemResponse(item.getItemId(), item.getOpType(), settled);
                }
            }
            return new BulkResponse(items, response.getTook().millis(), response.getIngestTookInMillis());
        }

        /**
         * A 400 caused by the document itself, by the error type Elasticsearch reports. A 400 about the index (it is
         * closed, say) is an operational problem: it fails the job rather than turning every event into a failure.
         */
        static boolean isDocumentFault(BulkItemResponse.Failure failure) {
            Matcher type = ERROR_TYPE.matcher(String.valueOf(failure.getMessage()));
            return type.find() && DOCUMENT_FAULTS.contains(type.group(1));
        }

        private Failure failure(IndexRequest request, BulkItemResponse.Failure rejection) {
            byte[] doc = BytesReference.toBytes(request.source());
            String sourceRef = null;
            String workspaceId = null;
            SourceKind source = null;
            try {
                JsonNode node = JSON.readTree(doc);
                sourceRef = node.path("sourceRef").asText(null);
                workspaceId = node.path("workspaceId").asText(null);
                String kind = node.path("source").asText(null);
                source = kind == null ? null : SourceKind.valueOf(kind);
            } catch (IOException | IllegalArgumentException e) {
                // the document is ours; if it cannot be read back, the failure keeps the raw bytes and the id
            }
            String ref = sourceRef != null ? sourceRef : "elasticsearch:" + request.index() + "/" + request.id();
            String detail = "index " + request.index() + ", _id " + request.id() + ": " + rejection.getMessage();
            if (detail.length() > MAX_DETAIL) {
                detail = detail.substring(0, MAX_DETAIL);
            }
            Failure f = Failure.ofPayload(FailureStage.SINK, REASON, detail, source, ref, doc, maxRawBytes,
                    System.currentTimeMillis());
            f.workspaceId = workspaceId;
            return f;
        }

        static boolean retryable(Exception e) {
            if (e instanceof IOException) {
                return true; // connection refused or reset, timeout: the node may come back
            }
            if (e instanceof ElasticsearchStatusException) {
                int status = ((ElasticsearchStatusException) e).status().getStatus();
                return status == 429 || status >= 500;
            }
            return false;
        }

        /** The one whole-request failure the processor's {@code Retry} backs off on: a remote 429. */
        static Exception asRetryable(Exception e) {
            return new RemoteTransportException("bulk request failed, retrying with backoff: " + e.getMessage(),
                    new ElasticsearchStatusException(e.getMessage(), RestStatus.TOO_MANY_REQUESTS, e));
        }
    }
}
