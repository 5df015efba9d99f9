package io.logflow.testing;

import io.logflow.sink.postgres.Migrations;
import io.logflow.sink.postgres.PostgresConfig;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.File;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL for the tests: started once per test JVM (the first class that registers this extension starts
 * it, a shutdown hook stops it). Each test gets its own freshly migrated database, so tests never see each other's
 * rows.
 */
public final class PostgresExtension implements BeforeAllCallback {
    private static EmbeddedPostgresServer server;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server();
    }

    private static synchronized EmbeddedPostgresServer server() throws Exception {
        if (server == null) {
            // One folder per JVM: the failsafe JVM must not initdb where the surefire JVM's server may still be
            // shutting down (its shutdown hook deletes the data; under load that outlives the JVM's exit timeout).
            File workDir = new File("target/test-postgres/" + ProcessHandle.current().pid()).getAbsoluteFile();
            server = EmbeddedPostgresServer.start(workDir, EmbeddedPostgresServer.freePort(), false);
            EmbeddedPostgresServer started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (Exception ignored) {
                    // the JVM is exiting
                }
            }));
        }
        return server;
    }

    /** A new database with the logflow schema applied. */
    public PostgresConfig freshDatabase() throws Exception {
        String url = server().createDatabase("test_" + DATABASES.incrementAndGet());
        PostgresConfig config = new PostgresConfig(url, "postgres", "", 500, Duration.ofMillis(200), 3);
        Migrations.apply(config);
        return config;
    }

    /** Job arguments pointing at {@code config}'s database. */
    public static String[] jobArgs(PostgresConfig config) {
        return new String[] {"--postgres.url", config.url, "--postgres.user", config.user};
    }

    public static long count(PostgresConfig config, String sql) throws SQLException {
        try (Connection c = connect(config); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Rows of a two-column query ({@code key, count}) as an ordered map. */
    public static Map<String, Long> counts(PostgresConfig config, String sql) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = connect(config); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    public static Connection connect(PostgresConfig config) throws SQLException {
        return DriverManager.getConnection(config.url, config.user, config.password);
    }
}
