package io.logflow.sink.postgres;

import java.sql.SQLException;

/**
 * A statement or a login that PostgreSQL (or its driver) refused, for callers outside this package: its message is
 * the driver's, unchanged, and its cause the driver's exception.
 */
public class PostgresException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String sqlState;

    PostgresException(SQLException cause) {
        super(cause.getMessage(), cause);
        this.sqlState = cause.getSQLState() == null ? "" : cause.getSQLState();
    }

    /**
     * Wrong user or password (SQL state class 28) or no such database (3D): the configuration's to fix, which waiting
     * for the server will not.
     */
    public boolean isConfigurationError() {
        return sqlState.startsWith("28") || sqlState.startsWith("3D");
    }
}
