package io.logflow.sink.dlq;

import io.logflow.model.Failure;
import io.logflow.pipeline.RejectedDocuments;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;

/**
 * Documents Elasticsearch rejected, to the DLQ topic in the same form as every other failure. Sends and waits for
 * the acknowledgements; a producer per call, because rejections are rare.
 */
public final class KafkaRejectedDocuments implements RejectedDocuments {
    private static final long serialVersionUID = 1L;
    private final DlqConfig config;

    public KafkaRejectedDocuments(DlqConfig config) {
        this.config = config;
    }

    @Override
    public void record(List<Failure> failures) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<?>> sent = new ArrayList<>();
            for (Failure f : failures) {
                byte[] key = f.failureId == null ? null : f.failureId.getBytes(StandardCharsets.UTF_8);
                sent.add(producer.send(new ProducerRecord<>(config.topic, null, f.time > 0 ? f.time : null, key,
                        FailureJson.toJson(f))));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        }
    }
}
