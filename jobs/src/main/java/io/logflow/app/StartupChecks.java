package io.logflow.app;

import io.logflow.sink.postgres.Migrations;
import io.logflow.sink.postgres.PostgresConfig;
import io.logflow.sink.postgres.PostgresException;
import io.logflow.sink.postgres.PostgresLogin;
import io.logflow.sink.postgres.PostgresOptions;
import io.logflow.source.files.UploadConfig;
import io.logflow.source.files.UploadOptions;
import io.logflow.workspace.WorkspaceOptions;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * Checks made before the job is submitted, for what no restart can fix: an upload folder that is not there, a
 * database that cannot be reached, a schema older than the jar. Each failure is a {@link StartupException} with one
 * line naming the key and what to do.
 */
public final class StartupChecks {
    private static final int CONNECT_TIMEOUT_SECONDS = 10;

    private StartupChecks() {}

    /**
     * Everything before the job is submitted: with {@code job.check-on-start} (the default) the upload folder, the
     * database and, unless {@code migrate}, its schema version; with {@code migrate} the migrations are applied.
     * Notes (a newer schema, migrations applied) go to {@code say}.
     */
    public static void prepare(JobConfig config, boolean migrate, Consumer<String> say) {
        if (config.checkOnStart) {
            config.uploads.ifPresent(StartupChecks::checkUploads);
            config.workspaces.map(w -> w.file).ifPresent(StartupChecks::checkRegistrationsFile);
            checkReachable(config.postgres);
        }
        if (migrate) {
            Migrations.Applied result;
            try {
                result = Migrations.apply(config.postgres);
            } catch (RuntimeException e) {
                throw new StartupException(StartupException.FAILED, "postgres: the schema migrations of "
                        + config.postgres.url + " failed (" + oneLine(e) + ")");
            }
            if (result.migrationsExecuted > 0) {
                say.accept("applied " + result.migrationsExecuted + " schema migrations to " + config.postgres.url
                        + " (now at version " + result.targetSchemaVersion + ")");
            }
        } else if (config.checkOnStart) {
            String warning = checkSchema(config.postgres);
            if (warning != null) {
                say.accept(warning);
            }
        }
    }

    /**
     * The upload folder exists and can be listed, through Flink's file systems ({@code file://}, {@code s3://}). An
     * object store has no folders: a watched prefix with nothing below it yet is fine there, but one read once is not.
     */
    public static void checkUploads(UploadConfig uploads) {
        String key = UploadOptions.PATH.key();
        Path path = new Path(uploads.path);
        FileSystem fs;
        try {
            fs = path.getFileSystem();
        } catch (IOException e) {
            throw new StartupException(StartupException.CONFIGURATION,
                    key + ": cannot open '" + uploads.path + "' (" + oneLine(e) + ")");
        }
        FileStatus status;
        try {
            status = fs.getFileStatus(path);
        } catch (FileNotFoundException e) {
            if (fs.isDistributedFS() && uploads.monitorInterval != null) {
                listable(fs, path, key, uploads.path, true);
                return;
            }
            throw new StartupException(StartupException.CONFIGURATION,
                    key + ": '" + uploads.path + "' does not exist");
        } catch (IOException e) {
            throw new StartupException(StartupException.CONFIGURATION,
                    key + ": cannot read '" + uploads.path + "' (" + oneLine(e) + ")");
        }
        if (!status.isDir()) {
            throw new StartupException(StartupException.CONFIGURATION,
                    key + ": '" + uploads.path + "' is a file, expected a folder");
        }
        listable(fs, path, key, uploads.path, false);
    }

    /** The registrations file ({@code workspaces.file}) is there and is a file. */
    public static void checkRegistrationsFile(String file) {
        String key = WorkspaceOptions.FILE.key();
        Path path = new Path(file);
        try {
            if (path.getFileSystem().getFileStatus(path).isDir()) {
                throw new StartupException(StartupException.CONFIGURATION,
                        key + ": '" + file + "' is a folder, expected a file");
            }
        } catch (FileNotFoundException e) {
            throw new StartupException(StartupException.CONFIGURATION, key + ": '" + file + "' does not exist");
        } catch (IOException e) {
            throw new StartupException(StartupException.CONFIGURATION,
                    key + ": cannot read '" + file + "' (" + oneLine(e) + ")");
        }
    }

    private static void listable(FileSystem fs, Path path, String key, String uri, boolean mayBeMissing) {
        try {
            if (fs.listStatus(path) == null) {
                throw new StartupException(StartupException.CONFIGURATION, key + ": '" + uri + "' cannot be listed");
            }
        } catch (FileNotFoundException e) {
            if (!mayBeMissing) {
                throw new StartupException(StartupException.CONFIGURATION, key + ": '" + uri + "' does not exist");
            }
        } catch (IOException e) {
            throw new StartupException(StartupException.CONFIGURATION,
                    key + ": '" + uri + "' cannot be listed (" + oneLine(e) + ")");
        }
    }

    /** The database answers: a login with the configured user, within {@value #CONNECT_TIMEOUT_SECONDS} s. */
    public static void checkReachable(PostgresConfig postgres) {
        try {
            PostgresLogin.check(postgres, CONNECT_TIMEOUT_SECONDS);
        } catch (PostgresException e) {
            // A wrong user, password or database is the configuration's to fix.
            int code = e.isConfigurationError() ? StartupException.CONFIGURATION : StartupException.UNREACHABLE;
            // The driver's own message ("Connection to host:port refused. Check that ...") says more than its cause's.
            throw new StartupException(code, PostgresOptions.URL.key() + ": cannot connect to " + postgres.url
                    + " as " + postgres.user + " (" + firstLine(e.getMessage() != null ? e.getMessage() : oneLine(e))
                    + ")");
        }
    }

    /**
     * The database's schema (Flyway's history) is the one this jar's migrations build. Older, unmigrated or with a
     * failed migration is an error naming the command to run; newer is returned as a warning (an older jar may
     * still run against it, as when a newer one is rolled back).
     *
     * @return a warning line, or null
     */
    public static String checkSchema(PostgresConfig postgres) {
        Migrations.History history;
        try {
            history = Migrations.history(postgres);
        } catch (RuntimeException e) {
            throw new StartupException(StartupException.UNREACHABLE, PostgresOptions.URL.key()
                    + ": cannot read the schema history of " + postgres.url + " (" + oneLine(e) + ")");
        }
        String migrate = "run the jar's 'migrate' command (logflow migrate --postgres.url " + postgres.url
                + ") or start with --" + PostgresOptions.MIGRATE_ON_START.key() + " true";
        if (history.failedVersion != null) {
            throw new StartupException(StartupException.CONFIGURATION, "postgres: migration V" + history.failedVersion
                    + " (" + history.failedDescription + ") failed earlier in " + postgres.url + "; fix it, then "
                    + migrate);
        }
        if (history.current == null) {
            throw new StartupException(StartupException.CONFIGURATION, "postgres: " + postgres.url
                    + " has no logflow schema (this jar needs version " + history.required + "); " + migrate);
        }
        if (history.comparedToRequired < 0) {
            throw new StartupException(StartupException.CONFIGURATION, "postgres: the schema of " + postgres.url
                    + " is at version " + history.current + ", this jar needs " + history.required + "; " + migrate);
        }
        return history.comparedToRequired > 0
                ? "the schema of " + postgres.url + " is at version " + history.current + ", newer than this "
                        + "jar's " + history.required + " (a newer jar migrated it)"
                : null;
    }

    /** The first line of the message of the deepest cause that has one. */
    public static String oneLine(Throwable e) {
        Throwable withMessage = e;
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                withMessage = t;
            }
        }
        return firstLine(withMessage.getMessage());
    }

    private static String firstLine(String message) {
        String text = message == null ? "" : message.strip();
        int eol = text.indexOf('\n');
        return eol < 0 ? text : text.substring(0, eol).strip();
    }
}
