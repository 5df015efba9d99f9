package io.logflow.workspace;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** The registrations topic as the {@code workspace} commands use it: read its current state, publish to it. */
public final class WorkspaceTopic {
    static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final WorkspaceConfig config;

    public WorkspaceTopic(WorkspaceConfig config) {
        this.config = config;
    }

    /** Whether the topic exists. */
    public boolean exists() throws Exception {
        try (Admin admin = Admin.create(props())) {
            Map<String, TopicDescription> topics = admin.describeTopics(List.of(config.topic)).allTopicNames()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return topics.containsKey(config.topic);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            throw e;
        }
    }

    /** Creates the topic log-compacted (one partition, the broker's replication factor) unless it exists. */
    public void ensureExists() throws Exception {
        if (exists()) {
            return;
        }
        try (Admin admin = Admin.create(props())) {
            admin.createTopics(List.of(new NewTopic(config.topic, Optional.of(1), Optional.empty())
                            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                    .all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    /**
     * The registrations in force: the topic read from its beginning to its current end, the last record per id
     * winning, tombstones removing. Unreadable records are skipped (the job ignores them too). Ordered by id.
     */
    public Map<String, Workspace> current() throws Exception {
        Map<String, Workspace> out = new TreeMap<>();
        if (!exists()) {
            return out;
        }
        Properties props = props();
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(config.topic, TIMEOUT).stream()
                    .map(p -> new TopicPartition(config.topic, p.partition()))
                    .collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p, TIMEOUT) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read topic " + config.topic + " to its end within "
                            + TIMEOUT.toSeconds() + " s");
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    WorkspaceChange change = WorkspaceRecords.fromRecord(record.key(), record.value());
                    if (change.isPut()) {
                        out.put(change.id, change.workspace);
                    } else if (change.isDelete()) {
                        out.remove(change.id);
                    }
                }
            }
        }
        return out;
    }

    /** Publishes a registration (key = id) and waits for the broker's acknowledgement. */
    public RecordMetadata put(Workspace workspace) throws Exception {
        return send(workspace.id, WorkspaceJson.toJson(workspace));
    }

    /** Publishes the tombstone of {@code id}. */
    public RecordMetadata delete(String id) throws Exception {
        return send(id, null);
    }

    private RecordMetadata send(String key, String value) throws Exception {
        Properties props = props();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis() / 2);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, TIMEOUT.toMillis());
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            return producer.send(new ProducerRecord<>(config.topic, key, value))
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private Properties props() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis() / 2);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "logflow-workspace-command");
        return props;
    }

    /** Ids in a readable list, for messages. */
    public static String ids(Map<String, Workspace> registrations) {
        return registrations.isEmpty() ? "none" : String.join(", ", new ArrayList<>(registrations.keySet()));
    }
}
