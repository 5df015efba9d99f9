package io.logflow.source.kafka;

import io.logflow.model.RawLog;
import io.logflow.pipeline.ReasonCounters;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one Kafka record into its events with {@link KafkaRecordSplitter}: one {@link RawLog} per JSON object, the
 * rejected ones carrying their reason (the parse step makes them failures). Never throws on bad input, so one bad
 * record cannot restart the job.
 *
 * <p>Metrics, under the group {@code kafkaIngest}: {@code recordsRead}, {@code emptyRecords} (tombstones, blank
 * values), {@code objectsEmitted} (every RawLog, rejected ones included) and {@code rejected.<reason>}.
 */
public final class KafkaRawLogSchema implements KafkaRecordDeserializationSchema<RawLog> {
    private static final long serialVersionUID = 1L;

    private final KafkaIngestConfig config;

    private transient KafkaRecordSplitter splitter;
    private transient Counter recordsRead;
    private transient Counter emptyRecords;
    private transient Counter objectsEmitted;
    private transient ReasonCounters rejected;

    public KafkaRawLogSchema(KafkaIngestConfig config) {
        this.config = config;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        splitter = config.splitter();
        MetricGroup metrics = context.getMetricGroup().addGroup("kafkaIngest");
        recordsRead = metrics.counter("recordsRead");
        emptyRecords = metrics.counter("emptyRecords");
        objectsEmitted = metrics.counter("objectsEmitted");
        rejected = new ReasonCounters(metrics.addGroup("rejected"));
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawLog> out) {
        List<RawLog> events = splitter.split(record.topic(), record.partition(), record.offset(), record.timestamp(),
                record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8),
                headers(record), record.value());
        recordsRead.inc();
        if (events.isEmpty()) {
            emptyRecords.inc();
        }
        for (int i = 0; i < events.size(); i++) {
            RawLog raw = events.get(i);
            if (raw.error != null) {
                rejected.inc(raw.error);
            }
            out.collect(raw);
        }
        objectsEmitted.inc(events.size());
    }

    private static Map<String, String> headers(ConsumerRecord<byte[], byte[]> record) {
        Map<String, String> headers = new HashMap<>();
        for (Header h : record.headers()) {
            if (h.value() != null) {
                headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
            }
        }
        return headers;
    }

    @Override
    public TypeInformation<RawLog> getProducedType() {
        return TypeInformation.of(RawLog.class);
    }
}
