package io.logflow.sink.elasticsearch;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;

import java.time.Duration;
import java.util.List;

/** Options of the Elasticsearch 7 sink. The sink is on when {@code elasticsearch.hosts} is set. */
public final class ElasticsearchOptions {
    private ElasticsearchOptions() {}

    public static final ConfigOption<String> HOSTS = ConfigOptions.key("elasticsearch.hosts")
            .stringType()
            .noDefaultValue()
            .withDescription("Elasticsearch 7 nodes, comma-separated URLs such as http://127.0.0.1:9200; unset turns "
                    + "the Elasticsearch sink off.");

    public static final ConfigOption<String> USERNAME = ConfigOptions.key("elasticsearch.username")
            .stringType()
            .noDefaultValue()
            .withDescription("User for HTTP basic authentication; unset sends no credentials.");

    public static final ConfigOption<String> PASSWORD = ConfigOptions.key("elasticsearch.password")
            .stringType()
            .noDefaultValue()
            .withDescription("Password of elasticsearch.username (prefer LOGFLOW_ELASTICSEARCH_PASSWORD).");

    public static final ConfigOption<String> INDEX_PATTERN = ConfigOptions.key("elasticsearch.index-pattern")
            .stringType()
            .defaultValue("logflow-shared-<yyyy.MM.dd>")
            .withDescription("Name of the index an event goes to: <yyyy.MM.dd> (any of y, M, d, H with . - _) is "
                    + "the event's UTC time; without <workspace> the indices are shared by all workspaces and "
                    + "routed by workspace, with <workspace> (the sanitised id) each workspace has its own. Must "
                    + "start with a lowercase literal prefix; the index template covers '<prefix>*'.");

    public static final ConfigOption<String> DEDICATED_INDEX_PATTERN =
            ConfigOptions.key("elasticsearch.dedicated-index-pattern")
            .stringType()
            .defaultValue("logflow-dedicated-<workspace>-<yyyy.MM.dd>")
            .withDescription("Name of the index of an event of a workspace listed in "
                    + "elasticsearch.dedicated-workspaces; must contain <workspace>.");

    public static final ConfigOption<String> DEDICATED_WORKSPACES = ConfigOptions.key("elasticsearch.dedicated-workspaces")
            .stringType()
            .noDefaultValue()
            .withDescription("Workspaces with indices of their own, comma-separated, each 'id' or 'id=retention' "
                    + "(e.g. 'bigco=90 d,globex').");

    public static final ConfigOption<Duration> RETENTION = ConfigOptions.key("elasticsearch.retention")
            .durationType()
            .defaultValue(Duration.ofDays(30))
            .withDescription("How long an index is kept after the end of the period its name holds (at least 1 h); "
                    + "the sink deletes older ones.");

    public static final ConfigOption<String> WORKSPACE_ALIAS = ConfigOptions.key("elasticsearch.workspace-alias")
            .stringType()
            .defaultValue("logflow-ws-<workspace>")
            .withDescription("Filtered alias of one workspace's documents, created when the workspace is registered "
                    + "and removed when it is deleted; must contain <workspace> and no date.");

    public static final ConfigOption<String> UNASSIGNED_WORKSPACE = ConfigOptions.key("elasticsearch.unassigned-workspace")
            .stringType()
            .defaultValue("_unassigned")
            .withDescription("Stands for <workspace> for events without a workspace. Starts with '_', which no "
                    + "sanitised workspace id does, so no workspace can write to or be mistaken for it.");

    public static final ConfigOption<Integer> BULK_MAX_ACTIONS = ConfigOptions.key("elasticsearch.bulk-max-actions")
            .intType()
            .defaultValue(1000)
            .withDescription("Documents per bulk request.");

    public static final ConfigOption<MemorySize> BULK_MAX_SIZE = ConfigOptions.key("elasticsearch.bulk-max-size")
            .memoryType()
            .defaultValue(MemorySize.parse("5 mb"))
            .withDescription("Bytes per bulk request, in whole megabytes (the connector counts in MB). A single "
                    + "document larger than this becomes an 'es_rejected' failure instead of being sent.");

    public static final ConfigOption<Duration> BULK_FLUSH_INTERVAL = ConfigOptions.key("elasticsearch.bulk-flush-interval")
            .durationType()
            .defaultValue(Duration.ofSeconds(1))
            .withDescription("Longest time a document waits in a bulk before it is sent; every checkpoint flushes too.");

    public static final ConfigOption<Duration> BACKOFF_DELAY = ConfigOptions.key("elasticsearch.backoff-delay")
            .durationType()
            .defaultValue(Duration.ofMillis(100))
            .withDescription("First delay of the exponential backoff when Elasticsearch answers 429 or 5xx or cannot "
                    + "be reached.");

    public static final ConfigOption<Integer> BACKOFF_MAX_RETRIES = ConfigOptions.key("elasticsearch.backoff-max-retries")
            .intType()
            .defaultValue(8)
            .withDescription("Retries of a bulk with exponential backoff before the job fails over (and replays).");

    public static final ConfigOption<Integer> SHARDS = ConfigOptions.key("elasticsearch.shards")
            .intType()
            .defaultValue(1)
            .withDescription("Primary shards of each new index (index template setting).");

    public static final ConfigOption<Integer> REPLICAS = ConfigOptions.key("elasticsearch.replicas")
            .intType()
            .defaultValue(1)
            .withDescription("Replicas of each new index (index template setting); 0 for a single node.");

    public static final ConfigOption<Integer> TOTAL_FIELDS_LIMIT = ConfigOptions.key("elasticsearch.total-fields-limit")
            .intType()
            .defaultValue(1000)
            .withDescription("Most mapped fields of an index (index.mapping.total_fields.limit); an event that would "
                    + "pass it becomes an 'es_rejected' failure.");

    public static final ConfigOption<String> TEMPLATE_NAME = ConfigOptions.key("elasticsearch.template-name")
            .stringType()
            .defaultValue("logflow-events")
            .withDescription("Name of the composable index template the sink installs (or replaces) at start.");

    /** Every option above, for the job's list of known keys. */
    public static List<ConfigOption<?>> all() {
        return List.of(HOSTS, USERNAME, PASSWORD, INDEX_PATTERN, UNASSIGNED_WORKSPACE, BULK_MAX_ACTIONS, BULK_MAX_SIZE,
                BULK_FLUSH_INTERVAL, BACKOFF_DELAY, BACKOFF_MAX_RETRIES, SHARDS, REPLICAS, TOTAL_FIELDS_LIMIT,
                TEMPLATE_NAME, DEDICATED_INDEX_PATTERN, DEDICATED_WORKSPACES, RETENTION, WORKSPACE_ALIAS);
    }
}
