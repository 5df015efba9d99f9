package io.logflow.sink.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Connections of the job's client side (start-up checks, replay, workspace commands): not of the sinks. */
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
        props.setProperty("password", postgres.password);
        props.setProperty("connectTimeout", Integer.toString(timeoutSeconds));
        props.setProperty("loginTimeout", Integer.toString(timeoutSeconds));
        try (Connection c = DriverManager.getConnection(postgres.url, props)) {
            c.isValid(timeoutSeconds);
        } catch (SQLException e) {
            throw new PostgresException(e);
        }
    }

    static Connection connect(PostgresConfig postgres) throws SQLException {
        return DriverManager.getConnection(postgres.url, postgres.user, postgres.password);
    }
}
