package io.logflow.config;

/** A bad or missing configuration value. Its message is one line naming the key and what is expected. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
