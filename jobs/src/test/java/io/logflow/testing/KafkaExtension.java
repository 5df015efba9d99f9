package io.logflow.testing;

import kafka.testkit.KafkaClusterTestKit;
import kafka.testkit.TestKitNodes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Exit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A real Kafka for the tests: one in-JVM KRaft node (broker and controller combined) from Kafka's own
 * {@link KafkaClusterTestKit}, listening on 127.0.0.1 only. Started once per test JVM by the first class that registers
 * this extension; a shutdown hook closes it (its threads would otherwise keep the JVM alive).
 *
 * <p>The helpers are static, so any test or fixture can create topics, produce and read back once the extension is
 * registered. Topic names should be unique per test ({@link #uniqueTopic}); the broker lives as long as the JVM.
 */
public final class KafkaExtension implements BeforeAllCallback {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final AtomicInteger TOPICS = new AtomicInteger();

    private static KafkaClusterTestKit cluster;
    private static String bootstrapServers;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    private static synchronized void start() throws Exception {
        if (cluster != null) {
            return;
        }
        long started = System.nanoTime();
        // The kit's data directory is removed by a shutdown hook of Kafka's own, which can run while the broker is
        // still closing; the broker then halts the JVM ("all log dirs failed") and the test run fails at exit.
        // Kafka's Exit procedures are its hooks for exactly this: in a test JVM, report instead of halting.
        Exit.setHaltProcedure((code, message) ->
                System.err.println("Kafka asked to halt the JVM (" + code + "): " + message + " - ignored in tests"));
        Exit.setExitProcedure((code, message) ->
                System.err.println("Kafka asked to exit the JVM (" + code + "): " + message + " - ignored in tests"));
        KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build())
                // Both listeners on the loopback address only (the kit's default is localhost).
                .setConfigProp("listeners", "EXTERNAL://127.0.0.1:0,CONTROLLER://127.0.0.1:0")
                .setConfigProp("num.partitions", "1")
                .setConfigProp("default.replication.factor", "1")
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                // Compaction runs soon enough for a test to see it.
                .setConfigProp("log.cleaner.backoff.ms", "500")
                // Test records carry fixed event times, weeks old by now: with the default retention by time (7
                // days), the broker deletes a topic's first records while a test still reads them.
                .setConfigProp("log.retention.ms", "-1")
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                kit.close();
            } catch (Exception ignored) {
                // the JVM is exiting
            }
        }));
        kit.format();
        kit.startup();
        kit.waitForReadyBrokers();
        cluster = kit;
        // The kit names its listeners 'localhost'; the brokers listen (and advertise) on 127.0.0.1.
        bootstrapServers = kit.bootstrapServers().replace("localhost", "127.0.0.1");
        String advertised;
        try (Admin admin = admin()) {
            advertised = admin.describeCluster().nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).stream()
                    .map(n -> n.host() + ":" + n.port()).collect(Collectors.joining(","));
        }
        System.out.printf("Kafka (KRaft, in-JVM) on %s (advertised %s), ready in %d ms%n", bootstrapServers,
                advertised, (System.nanoTime() - started) / 1_000_000);
    }

    /** {@code host:port} of the broker, for {@code bootstrap.servers}. */
    public static String bootstrapServers() {
        if (bootstrapServers == null) {
            throw new IllegalStateException("register KafkaExtension as a JUnit extension first");
        }
        return bootstrapServers;
    }

    /** A topic name no other test in this JVM uses: {@code prefix-N}. */
    public static String uniqueTopic(String prefix) {
        return prefix + "-" + TOPICS.incrementAndGet();
    }

    /** Creates a topic with the broker's delete retention (no limit by age here) and waits until it exists. */
    public static void createTopic(String topic, int partitions) throws Exception {
        createTopic(topic, partitions, Map.of());
    }

    /** Creates a log-compacted topic: the latest value per key is kept, a null value (tombstone) deletes the key. */
    public static void createCompactedTopic(String topic, int partitions) throws Exception {
        createTopic(topic, partitions, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }

    public static void createTopic(String topic, int partitions, Map<String, String> configs) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty()).configs(configs)))
                    .all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The topic's configuration as the broker reports it (e.g. {@code cleanup.policy}). */
    public static Map<String, String> topicConfig(String topic) throws Exception {
        try (Admin admin = admin()) {
            org.apache.kafka.common.config.ConfigResource resource = new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic);
            return admin.describeConfigs(List.of(resource)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .get(resource).entries().stream()
                    .filter(e -> e.value() != null)
                    .collect(Collectors.toMap(e -> e.name(), e -> e.value()));
        }
    }

    /** Sends one record (a null {@code value} is a tombstone) and waits for the broker's acknowledgement. */
    public static RecordMetadata produce(String topic, String key, String value) throws Exception {
        return produce(topic, List.of(new ProducerRecord<>(topic, key, value))).get(0);
    }

    /** Sends records in order and waits until all are acknowledged. */
    public static List<RecordMetadata> produce(String topic, List<ProducerRecord<String, String>> records)
            throws Exception {
        List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = producer()) {
            for (ProducerRecord<String, String> record : records) {
                if (!record.topic().equals(topic)) {
                    throw new IllegalArgumentException("record for " + record.topic() + " given with topic " + topic);
                }
                sent.add(producer.send(record));
            }
            producer.flush();
        }
        List<RecordMetadata> out = new ArrayList<>();
        for (java.util.concurrent.Future<RecordMetadata> f : sent) {
            out.add(f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        }
        return out;
    }

    /** Every record currently in the topic, partition by partition, from the beginning to the current end. */
    public static List<ConsumerRecord<String, String>> readAll(String topic) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, TIMEOUT).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within " + TIMEOUT);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /** Client properties that reach the broker: {@code bootstrap.servers} and nothing else. */
    public static Properties clientProperties() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return props;
    }

    public static Admin admin() {
        return Admin.create(clientProperties());
    }

    /** A string producer that waits for all replicas and keeps the order of the records it is given. */
    public static KafkaProducer<String, String> producer() {
        Properties props = clientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    /** A string consumer with no group: assign partitions yourself. */
    public static KafkaConsumer<String, String> consumer() {
        Properties props = clientProperties();
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }
}
