package io.logflow.demo;

import io.logflow.app.StartupChecks;
import io.logflow.sink.postgres.PostgresConfig;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * The demo's progress line: events and failures stored so far. While the database does not answer (a short outage
 * the job rides out by restarting) the progress is unknown for now: said once, and the demo goes on.
 */
public final class DemoProgress {
    private final PostgresConfig postgres;
    private final Consumer<String> say;
    private boolean unknown;

    public DemoProgress(PostgresConfig postgres, Consumer<String> say) {
        this.postgres = postgres;
        this.say = say;
    }

    public void print(double seconds) {
        long[] counts;
        try {
            counts = counts();
        } catch (SQLException e) {
            if (!unknown) {
                unknown = true;
                say.accept(String.format("  running %5.1f s: progress unknown for now, the database does not answer"
                        + " (%s)", seconds, StartupChecks.oneLine(e)));
            }
            return;
        }
        unknown = false;
        say.accept(String.format("  running %5.1f s: %d events, %d failures in Postgres", seconds, counts[0],
                counts[1]));
    }

    private long[] counts() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", postgres.user);
        props.setProperty("password", postgres.password);
        // A database that hangs must not hold up the demo's watch of the job (restarts are reported there too).
        props.setProperty("connectTimeout", "2");
        props.setProperty("socketTimeout", "5");
        try (Connection c = DriverManager.getConnection(postgres.url, props); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT (SELECT count(*) FROM log_events), (SELECT count(*) FROM ingest_failures)")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }
}
