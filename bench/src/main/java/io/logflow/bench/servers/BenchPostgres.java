package io.logflow.bench.servers;

import io.logflow.bench.CpuMeter;
import io.logflow.sink.postgres.Migrations;
import io.logflow.sink.postgres.PostgresConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;

/**
 * PostgreSQL as the tests and the demo run it (zonky embedded binaries, 127.0.0.1, fsync and synchronous commit off),
 * plus {@code track_commit_timestamp}, so the latency harness can read when each row became visible. One per
 * harness run; a migrated database per use.
 */
public final class BenchPostgres implements AutoCloseable {
    private final EmbeddedPostgres postgres;

    private BenchPostgres(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    public static BenchPostgres start() throws IOException {
        File dir = new File("target/bench-postgres").getAbsoluteFile();
        dir.mkdirs();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        BenchPostgres server = new BenchPostgres(EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(new File(dir, "pgdata"))
                .setCleanDataDirectory(true)
                .setOverrideWorkingDirectory(new File(dir, "pgbin"))
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off")
                .setServerConfig("track_commit_timestamp", "on")
                .start());
        CpuMeter.watchPostgres(new File(dir, "pgdata").toPath());
        return server;
    }

    /** A new database with the logflow schema; the sinks batch {@code batchSize} rows. */
    public PostgresConfig database(String name, int batchSize, Duration flushInterval) throws Exception {
        String admin = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
        try (Connection c = DriverManager.getConnection(admin, "postgres", ""); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE \"" + name + "\"");
        }
        PostgresConfig config = new PostgresConfig("jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + name,
                "postgres", "", batchSize, flushInterval, 3);
        Migrations.apply(config);
        return config;
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
