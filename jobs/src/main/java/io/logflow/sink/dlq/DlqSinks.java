package io.logflow.sink.dlq;

import io.logflow.model.Failure;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;

/**
 * Failures to the Kafka dead-letter topic: key = failure id (deterministic, so consumers and compaction deduplicate
 * the repeats an at-least-once replay writes), value = {@link FailureJson}. At-least-once: every checkpoint waits
 * until the producer's records are acknowledged; no transactions, so readers need no {@code read_committed}.
 */
public final class DlqSinks {
    private DlqSinks() {}

    public static final String UID = "kafka-dlq-failures";
    public static final String NAME = "Kafka DLQ failures";

    public static KafkaSink<Failure> failures(DlqConfig config) {
        return KafkaSink.<Failure>builder()
                .setBootstrapServers(config.bootstrapServers)
                .setRecordSerializer(new FailureRecordSerializer(config.topic))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setProperty(ProducerConfig.ACKS_CONFIG, "all")
                .setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")
                .setProperty(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4")
                .build();
    }

    static final class FailureRecordSerializer implements KafkaRecordSerializationSchema<Failure> {
        private static final long serialVersionUID = 1L;
        private final String topic;

        FailureRecordSerializer(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(Failure f, KafkaSinkContext context, Long timestamp) {
            byte[] key = f.failureId == null ? null : f.failureId.getBytes(StandardCharsets.UTF_8);
            return new ProducerRecord<>(topic, null, f.time > 0 ? f.time : null, key, FailureJson.toJson(f));
        }
    }
}
