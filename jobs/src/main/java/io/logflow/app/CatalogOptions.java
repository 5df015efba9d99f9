package io.logflow.app;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.util.List;

/** Options of the {@code catalog} command: whom the analysts' tables connect to the database as, and the jar. */
public final class CatalogOptions {
    private CatalogOptions() {}

    public static final ConfigOption<String> POSTGRES_USER = ConfigOptions.key("catalog.postgres.user")
            .stringType()
            .noDefaultValue()
            .withDescription("`catalog`: the read-only role the analysts' tables read the database as: one made by "
                    + "`workspace grant ID` sees that workspace only, one made by `workspace grant --all` every "
                    + "workspace.");

    public static final ConfigOption<String> POSTGRES_PASSWORD = ConfigOptions.key("catalog.postgres.password")
            .stringType()
            .defaultValue("")
            .withDescription("`catalog`: that role's password (prefer LOGFLOW_CATALOG_POSTGRES_PASSWORD over an "
                    + "argument).");

    public static final ConfigOption<String> JAR = ConfigOptions.key("catalog.jar")
            .stringType()
            .noDefaultValue()
            .withDescription("`catalog`: the job jar as the SQL session's machine (the SQL Gateway's) sees it: the "
                    + "script starts with ADD JAR of it, for the functions and connectors. Unset: the jar the command "
                    + "runs from; empty: no ADD JAR (the jar is on the class path already).");

    public static List<ConfigOption<?>> all() {
        return List.of(POSTGRES_USER, POSTGRES_PASSWORD, JAR);
    }
}
