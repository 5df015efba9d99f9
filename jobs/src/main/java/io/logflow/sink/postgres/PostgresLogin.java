package io.logflow.sink.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Every connection of the job to its database: the sinks', and the client side's (start-up checks, replay, workspace
 * commands). Through the driver itself, never {@code DriverManager}: in a Flink cluster the job's classes (the driver
 * among them) live in a user-code class loader that {@code DriverManager} may not see ("No suitable driver").
 */
public final class PostgresLogin {
    private PostgresLogin() {}

    /**
     * The database answers: a login with the configured user, within {@code timeoutSeconds}.
     *
     * @throws PostgresException if it does not; {@link PostgresException#isConfigurationError()} tells a wrong user,
     *     password or database from a server that cannot be reached
     */
    public static void check(PostgresConfig postgres, int timeoutSeconds) {
        Properties props = new Properties();
        props.setProperty("user", postgres.user);
        props.setProperty("password", postgres.password == null ? "" : postgres.password);
        props.setProperty("connectTimeout", Integer.toString(timeoutSeconds));
        props.setProperty("loginTimeout", Integer.toString(timeoutSeconds));
        try (Connection c = connect(postgres.url, props)) {
            c.isValid(timeoutSeconds);
        } catch (SQLException e) {
            throw new PostgresException(e);
        }
    }

    static Connection connect(PostgresConfig postgres) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", postgres.user);
        props.setProperty("password", postgres.password == null ? "" : postgres.password);
        return connect(postgres.url, props);
    }

    private static Connection connect(String url, Properties props) throws SQLException {
        Connection c = new org.postgresql.Driver().connect(url, props);
        if (c == null) {
            throw new SQLException("not a PostgreSQL JDBC URL: " + url, "08001");
        }
        return c;
    }
}
