package io.logflow.sink.postgres;

import io.logflow.pipeline.UploadDiscoveryListener.DiscoveredFile;
import io.logflow.pipeline.UploadDiscoveryListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;

/**
 * Writes the files the watching upload source found as PENDING rows of {@code uploads}, from the source's enumerator.
 * {@code ON CONFLICT DO NOTHING}: a PENDING never overwrites a file already being read or done. Best effort: the rows
 * are for people looking at progress, so a database hiccup is logged, not a reason to stop reading.
 */
public final class PendingUploads implements UploadDiscoveryListener {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PendingUploads.class);

    static final String INSERT_PENDING = "INSERT INTO uploads (path, version, status, bytes, first_seen, updated_at) "
            + "VALUES (?, ?, 'PENDING', ?, now(), now()) ON CONFLICT (path, version) DO NOTHING";

    private final PostgresConfig config;

    public PendingUploads(PostgresConfig config) {
        this.config = config;
    }

    @Override
    public void discovered(Collection<DiscoveredFile> files) {
        try (Connection c = PostgresLogin.connect(config);
                PreparedStatement ps = c.prepareStatement(INSERT_PENDING)) {
            for (DiscoveredFile file : files) {
                ps.setString(1, PostgresSinks.uploadPath(file.path()));
                ps.setString(2, PostgresSinks.uploadVersion(file.version()));
                ps.setLong(3, file.bytes());
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            LOG.warn("Could not record {} pending uploads; they are read all the same", files.size(), e);
        }
    }
}
