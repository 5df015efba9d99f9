package io.logflow.demo;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL server (zonky embedded binaries) for the demo, on 127.0.0.1. The jobs module's tests have their
 * own copy (io.logflow.testing), since that module cannot depend on this one.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * Starts a server whose files live under {@code workDir}. With {@code keepData} the data directory survives a
     * restart (the demo's data stays queryable); otherwise it is wiped.
     */
    public static EmbeddedPostgresServer start(File workDir, int port, boolean keepData) throws IOException {
        File dataDir = new File(workDir, "pgdata");
        File binDir = new File(workDir, "pgbin");
        if (!dataDir.getParentFile().mkdirs() && !workDir.isDirectory()) {
            throw new IOException("cannot create " + workDir);
        }
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(!keepData)
                .setOverrideWorkingDirectory(binDir)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off")
                .start();
        return new EmbeddedPostgresServer(pg);
    }

    public int port() {
        return postgres.getPort();
    }

    /** JDBC URL of {@code database}, created first if it does not exist. */
    public String createDatabase(String database) throws SQLException {
        try (Connection c = DriverManager.getConnection(url("postgres"), "postgres", "");
                Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                if (!rs.next()) {
                    st.execute("CREATE DATABASE \"" + database + "\"");
                }
            }
        }
        return url(database);
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
