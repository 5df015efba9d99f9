package io.logflow.sink.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reader roles bound to one workspace (schema version 8): row-level security lets such a role see only its
 * workspace's rows of {@link #TABLES}. The job writes as the tables' owner, which the policies do not restrict.
 */
public final class TenantReaders {
    /** What a reader may SELECT; row-level security (or the views' invoker rights) narrows each to its workspace. */
    public static final List<String> TABLES = List.of("log_events", "ingest_failures", "uploads", "workspaces",
            "workspace_readers", "metrics_minute", "metrics_day", "metrics_week", "metrics_latency_minute",
            "metrics_requests_minute", "metrics_templates_hour", "failed_requests", "log_templates",
            "analyst_log_events", "analyst_ingest_failures", "analyst_uploads", "analyst_workspaces",
            "analyst_log_templates");

    /** Role names the command accepts: PostgreSQL's unquoted identifiers, lower case. */
    private static final Pattern ROLE = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private TenantReaders() {}

    /** Why a grant was refused (unknown workspace, a role bound elsewhere or above row-level security). */
    public static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /** What {@link #grant} did. */
    public static final class Granted {
        public final boolean roleCreated;
        public final boolean newlyBound;

        Granted(boolean roleCreated, boolean newlyBound) {
            this.roleCreated = roleCreated;
            this.newlyBound = newlyBound;
        }
    }

    public static boolean isValidRole(String role) {
        return role != null && ROLE.matcher(role).matches();
    }

    /**
     * Binds {@code role} to {@code workspaceId} and grants it SELECT on {@link #TABLES}, creating it (LOGIN) if it
     * does not exist; {@code password} (may be null) becomes its password. In one transaction, and idempotent: a
     * second grant of the same pair changes nothing but the password. Refuses an unregistered workspace, a role bound
     * to another workspace, and a role that row-level security does not restrict (superuser, BYPASSRLS, a table's
     * owner). Errors of the database are {@link PostgresException}s.
     */
    public static Granted grant(PostgresConfig config, String workspaceId, String role, String password) {
        return inTransaction(config, role, c -> grant(c, workspaceId, role, password));
    }

    /**
     * Makes {@code role} (LOGIN, created if missing) a reader of every workspace: row-level security does not apply
     * to it (BYPASSRLS, which only a superuser may give), and it is granted SELECT on {@link #TABLES}, nothing else.
     * For analysts and operators who look across tenants. Refuses a role bound to one workspace, a superuser and the
     * tables' owner (they can write). Idempotent, in one transaction; errors of the database are
     * {@link PostgresException}s.
     */
    public static Granted grantEveryWorkspace(PostgresConfig config, String role, String password) {
        return inTransaction(config, role, c -> grantEveryWorkspace(c, role, password));
    }

    private static Granted grantEveryWorkspace(Connection c, String role, String password) throws SQLException {
        boolean created = !exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", role);
        if (created) {
            execute(c, "SELECT format('CREATE ROLE %I LOGIN BYPASSRLS', ?::text)", role);
        } else {
            if (exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ? AND rolsuper", role)
                    || exists(c, "SELECT 1 FROM pg_tables WHERE tableowner = ? AND tablename = 'log_events'", role)) {
                throw new Refused("role '" + role + "' can write (a superuser or the tables' owner); "
                        + "choose a role of its own for readers");
            }
            String bound = boundWorkspace(c, role);
            if (bound != null) {
                throw new Refused("role '" + role + "' already reads workspace '" + bound
                        + "' only; choose another role to read every workspace");
            }
            execute(c, "SELECT format('ALTER ROLE %I BYPASSRLS', ?::text)", role);
        }
        grantSelect(c, role, password);
        return new Granted(created, false);
    }

    /** One grant on a connection of its own, in one transaction, after the role name is checked. */
    private static Granted inTransaction(PostgresConfig config, String role, GrantStep step) {
        if (!isValidRole(role)) {
            throw new Refused("role '" + role + "': expected a lower-case name of letters, digits and '_'");
        }
        try (Connection c = PostgresLogin.connect(config)) {
            c.setAutoCommit(false);
            try {
                Granted granted = step.apply(c);
                c.commit();
                return granted;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new PostgresException(e);
        }
    }

    @FunctionalInterface
    private interface GrantStep {
        Granted apply(Connection c) throws SQLException;
    }

    private static String boundWorkspace(Connection c, String role) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT workspace_id FROM workspace_readers WHERE role_name = ?")) {
            ps.setString(1, role);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** The password, if any, then USAGE on the schema and SELECT on {@link #TABLES}. */
    private static void grantSelect(Connection c, String role, String password) throws SQLException {
        if (password != null && !password.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT format('ALTER ROLE %I PASSWORD %L', ?::text, ?::text)")) {
                ps.setString(1, role);
                ps.setString(2, password);
                runGenerated(c, ps);
            }
        }
        execute(c, "SELECT format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), ?::text)", role);
        execute(c, "SELECT format('GRANT SELECT ON " + String.join(", ", TABLES) + " TO %I', ?::text)", role);
    }

    private static Granted grant(Connection c, String workspaceId, String role, String password) throws SQLException {
        if (!exists(c, "SELECT 1 FROM workspaces WHERE id = ?", workspaceId)) {
            throw new Refused("unknown workspace id '" + workspaceId + "' (not in the workspaces table; the job writes"
                    + " it a moment after 'workspace put')");
        }
        boolean created = false;
        if (exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", role)) {
            if (exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ? AND (rolsuper OR rolbypassrls)", role)
                    || exists(c, "SELECT 1 FROM pg_tables WHERE tableowner = ? AND tablename = 'log_events'", role)) {
                throw new Refused("role '" + role + "' is not restricted by row-level security (a superuser, "
                        + "BYPASSRLS or the tables' owner); choose a role of its own for the tenant");
            }
        } else {
            execute(c, "SELECT format('CREATE ROLE %I LOGIN', ?::text)", role);
            created = true;
        }
        String bound = boundWorkspace(c, role);
        if (bound != null && !bound.equals(workspaceId)) {
            throw new Refused("role '" + role + "' already reads workspace '" + bound
                    + "'; a role reads one workspace");
        }
        if (bound == null) {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO workspace_readers (role_name, workspace_id) VALUES (?, ?)")) {
                ps.setString(1, role);
                ps.setString(2, workspaceId);
                ps.executeUpdate();
            }
        }
        grantSelect(c, role, password);
        return new Granted(created, bound == null);
    }

    private static boolean exists(Connection c, String sql, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Runs the statement that {@code generator} (a format() of the role, quoted by the server) produces. */
    private static void execute(Connection c, String generator, String role) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(generator)) {
            ps.setString(1, role);
            runGenerated(c, ps);
        }
    }

    private static void runGenerated(Connection c, PreparedStatement generator) throws SQLException {
        String statement;
        try (ResultSet rs = generator.executeQuery()) {
            rs.next();
            statement = rs.getString(1);
        }
        try (java.sql.Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }
}
