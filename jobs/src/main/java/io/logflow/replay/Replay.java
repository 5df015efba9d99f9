package io.logflow.replay;

import io.logflow.config.ConfigException;
import io.logflow.config.JobConfig;
import io.logflow.config.Settings;
import io.logflow.enrich.Enrichment;
import io.logflow.job.LogSinks;
import io.logflow.job.LogflowJob;
import io.logflow.model.LogEvent;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code logflow replay}: feeds dead letters through the pipeline again, after a fix or after the missing workspace
 * was registered. It takes ENRICH failures that kept their event ({@code record}) and are not yet replayed, runs them
 * through the same enrichment and sinks in a BATCH job, and then marks {@code replayed_at} on those whose event is now
 * stored. The events keep their original ids, so Postgres and Elasticsearch store each once; a failure that fails again
 * stays unmarked and can be replayed later.
 */
public final class Replay {
    static final String SELECT = "SELECT failure_id::text, record::text FROM ingest_failures "
            + "WHERE stage = 'ENRICH' AND record IS NOT NULL AND replayed_at IS NULL AND reason = ? "
            + "AND failed_at >= ? AND failed_at < ? AND (CAST(? AS text) IS NULL OR workspace_id = ?) "
            + "ORDER BY failed_at LIMIT ?";

    static final String MARK = "UPDATE ingest_failures f SET replayed_at = now() "
            + "WHERE failure_id = ANY (CAST(? AS uuid[])) "
            + "AND EXISTS (SELECT 1 FROM log_events e WHERE e.event_id = CAST(f.record ->> 'eventId' AS uuid))";

    private Replay() {}

    /** What a replay did. */
    public static final class Result {
        public final int selected;
        public final int replayed;

        Result(int selected, int replayed) {
            this.selected = selected;
            this.replayed = replayed;
        }
    }

    public static Result run(JobConfig config, Settings settings, StreamExecutionEnvironment env) throws Exception {
        if (config.workspaces.isEmpty()) {
            throw new ConfigException("replay: needs the workspace registrations (workspaces.file or "
                    + "kafka.bootstrap-servers) to enrich the events again");
        }
        List<String> failureIds = new ArrayList<>();
        List<LogEvent> events = new ArrayList<>();
        select(config, settings, failureIds, events);
        if (events.isEmpty()) {
            return new Result(0, 0);
        }

        env.getConfig().disableGenericTypes();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        config.parallelism.ifPresent(env::setParallelism);
        DataStream<LogEvent> replayed = env.fromData(events, TypeInformation.of(LogEvent.class))
                .uid("replay-source")
                .name("Replayed dead letters");
        Enrichment.Result enriched = Enrichment.withRegistrations(
                env, replayed, config.workspaces.get(), config.postgres, config.failureMaxRawBytes);
        LogSinks sinks = LogflowJob.sinks(config);
        sinks.events(enriched.events);
        sinks.failures(enriched.failures);
        env.execute(config.jobName + "-replay");

        return new Result(events.size(), mark(config, failureIds));
    }

    private static void select(JobConfig config, Settings settings, List<String> failureIds, List<LogEvent> events)
            throws Exception {
        String workspace = settings.getOptional(ReplayOptions.WORKSPACE).orElse(null);
        try (Connection c = connect(config); PreparedStatement ps = c.prepareStatement(SELECT)) {
            ps.setString(1, settings.getRequired(ReplayOptions.REASON));
            ps.setObject(2, bound(settings, ReplayOptions.FROM, false).atOffset(ZoneOffset.UTC));
            ps.setObject(3, bound(settings, ReplayOptions.TO, true).atOffset(ZoneOffset.UTC));
            ps.setString(4, workspace);
            ps.setString(5, workspace);
            ps.setInt(6, settings.getPositiveInt(ReplayOptions.MAX_FAILURES));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    failureIds.add(rs.getString(1));
                    events.add(EventRecords.fromJson(rs.getString(2)));
                }
            }
        }
    }

    private static int mark(JobConfig config, List<String> failureIds) throws SQLException {
        try (Connection c = connect(config); PreparedStatement ps = c.prepareStatement(MARK)) {
            ps.setArray(1, c.createArrayOf("text", failureIds.toArray()));
            return ps.executeUpdate();
        }
    }

    /** An instant, or a day: its start for {@code from}, the next day's start for {@code to}. */
    static Instant bound(Settings settings, org.apache.flink.configuration.ConfigOption<String> option, boolean end) {
        if (!settings.isSet(option)) {
            return end ? Instant.parse("9999-12-31T00:00:00Z") : Instant.EPOCH;
        }
        String text = settings.getRequired(option).trim();
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notAnInstant) {
            try {
                LocalDate day = LocalDate.parse(text);
                return (end ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e) {
                throw new ConfigException(option.key() + ": expected an instant such as 2026-11-02T10:00:00Z or a day "
                        + "such as 2026-11-02, got '" + text + "'");
            }
        }
    }

    private static Connection connect(JobConfig config) throws SQLException {
        return DriverManager.getConnection(config.postgres.url, config.postgres.user, config.postgres.password);
    }
}
