package io.logflow.sink.elasticsearch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.logflow.model.Failure;
import io.logflow.model.FailureStage;
import io.logflow.model.SourceKind;
import io.logflow.model.Storable;
import io.logflow.pipeline.RejectedDocuments;
import org.apache.flink.connector.elasticsearch.sink.ElasticsearchSink;
import org.elasticsearch.ElasticsearchStatusException;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ActionRequest;
import org.elasticsearch.action.ActionRequestValidationException;
import org.elasticsearch.action.DocWriteRequest;
import org.elasticsearch.action.DocWriteResponse;
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
import org.elasticsearch.common.xcontent.XContentParseException;
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
 * <p><b>Why this is needed.</b> flink-connector-elasticsearch7 3.0.1 (the newest release the build can get) has no
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
 *   <li>sets aside, before sending, a document larger than {@code elasticsearch.bulk-max-size} or one the client's
 *       own validation refuses (which would fail the whole bulk), as {@code es_rejected} failures;
 *   <li>splits a request refused as a whole because of what it holds (413 over {@code http.max_content_length} or
 *       a proxy's limit, 400, or a document the client cannot re-encode: it re-parses every document, and Jackson
 *       refuses strings over 20,000,000 characters) in halves until the document at fault stands alone, and
 *       rejects that one, so one document can neither fail the bulk nor be retried for ever;
 *   <li>leaves every other failure (400 closed index, 401, 403 read-only index, 404 no index) to fail the job: those
 *       are not a document's fault and must not empty the event stream into the failure table.
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
        return BulkProcessor.builder(new RejectionAwareBulkCall(client, rejected, maxRawBytes,
                        (long) config.bulkMaxSizeMb << 20), listener)
                .setBulkActions(config.bulkMaxActions)
                .setBulkSize(new ByteSizeValue(config.bulkMaxSizeMb, ByteSizeUnit.MB))
                .setFlushInterval(TimeValue.timeValueMillis(config.bulkFlushInterval.toMillis()))
                .setBackoffPolicy(BackoffPolicy.exponentialBackoff(
                        TimeValue.timeValueMillis(config.backoffDelay.toMillis()), config.backoffMaxRetries));
    }

    /** One bulk call: settles permanent rejections and marks transient errors retryable. */
    static final class RejectionAwareBulkCall implements BiConsumer<BulkRequest, ActionListener<BulkResponse>> {
        private static final JsonFactory JSON = new JsonFactory();
        /** The REST client reports an item's error as {@code Elasticsearch exception [type=..., reason=...]}. */
        private static final Pattern ERROR_TYPE = Pattern.compile("type=([a-z_]+)");
        private static final Set<String> DOCUMENT_FAULTS = Set.of("mapper_parsing_exception",
                "strict_dynamic_mapping_exception", "illegal_argument_exception", "document_parsing_exception",
                "parse_exception", "x_content_parse_exception", "invalid_index_name_exception");
        private final RestHighLevelClient client;
        private final RejectedDocuments rejected;
        private final int maxRawBytes;
        private final long maxDocumentBytes;

        RejectionAwareBulkCall(RestHighLevelClient client, RejectedDocuments rejected, int maxRawBytes,
                long maxDocumentBytes) {
            this.client = client;
            this.rejected = rejected;
            this.maxRawBytes = maxRawBytes;
            this.maxDocumentBytes = maxDocumentBytes;
        }

        /**
         * Sends {@code request}, after setting aside the documents that cannot be sent (larger than
         * {@code elasticsearch.bulk-max-size}, or refused by the client's own validation). A whole request refused
         * because of what it holds (413 too large, 400, or a document the client cannot re-encode) is split in
         * halves until the document at fault stands alone; that one is rejected. Every rejection is recorded
         * before the processor hears of the bulk.
         */
        @Override
        public void accept(BulkRequest request, ActionListener<BulkResponse> listener) {
            Attempt attempt = new Attempt(request, listener);
            List<Integer> toSend = new ArrayList<>();
            for (int i = 0; i < request.requests().size(); i++) {
                String problem = unsendable(request.requests().get(i));
                if (problem == null) {
                    toSend.add(i);
                } else {
                    attempt.reject(i, problem);
                }
            }
            send(attempt, toSend, true, attempt::finish);
        }

        /** Why a request cannot be sent at all, or null. */
        private String unsendable(DocWriteRequest<?> request) {
            if (request instanceof IndexRequest) {
                BytesReference source = ((IndexRequest) request).source();
                if (source != null && source.length() > maxDocumentBytes) {
                    return "document_too_large: " + source.length() + " bytes, more than elasticsearch.bulk-max-size ("
                            + maxDocumentBytes + " bytes)";
                }
            }
            ActionRequestValidationException invalid = request instanceof ActionRequest
                    ? ((ActionRequest) request).validate() : null;
            return invalid == null ? null : "invalid_request: " + invalid.getMessage();
        }

        /** Sends the requests at {@code positions} of the attempt, then runs {@code done} (unless it failed). */
        private void send(Attempt attempt, List<Integer> positions, boolean whole, Runnable done) {
            if (positions.isEmpty()) {
                done.run();
                return;
            }
            BulkRequest part = new BulkRequest();
            part.timeout(attempt.request.timeout());
            part.setRefreshPolicy(attempt.request.getRefreshPolicy());
            for (int i : positions) {
                part.add(attempt.request.requests().get(i));
            }
            client.bulkAsync(part, RequestOptions.DEFAULT, new ActionListener<>() {
                @Override
                public void onResponse(BulkResponse response) {
                    BulkItemResponse[] got = response.getItems();
                    for (int j = 0; j < got.length; j++) {
                        attempt.items[positions.get(j)] = renumbered(positions.get(j), got[j]);
                    }
                    attempt.took += response.getTook().millis();
                    done.run();
                }

                @Override
                public void onFailure(Exception e) {
                    if (documentCaused(e)) {
                        if (positions.size() == 1) {
                            attempt.reject(positions.get(0), describe(e));
                            done.run();
                        } else {
                            LOG.warn("Elasticsearch refused a bulk of {} documents as a whole ({}); sending it in halves "
                                    + "to find the document at fault", positions.size(), describe(e));
                            int half = positions.size() / 2;
                            List<Integer> second = positions.subList(half, positions.size());
                            send(attempt, positions.subList(0, half), false,
                                    () -> send(attempt, second, false, done));
                        }
                    } else if (retryable(e) && !whole) {
                        // a part of a split request: its items are retried with backoff like any other 429 item
                        for (int i : positions) {
                            attempt.items[i] = transientFailure(i, attempt.request.requests().get(i), e);
                        }
                        done.run();
                    } else {
                        attempt.listener.onFailure(retryable(e) ? asRetryable(e) : e);
                    }
                }
            });
        }

        /** The state of one call to {@link #accept}: the item responses so far and the rejections. */
        private final class Attempt {
            final BulkRequest request;
            final ActionListener<BulkResponse> listener;
            final BulkItemResponse[] items;
            final List<Integer> rejectedItems = new ArrayList<>();
            final List<Failure> failures = new ArrayList<>();
            long took;

            Attempt(BulkRequest request, ActionListener<BulkResponse> listener) {
                this.request = request;
                this.listener = listener;
                this.items = new BulkItemResponse[request.requests().size()];
            }

            void reject(int position, String why) {
                DocWriteRequest<?> req = request.requests().get(position);
                if (!(req instanceof IndexRequest)) {
                    throw new IllegalStateException("only index requests are sent, got " + req);
                }
                failures.add(failure((IndexRequest) req, why));
                rejectedItems.add(position);
                items[position] = new BulkItemResponse(position, req.opType(), new BulkItemResponse.Failure(
                        req.index(), "_doc", req.id(), new IllegalArgumentException(why), RestStatus.BAD_REQUEST));
            }

            void finish() {
                BulkResponse response;
                try {
                    if (!failures.isEmpty()) {
                        rejected.record(failures);
                        LOG.warn("Elasticsearch cannot take {} documents; recorded as '{}' failures, e.g. {}",
                                failures.size(), REASON, failures.get(0).detail);
                        for (int i : rejectedItems) {
                            items[i] = settled(i, request.requests().get(i));
                        }
                    }
                    response = settle(request, new BulkResponse(items, took));
                } catch (Exception e) {
                    LOG.error("Could not record {} documents Elasticsearch cannot take; the bulk fails",
                            failures.size(), e);
                    listener.onFailure(e);
                    return;
                }
                listener.onResponse(response);
            }
        }

        /**
         * A whole-request failure caused by what the request holds, not by the cluster: 413 (larger than
         * {@code http.max_content_length}, or a proxy's limit), 400, a client-side validation error, or a document
         * the client cannot re-encode (it re-parses every document; e.g. a string over Jackson's length limit).
         */
        static boolean documentCaused(Exception e) {
            if (e instanceof ElasticsearchStatusException) {
                int status = ((ElasticsearchStatusException) e).status().getStatus();
                return status == 413 || status == 400;
            }
            return e instanceof ActionRequestValidationException || e instanceof JsonProcessingException
                    || e instanceof XContentParseException;
        }

        private static String describe(Exception e) {
            if (e instanceof ElasticsearchStatusException) {
                return "request_refused: HTTP " + ((ElasticsearchStatusException) e).status().getStatus() + ": "
                        + e.getMessage();
            }
            return "request_refused: " + e;
        }

        private static BulkItemResponse renumbered(int position, BulkItemResponse item) {
            if (item.getItemId() == position) {
                return item;
            }
            return item.isFailed()
                    ? new BulkItemResponse(position, item.getOpType(), item.getFailure())
                    : new BulkItemResponse(position, item.getOpType(), item.<DocWriteResponse>getResponse());
        }

        private static BulkItemResponse transientFailure(int position, DocWriteRequest<?> req, Exception e) {
            return new BulkItemResponse(position, req.opType(), new BulkItemResponse.Failure(req.index(), "_doc",
                    req.id(), e, RestStatus.TOO_MANY_REQUESTS));
        }

        private static BulkItemResponse settled(int position, DocWriteRequest<?> req) {
            return new BulkItemResponse(position, req.opType(),
                    new IndexResponse(new ShardId(req.index(), "_na_", 0), "_doc", req.id(), -1, 0, 1, false));
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
                    items[i] = settled(items[i].getItemId(), request.requests().get(i));
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
            return failure(request, rejection.getMessage());
        }

        private Failure failure(IndexRequest request, String why) {
            byte[] doc = BytesReference.toBytes(request.source());
            String sourceRef = null;
            String workspaceId = null;
            SourceKind source = null;
            // Only the top-level fields needed; the rest is skipped unread, however large its strings.
            try (JsonParser p = JSON.createParser(doc)) {
                if (p.nextToken() == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        JsonToken value = p.nextToken();
                        if (value == JsonToken.VALUE_STRING && name.equals("sourceRef")) {
                            sourceRef = p.getText();
                        } else if (value == JsonToken.VALUE_STRING && name.equals("workspaceId")) {
                            workspaceId = p.getText();
                        } else if (value == JsonToken.VALUE_STRING && name.equals("source")) {
                            source = SourceKind.valueOf(p.getText());
                        } else {
                            p.skipChildren();
                        }
                    }
                }
            } catch (IOException | IllegalArgumentException e) {
                // the document is ours; if it cannot be read back, the failure keeps the raw bytes and the id
            }
            String ref = sourceRef != null ? sourceRef : "elasticsearch:" + request.index() + "/" + request.id();
            String detail = Storable.truncate(Storable.text(
                    "index " + request.index() + ", _id " + request.id() + ": " + why), MAX_DETAIL);
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
