package io.logflow.app;

import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's configuration table is the user's reference: every key the job accepts must be in it. */
class ConfigDocsTest {

    @Test
    void everyConfigurationKeyIsInTheReadmeTable() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (ConfigOption<?> option : LogflowOptions.all()) {
            assertThat(readme).as("README row for " + option.key()).contains("| `" + option.key() + "` |");
        }
    }
}
