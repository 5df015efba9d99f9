package io.logflow.app;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.util.List;

/** Options of the {@code catalog} command: whom the analysts' tables connect to the database as. */
public final class CatalogOptions {
    private CatalogOptions() {}

    public static final ConfigOption<String> POSTGRES_USER = ConfigOptions.key("catalog.postgres.user")
            .stringType()
            .noDefaultValue()
            .withDescription("`catalog`: the read-only role the analysts' tables read the database as: one made by "
                    + "`workspace grant` sees its workspace only; a role with BYPASSRLS sees every workspace.");

    public static final ConfigOption<String> POSTGRES_PASSWORD = ConfigOptions.key("catalog.postgres.password")
            .stringType()
            .defaultValue("")
            .withDescription("`catalog`: that role's password (prefer LOGFLOW_CATALOG_POSTGRES_PASSWORD over an "
                    + "argument).");

    public static List<ConfigOption<?>> all() {
        return List.of(POSTGRES_USER, POSTGRES_PASSWORD);
    }
}
