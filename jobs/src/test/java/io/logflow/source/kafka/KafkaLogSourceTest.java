package io.logflow.source.kafka;

import io.logflow.model.RawLog;
import io.logflow.model.RawLogBatchSerializer;
import io.logflow.pipeline.LogSource;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.flink.util.UserCodeClassLoader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaLogSourceTest {
    private static KafkaIngestConfig config() {
        return KafkaIngestConfig.from(KafkaIngestConfigTest.settings(Map.of(
                "kafka.bootstrap-servers", "127.0.0.1:9", "ingest.kafka.topics", "logs")));
    }

    @Test
    void sourceHasItsUidAndEmitsRawLogsWithTheirOwnSerializer() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.getConfig().disableGenericTypes();

        LogSource.Streams streams = new KafkaLogSource(config()).build(env);

        assertThat(streams.batches.getTransformation().getUid()).isEqualTo("kafka-ingest-batches");
        assertThat(streams.batches.getTransformation().getInputs()).singleElement().satisfies(source -> {
            assertThat(source.getUid()).isEqualTo("kafka-ingest-source");
            assertThat(source.getOutputType()).isEqualTo(TypeInformation.of(RawLog.class)); // RawLogSerializer
        });
        assertThat(streams.batches.getType()).isEqualTo(RawLogBatchSerializer.TYPE);
        assertThat(streams.failures).isNull();
    }

    @Test
    void schemaEmitsOneRawLogPerObjectAndReadsTheRoutingHeader() throws Exception {
        KafkaRawLogSchema schema = new KafkaRawLogSchema(config());
        schema.open(new Context());
        RecordHeaders headers = new RecordHeaders();
        headers.add("workspace", "from-header".getBytes(StandardCharsets.UTF_8));
        byte[] value = "{\"message\":\"a\"}\n{\"nope\":1}\n".getBytes(StandardCharsets.UTF_8);
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("logs", 3, 17L, 1_700_000_000_000L,
                TimestampType.CREATE_TIME, 0, value.length, null, value, headers, Optional.empty());
        List<RawLog> out = new ArrayList<>();

        schema.deserialize(record, new Collector<>() {
            @Override
            public void collect(RawLog raw) {
                out.add(raw);
            }

            @Override
            public void close() {}
        });

        assertThat(out).extracting(RawLog::sourceRef).containsExactly("kafka:logs/3@17[0]", "kafka:logs/3@17[1]");
        assertThat(out).extracting(r -> r.error).containsExactly(null, KafkaRecordSplitter.MISSING_MESSAGE);
        assertThat(out).extracting(r -> r.routingKey).containsOnly("from-header");
        assertThat(out).extracting(r -> r.receiveTime).containsOnly(1_700_000_000_000L);
        assertThat(schema.getProducedType()).isEqualTo(TypeInformation.of(RawLog.class));
    }

    private static final class Context implements DeserializationSchema.InitializationContext {
        @Override
        public MetricGroup getMetricGroup() {
            return new UnregisteredMetricsGroup();
        }

        @Override
        public UserCodeClassLoader getUserCodeClassLoader() {
            throw new UnsupportedOperationException();
        }
    }
}
