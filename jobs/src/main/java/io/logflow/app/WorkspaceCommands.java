package io.logflow.app;

import io.logflow.config.ConfigException;
import io.logflow.config.Settings;
import io.logflow.sink.postgres.PostgresConfig;
import io.logflow.sink.postgres.PostgresException;
import io.logflow.sink.postgres.TenantReaders;
import io.logflow.sink.postgres.WorkspaceTable;
import io.logflow.workspace.InvalidWorkspaceException;
import io.logflow.workspace.ValidationLine;
import io.logflow.workspace.Workspace;
import io.logflow.workspace.WorkspaceConfig;
import io.logflow.workspace.WorkspaceIndex;
import io.logflow.workspace.WorkspaceJson;
import io.logflow.workspace.WorkspaceOptions;
import io.logflow.workspace.WorkspaceTopic;
import org.apache.flink.configuration.ConfigOption;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The job jar's {@code workspace} commands:
 *
 * <pre>
 *   workspace put FILE|-|JSON  --kafka.bootstrap-servers HOST:PORT [--workspaces.topic T]   register or update
 *   workspace delete ID        --kafka.bootstrap-servers HOST:PORT [--workspaces.topic T]   publish its tombstone
 *   workspace list             --postgres.url URL                                           every workspace
 *   workspace status ID        --postgres.url URL                                           verified? last event?
 *   workspace grant ID --role NAME --postgres.url URL                               a reader of that workspace only
 *   workspace grant --all --role NAME --postgres.url URL                         a reader of every workspace
 * </pre>
 *
 * put and delete publish to the registrations topic (the job applies them and keeps Postgres in step); put refuses a
 * registration whose log group or upload prefix another workspace already claims, delete refuses an unknown id. list
 * and status read Postgres. grant makes (or reuses) a PostgreSQL role that row-level security restricts to the
 * workspace's rows (with {@code --all}, one that reads every workspace's rows and still writes nothing); its password,
 * if any, comes from {@code LOGFLOW_READER_PASSWORD}. Configuration comes as for the job (arguments, environment, {@code --config FILE}).
 * Exit codes: 0 done, 1 refused (invalid, conflicting, unknown id, unreachable server), 2 usage or configuration error.
 */
public final class WorkspaceCommands {
    static final String USAGE = String.join("\n",
            "usage: logflow workspace put FILE|-|JSON --kafka.bootstrap-servers HOST:PORT [--workspaces.topic T]",
            "       logflow workspace delete ID --kafka.bootstrap-servers HOST:PORT [--workspaces.topic T]",
            "       logflow workspace list --postgres.url URL",
            "       logflow workspace status ID --postgres.url URL",
            "       logflow workspace grant ID --role NAME --postgres.url URL  (password: LOGFLOW_READER_PASSWORD)",
            "       logflow workspace grant --all --role NAME --postgres.url URL  (a reader of every workspace)",
            "A registration is JSON: {\"id\": \"acme\", \"name\": \"ACME\", \"awsAccountId\": \"123456789012\",",
            "  \"logGroups\": [\"/aws/lambda/checkout\", \"/ecs/acme/*\"], \"uploadPrefixes\": [\"s3://bucket/acme/\"]}");

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final InputStream in;

    private WorkspaceCommands(Map<String, String> env, PrintStream out, PrintStream err, InputStream in) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.in = in;
    }

    /** {@code logflow workspace ...}: {@code args} are what follows {@code workspace}. Returns the exit code. */
    public static int run(String[] args) {
        return run(args, System.getenv(), System.out, System.err, System.in);
    }

    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err, InputStream in) {
        return new WorkspaceCommands(env, out, err, in).dispatch(args);
    }

    /** Every key the commands accept: the job's and the workspace keys (so one config file serves both). */
    static List<ConfigOption<?>> knownOptions() {
        Map<String, ConfigOption<?>> byKey = new LinkedHashMap<>();
        for (ConfigOption<?> o : LogflowOptions.all()) {
            byKey.put(o.key(), o);
        }
        for (ConfigOption<?> o : WorkspaceOptions.all()) {
            byKey.putIfAbsent(o.key(), o);
        }
        return new ArrayList<>(byKey.values());
    }

    private int dispatch(String[] args) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
            out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String command = args[0];
        List<String> positional = new ArrayList<>();
        int i = 1;
        while (i < args.length && !args[i].startsWith("--")) {
            positional.add(args[i++]);
        }
        String[] options = Arrays.copyOfRange(args, i, args.length);
        String role = null;
        boolean everyWorkspace = false;
        if (command.equals("grant")) {
            List<String> rest = new ArrayList<>();
            for (int j = 0; j < options.length; j++) {
                if (options[j].equals("--all")) {
                    everyWorkspace = true;
                } else if (options[j].equals("--role") && j + 1 < options.length) {
                    role = options[++j];
                } else {
                    rest.add(options[j]);
                }
            }
            options = rest.toArray(new String[0]);
        }
        try {
            Settings settings = Settings.load(options, env, knownOptions());
            switch (command) {
                case "put":
                    return put(one(command, positional, "a registration: a JSON file, '-' for standard input, or the "
                            + "JSON itself"), settings);
                case "delete":
                    return delete(one(command, positional, "the workspace id"), settings);
                case "list":
                    none(command, positional);
                    return list(settings);
                case "status":
                    return status(one(command, positional, "the workspace id"), settings);
                case "grant":
                    if (role == null) {
                        throw new Usage("expected --role NAME, the PostgreSQL role that is to read the workspace");
                    }
                    if (everyWorkspace) {
                        none(command, positional);
                        return grantEveryWorkspace(role, settings);
                    }
                    return grant(one(command, positional, "the workspace id"), role, settings);
                default:
                    err.println("logflow workspace: unknown command '" + command + "'");
                    err.println(USAGE);
                    return 2;
            }
        } catch (Usage e) {
            err.println("logflow workspace " + command + ": " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (ConfigException e) {
            err.println("logflow workspace " + command + ": configuration error: " + e.getMessage());
            return 2;
        } catch (InvalidWorkspaceException e) {
            err.println("logflow workspace " + command + ": invalid registration: " + e.getMessage());
            return 1;
        } catch (Refused | TenantReaders.Refused e) {
            err.println("logflow workspace " + command + ": " + e.getMessage());
            return 1;
        } catch (PostgresException e) {
            err.println("logflow workspace " + command + ": PostgreSQL: " + firstLine(e.getMessage()));
            return 1;
        } catch (Exception e) {
            Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null
                    ? e.getCause() : e;
            err.println("logflow workspace " + command + ": " + cause.getClass().getSimpleName() + ": "
                    + firstLine(cause.getMessage()));
            return 1;
        }
    }

    private int put(String source, Settings settings) throws Exception {
        Workspace workspace = WorkspaceJson.parse(readRegistration(source));
        WorkspaceConfig config = WorkspaceConfig.forCommands(settings);
        WorkspaceTopic topic = new WorkspaceTopic(config);
        Map<String, Workspace> current = topic.current();
        List<String> conflicts = WorkspaceIndex.conflictsWith(current.values(), workspace);
        if (!conflicts.isEmpty()) {
            throw new Refused("workspace '" + workspace.id + "' not registered: " + String.join("; ", conflicts));
        }
        topic.ensureExists();
        RecordMetadata sent = topic.put(workspace);
        out.println("logflow: workspace '" + workspace.id + "' " + (current.containsKey(workspace.id) ? "updated"
                : "registered") + " (topic " + config.topic + ", partition " + sent.partition() + ", offset "
                + sent.offset() + ")");
        out.println("To verify it, write this line into one of its log groups (or a file under one of its upload "
                + "prefixes):");
        out.println("  " + ValidationLine.format(workspace.id, ValidationLine.newNonce()));
        return 0;
    }

    private int delete(String id, Settings settings) throws Exception {
        WorkspaceConfig config = WorkspaceConfig.forCommands(settings);
        WorkspaceTopic topic = new WorkspaceTopic(config);
        Map<String, Workspace> current = topic.current();
        if (!current.containsKey(id)) {
            throw new Refused("unknown workspace id '" + id + "' (registered: " + WorkspaceTopic.ids(current) + ")");
        }
        RecordMetadata sent = topic.delete(id);
        out.println("logflow: workspace '" + id + "' deleted (tombstone at topic " + config.topic + ", partition "
                + sent.partition() + ", offset " + sent.offset() + "); its later events fail as unknown_workspace");
        return 0;
    }

    private int list(Settings settings) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "NAME", "ACCOUNT", "STATUS", "VERIFIED", "LAST EVENT", "CLAIMS"});
        for (WorkspaceTable.Row w : WorkspaceTable.list(PostgresConfig.from(settings))) {
            List<String> claims = new ArrayList<>(w.logGroups);
            claims.addAll(w.uploadPrefixes);
            rows.add(new String[] {w.id, w.name, orDash(w.awsAccountId), w.status,
                    w.verifiedAt == null ? "no" : instant(w.verifiedAt), instant(w.lastEventAt),
                    String.join(" ", claims)});
        }
        if (rows.size() == 1) {
            out.println("no workspaces registered");
            return 0;
        }
        print(rows);
        return 0;
    }

    private int grant(String id, String role, Settings settings) {
        TenantReaders.Granted g = TenantReaders.grant(PostgresConfig.from(settings), id, role,
                env.get("LOGFLOW_READER_PASSWORD"));
        out.println("role " + role + (g.roleCreated ? " created and" : "")
                + (g.newlyBound ? " bound to" : " still reads")
                + " workspace " + id + ": it reads that workspace's rows only (log_events, ingest_failures, uploads, "
                + "metrics_*, failed_requests, the analyst_* views)"
                + (env.get("LOGFLOW_READER_PASSWORD") == null ? "; no password set (LOGFLOW_READER_PASSWORD)" : ""));
        return 0;
    }

    private int grantEveryWorkspace(String role, Settings settings) {
        TenantReaders.Granted g = TenantReaders.grantEveryWorkspace(PostgresConfig.from(settings), role,
                env.get("LOGFLOW_READER_PASSWORD"));
        out.println("role " + role + (g.roleCreated ? " created; it" : "") + " reads every workspace's rows and "
                + "writes nothing (log_events, ingest_failures, uploads, workspaces, metrics_*, failed_requests, the "
                + "analyst_* views)"
                + (env.get("LOGFLOW_READER_PASSWORD") == null ? "; no password set (LOGFLOW_READER_PASSWORD)" : ""));
        return 0;
    }

    private int status(String id, Settings settings) {
        WorkspaceTable.Row w = WorkspaceTable.find(PostgresConfig.from(settings), id)
                .orElseThrow(() -> new Refused("unknown workspace id '" + id + "' (not in the workspaces table; the "
                        + "job writes it a moment after 'workspace put')"));
        out.println("workspace:    " + w.id);
        out.println("name:         " + w.name);
        if (w.description != null) {
            out.println("description:  " + w.description);
        }
        out.println("aws account:  " + orDash(w.awsAccountId));
        out.println("log groups:   " + orDash(String.join(" ", w.logGroups)));
        out.println("upload prefixes: " + orDash(String.join(" ", w.uploadPrefixes)));
        out.println("status:       " + w.status);
        if (w.verifiedAt == null) {
            out.println("verified:     no (write '" + ValidationLine.format(id, "<nonce>") + "' into one of "
                    + "its log groups)");
        } else {
            out.println("verified:     yes, at " + instant(w.verifiedAt) + " by nonce " + w.verificationNonce
                    + " in " + w.verifiedLogGroup);
        }
        out.println("last event:   " + instant(w.lastEventAt));
        return 0;
    }

    private String readRegistration(String source) throws IOException {
        if (source.trim().startsWith("{")) {
            return source;
        }
        if (source.equals("-")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            return Files.readString(Path.of(source), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new Usage("no such file '" + source + "'");
        }
    }

    private void print(List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static String instant(Instant t) {
        return t == null ? "-" : t.toString();
    }

    private static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "(no message)";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static String one(String command, List<String> positional, String what) {
        if (positional.size() != 1) {
            throw new Usage("expected " + what + (positional.isEmpty() ? "" : ", got " + positional));
        }
        return positional.get(0);
    }

    private static void none(String command, List<String> positional) {
        if (!positional.isEmpty()) {
            throw new Usage("takes no arguments besides --key value options, got " + positional);
        }
    }

    /** Wrong arguments: exit 2 with the usage. */
    private static final class Usage extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Usage(String message) {
            super(message);
        }
    }

    /** A request the command refuses (unknown id, conflicting claims): exit 1. */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }
}
