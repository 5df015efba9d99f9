package io.logflow.sink.elasticsearch;

import io.logflow.config.ConfigException;
import io.logflow.config.Settings;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.util.TimeUtils;
import org.apache.http.HttpHost;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Elasticsearch sink's configuration, read once from {@link Settings} and validated: a bad value stops the job
 * with one line naming the key. Serializable, so the sink and its emitter can carry it.
 */
public final class ElasticsearchConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** {@code http(s)://host:port} of each node. */
    public final List<String> hosts;
    /** Null: no authentication. */
    public final String username;
    public final String password;
    public final IndexNames indexNames;
    public final int bulkMaxActions;
    public final int bulkMaxSizeMb;
    public final Duration bulkFlushInterval;
    public final Duration backoffDelay;
    public final int backoffMaxRetries;
    public final int shards;
    public final int replicas;
    public final int totalFieldsLimit;
    public final String templateName;
    /** Indices of the workspaces in {@link #dedicated}. */
    public final IndexNames dedicatedIndexNames;
    /** Workspace id to its retention, for the workspaces with indices of their own. */
    public final Map<String, Duration> dedicated;
    public final Duration retention;
    /** The workspace aliases: a pattern with {@code <workspace>} and no date. */
    public final IndexNames aliasNames;

    public ElasticsearchConfig(List<String> hosts, String username, String password, IndexNames indexNames,
            int bulkMaxActions, int bulkMaxSizeMb, Duration bulkFlushInterval, Duration backoffDelay,
            int backoffMaxRetries, int shards, int replicas, int totalFieldsLimit, String templateName,
            IndexNames dedicatedIndexNames, Map<String, Duration> dedicated, Duration retention,
            IndexNames aliasNames) {
        this.hosts = List.copyOf(hosts);
        this.username = username;
        this.password = password;
        this.indexNames = indexNames;
        this.bulkMaxActions = bulkMaxActions;
        this.bulkMaxSizeMb = bulkMaxSizeMb;
        this.bulkFlushInterval = bulkFlushInterval;
        this.backoffDelay = backoffDelay;
        this.backoffMaxRetries = backoffMaxRetries;
        this.shards = shards;
        this.replicas = replicas;
        this.totalFieldsLimit = totalFieldsLimit;
        this.templateName = templateName;
        this.dedicatedIndexNames = dedicatedIndexNames;
        this.dedicated = new TreeMap<>(dedicated);
        this.retention = retention;
        this.aliasNames = aliasNames;
    }

    /** The index names of a workspace's events: its own if it is dedicated, else the shared ones. */
    public IndexNames indexNamesOf(String workspaceId) {
        return workspaceId != null && dedicated.containsKey(workspaceId) ? dedicatedIndexNames : indexNames;
    }

    /** The patterns of every index the sink writes: the shared indices' and the dedicated ones' (one, if equal). */
    public Set<String> indexPatterns() {
        Set<String> patterns = new LinkedHashSet<>();
        patterns.add(indexNames.templatePattern());
        patterns.add(dedicatedIndexNames.templatePattern());
        return patterns;
    }

    /** The retention of a workspace's indices. */
    public Duration retentionOf(String workspaceId) {
        return dedicated.getOrDefault(workspaceId, retention);
    }

    /** The filtered alias of a workspace. */
    public String aliasOf(String workspaceId) {
        return aliasNames.index(workspaceId, 0);
    }

    /** Reads and checks every {@code elasticsearch.*} key; requires {@code elasticsearch.hosts}. */
    public static ElasticsearchConfig from(Settings s) {
        List<String> hosts = hosts(s.getRequired(ElasticsearchOptions.HOSTS));
        String username = s.get(ElasticsearchOptions.USERNAME);
        String password = s.get(ElasticsearchOptions.PASSWORD);
        if (username != null && username.isBlank()) {
            username = null;
        }
        if (username == null && password != null && !password.isEmpty()) {
            throw new ConfigException(ElasticsearchOptions.PASSWORD.key() + ": set without "
                    + ElasticsearchOptions.USERNAME.key());
        }
        if (username != null && password == null) {
            throw new ConfigException(ElasticsearchOptions.PASSWORD.key() + ": required with "
                    + ElasticsearchOptions.USERNAME.key() + " (prefer LOGFLOW_ELASTICSEARCH_PASSWORD)");
        }
        IndexNames names;
        try {
            names = IndexNames.parse(s.getRequired(ElasticsearchOptions.INDEX_PATTERN).trim(),
                    s.getRequired(ElasticsearchOptions.UNASSIGNED_WORKSPACE).trim());
        } catch (IllegalArgumentException e) {
            String key = e.getMessage().contains("must start with '_'")
                    ? ElasticsearchOptions.UNASSIGNED_WORKSPACE.key()
                    : ElasticsearchOptions.INDEX_PATTERN.key();
            throw new ConfigException(key + ": " + e.getMessage());
        }
        MemorySize size = s.getRequired(ElasticsearchOptions.BULK_MAX_SIZE);
        if (size.getBytes() < MemorySize.ofMebiBytes(1).getBytes() || size.getBytes() % (1 << 20) != 0
                || size.getMebiBytes() > 100) {
            throw new ConfigException(ElasticsearchOptions.BULK_MAX_SIZE.key() + ": expected whole megabytes from "
                    + "'1 mb' to '100 mb', got '" + size.toHumanReadableString() + "'");
        }
        int retries = s.getPositiveInt(ElasticsearchOptions.BACKOFF_MAX_RETRIES);
        int replicas = s.getRequired(ElasticsearchOptions.REPLICAS);
        if (replicas < 0) {
            throw new ConfigException(ElasticsearchOptions.REPLICAS.key() + ": expected zero or a positive integer, "
                    + "got '" + replicas + "'");
        }
        String template = s.getRequired(ElasticsearchOptions.TEMPLATE_NAME).trim();
        if (!template.matches("[a-z0-9][a-z0-9._-]{0,99}")) {
            throw new ConfigException(ElasticsearchOptions.TEMPLATE_NAME.key() + ": expected lowercase a-z, 0-9, "
                    + ". _ - (not leading), got '" + template + "'");
        }
        String unassigned = s.getRequired(ElasticsearchOptions.UNASSIGNED_WORKSPACE).trim();
        IndexNames dedicatedNames = pattern(ElasticsearchOptions.DEDICATED_INDEX_PATTERN, s, unassigned);
        if (dedicatedNames.shared()) {
            throw new ConfigException(ElasticsearchOptions.DEDICATED_INDEX_PATTERN.key() + ": must contain <workspace>");
        }
        IndexNames aliases = pattern(ElasticsearchOptions.WORKSPACE_ALIAS, s, unassigned);
        if (aliases.shared() || aliases.toString().matches(".*<[yMdH._-]+>.*")) {
            throw new ConfigException(ElasticsearchOptions.WORKSPACE_ALIAS.key() + ": must contain <workspace> and "
                    + "no date, got '" + aliases + "'");
        }
        for (IndexNames indices : List.of(names, dedicatedNames)) {
            if (overlap(aliases.prefix(), indices.prefix())) {
                throw new ConfigException(ElasticsearchOptions.WORKSPACE_ALIAS.key() + ": its prefix '"
                        + aliases.prefix() + "' must not overlap the index prefix '" + indices.prefix() + "'");
            }
        }
        Duration retention = s.getPositiveDuration(ElasticsearchOptions.RETENTION);
        if (retention.compareTo(Duration.ofHours(1)) < 0) {
            throw new ConfigException(ElasticsearchOptions.RETENTION.key() + ": expected at least 1 h, got '"
                    + retention + "'");
        }
        Map<String, Duration> dedicated = new TreeMap<>();
        String dedicatedList = s.get(ElasticsearchOptions.DEDICATED_WORKSPACES);
        for (String item : (dedicatedList == null ? "" : dedicatedList).split(",")) {
            if (item.isBlank()) {
                continue;
            }
            int eq = item.indexOf('=');
            String id = (eq < 0 ? item : item.substring(0, eq)).trim();
            Duration keep = retention;
            if (eq >= 0) {
                try {
                    keep = TimeUtils.parseDuration(item.substring(eq + 1).trim());
                } catch (RuntimeException e) {
                    keep = Duration.ZERO;
                }
                if (keep.compareTo(Duration.ofHours(1)) < 0) {
                    throw new ConfigException(ElasticsearchOptions.DEDICATED_WORKSPACES.key() + ": expected 'id' or "
                            + "'id=retention' with a retention of at least 1 h such as 'bigco=90 d', got '"
                            + item.trim() + "'");
                }
            }
            if (id.isEmpty()) {
                throw new ConfigException(ElasticsearchOptions.DEDICATED_WORKSPACES.key() + ": empty workspace id in '"
                        + item.trim() + "'");
            }
            dedicated.put(id, keep);
        }
        return new ElasticsearchConfig(hosts, username, password, names,
                s.getPositiveInt(ElasticsearchOptions.BULK_MAX_ACTIONS),
                size.getMebiBytes(),
                s.getPositiveDuration(ElasticsearchOptions.BULK_FLUSH_INTERVAL),
                s.getPositiveDuration(ElasticsearchOptions.BACKOFF_DELAY),
                retries,
                s.getPositiveInt(ElasticsearchOptions.SHARDS),
                replicas,
                s.getPositiveInt(ElasticsearchOptions.TOTAL_FIELDS_LIMIT),
                template, dedicatedNames, dedicated, retention, aliases);
    }

    private static IndexNames pattern(ConfigOption<String> key, Settings s, String unassigned) {
        try {
            return IndexNames.parse(s.getRequired(key).trim(), unassigned);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key.key() + ": " + e.getMessage());
        }
    }

    /** True if an index or alias name could start with both prefixes. */
    private static boolean overlap(String a, String b) {
        return a.startsWith(b) || b.startsWith(a);
    }

    private static List<String> hosts(String value) {
        List<String> out = new ArrayList<>();
        for (String part : value.split(",")) {
            String host = part.trim();
            if (host.isEmpty()) {
                continue;
            }
            try {
                URI uri = new URI(host);
                if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                        && uri.getPort() > 0 && (uri.getPath() == null || uri.getPath().isEmpty()
                                || uri.getPath().equals("/"))) {
                    out.add(uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort());
                    continue;
                }
            } catch (URISyntaxException e) {
                // reported below
            }
            throw new ConfigException(ElasticsearchOptions.HOSTS.key() + ": expected URLs such as "
                    + "http://127.0.0.1:9200 (scheme, host and port), got '" + host + "'");
        }
        if (out.isEmpty()) {
            throw new ConfigException(ElasticsearchOptions.HOSTS.key() + ": expected at least one URL such as "
                    + "http://127.0.0.1:9200");
        }
        return List.copyOf(out);
    }

    public HttpHost[] httpHosts() {
        return hosts.stream().map(HttpHost::create).toArray(HttpHost[]::new);
    }

    @Override
    public String toString() {
        return "ElasticsearchConfig{" + hosts + (username != null ? ", user=" + username : "") + ", index="
                + indexNames + ", bulk=" + bulkMaxActions + "/" + bulkMaxSizeMb + "mb/" + bulkFlushInterval
                + ", backoff=" + backoffDelay + "x" + backoffMaxRetries + ", shards=" + shards + ", replicas="
                + replicas + ", retention=" + retention + ", dedicated=" + dedicated.keySet() + '}';
    }
}
