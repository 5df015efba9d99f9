package io.logflow.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.description.HtmlFormatter;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The job's raw configuration merged from its three sources, with typed reads that fail with one clear line.
 *
 * <p>Precedence, lowest first: option defaults, a properties file ({@code --config FILE} or {@code LOGFLOW_CONFIG}),
 * environment variables ({@code postgres.url} is read from {@code LOGFLOW_POSTGRES_URL}), {@code --key value} args.
 * Unknown keys are rejected, so a typo does not silently fall back to a default.
 */
public final class Settings {
    public static final String CONFIG_FILE_ARG = "config";
    public static final String CONFIG_FILE_ENV = "LOGFLOW_CONFIG";

    private final Map<String, String> values;
    private final Configuration flinkConf;

    private Settings(Map<String, String> values) {
        this.values = values;
        this.flinkConf = Configuration.fromMap(values);
    }

    public static Settings of(Map<String, String> values, Collection<ConfigOption<?>> known) {
        Map<String, ConfigOption<?>> byKey = known.stream()
                .collect(Collectors.toMap(ConfigOption::key, o -> o, (a, b) -> a, LinkedHashMap::new));
        for (String key : values.keySet()) {
            if (!byKey.containsKey(key)) {
                throw new ConfigException("unknown configuration key '" + key + "' (see the README's configuration table)");
            }
        }
        return new Settings(new HashMap<>(values));
    }

    /** Merges file, environment and {@code --key value} arguments; see the class comment for precedence. */
    public static Settings load(String[] args, Map<String, String> env, Collection<ConfigOption<?>> known) {
        Map<String, String> fromArgs = parseArgs(args);
        Map<String, String> merged = new HashMap<>();

        String file = fromArgs.remove(CONFIG_FILE_ARG);
        if (file == null) {
            file = env.get(CONFIG_FILE_ENV);
        }
        if (file != null) {
            merged.putAll(readProperties(Path.of(file)));
        }
        for (ConfigOption<?> option : known) {
            String value = env.get(envName(option.key()));
            if (value != null) {
                merged.put(option.key(), value);
            }
        }
        merged.putAll(fromArgs);
        return of(merged, known);
    }

    /** {@code postgres.batch-size} → {@code LOGFLOW_POSTGRES_BATCH_SIZE}. */
    public static String envName(String key) {
        return "LOGFLOW_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public static Map<String, String> parseArgs(String[] args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new ConfigException("argument '" + arg + "': expected --key value");
            }
            String key = arg.substring(2);
            int eq = key.indexOf('=');
            if (eq > 0) {
                out.put(key.substring(0, eq), key.substring(eq + 1));
            } else if (i + 1 < args.length) {
                out.put(key, args[++i]);
            } else {
                throw new ConfigException("argument '--" + key + "': expected a value after it");
            }
        }
        return out;
    }

    private static Map<String, String> readProperties(Path file) {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (IOException e) {
            throw new ConfigException("config file '" + file + "': cannot be read (" + e.getMessage() + ")");
        }
        Map<String, String> out = new HashMap<>();
        props.forEach((k, v) -> out.put(k.toString().trim(), v.toString().trim()));
        return out;
    }

    public boolean isSet(ConfigOption<?> option) {
        return values.containsKey(option.key());
    }

    /** The value or the option's default; a value that does not parse names the key and the expected type. */
    public <T> T get(ConfigOption<T> option) {
        try {
            return flinkConf.get(option);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(option.key() + ": expected " + expectation(option) + ", got '"
                    + values.get(option.key()) + "'");
        }
    }

    public <T> Optional<T> getOptional(ConfigOption<T> option) {
        return Optional.ofNullable(get(option));
    }

    public <T> T getRequired(ConfigOption<T> option) {
        T value = get(option);
        if (value == null || (value instanceof String && ((String) value).isBlank())) {
            throw new ConfigException(option.key() + ": required, expected " + expectation(option)
                    + " (" + new HtmlFormatter().format(option.description()).replaceAll("<[^>]+>", "") + ")");
        }
        return value;
    }

    public int getPositiveInt(ConfigOption<Integer> option) {
        Integer value = getRequired(option);
        if (value <= 0) {
            throw new ConfigException(option.key() + ": expected a positive integer, got '" + value + "'");
        }
        return value;
    }

    public Duration getPositiveDuration(ConfigOption<Duration> option) {
        Duration value = getRequired(option);
        if (value.isNegative() || value.isZero()) {
            throw new ConfigException(option.key() + ": expected a positive duration such as '5 s', got '"
                    + values.get(option.key()) + "'");
        }
        return value;
    }

    private static String expectation(ConfigOption<?> option) {
        Class<?> type = typeOf(option);
        if (type == Integer.class || type == Long.class) {
            return "an integer";
        } else if (type == Duration.class) {
            return "a duration such as '500 ms', '10 s' or '5 min'";
        } else if (type == Boolean.class) {
            return "true or false";
        } else if (type == MemorySize.class) {
            return "a size such as '512 kb' or '4 mb'";
        } else if (type.isEnum()) {
            return "one of " + java.util.Arrays.toString(type.getEnumConstants());
        }
        return "a value";
    }

    private static Class<?> typeOf(ConfigOption<?> option) {
        // ConfigOption keeps its class in a package-private getter; reflection keeps this helper independent of it.
        try {
            java.lang.reflect.Method m = ConfigOption.class.getDeclaredMethod("getClazz");
            m.setAccessible(true);
            return (Class<?>) m.invoke(option);
        } catch (ReflectiveOperationException e) {
            return String.class;
        }
    }
}
