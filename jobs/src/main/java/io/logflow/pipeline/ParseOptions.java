package io.logflow.pipeline;

import io.logflow.parse.LogFormat;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.util.List;
import java.util.Map;

/** Options of the parse step (the parsers themselves are in udfs: io.logflow.parse). */
public final class ParseOptions {
    private ParseOptions() {}

    public static final ConfigOption<String> FORMAT = ConfigOptions.key("parse.format")
            .stringType()
            .defaultValue("auto")
            .withDescription("Format of every line: auto (detected per line) or one of "
                    + LogFormat.configNames() + ".");

    public static final ConfigOption<Map<String, String>> FORMATS = ConfigOptions.key("parse.formats")
            .mapType()
            .noDefaultValue()
            .withDescription("Per-source override: routing-key prefix to format, e.g. "
                    + "'111122223333/vpc-flow-logs:vpc-flow,acme:json'; the longest prefix wins.");

    public static final ConfigOption<Boolean> REDACT = ConfigOptions.key("parse.redact")
            .booleanType()
            .defaultValue(true)
            .withDescription("Redact secrets (cookies, authorization, tokens, passwords, AWS secret keys) before any "
                    + "sink.");

    public static final ConfigOption<List<String>> REDACT_KEYS = ConfigOptions.key("parse.redact-keys")
            .stringType()
            .asList()
            .noDefaultValue()
            .withDescription("More keys whose values are redacted, separated by ';', e.g. 'ssn;x-internal-key'.");

    public static final ConfigOption<List<String>> REDACT_PATTERNS = ConfigOptions.key("parse.redact-patterns")
            .stringType()
            .asList()
            .noDefaultValue()
            .withDescription("More Java regular expressions whose matches are redacted, separated by ';'.");
}
