package io.logflow.cluster;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * {@code deploy/prometheus/alerts.yml}, the compose stack's alert rules: valid for Prometheus, and each rule fires on
 * the series its unit tests ({@code alerts-test.yml}) describe and stays quiet on the others. Needs {@code promtool}
 * (Debian: {@code apt-get install prometheus}); without it the test is skipped and says so.
 */
class AlertRulesTest {
    private static final Path RULES = Path.of("..", "deploy", "prometheus").toAbsolutePath().normalize();
    private static final Pattern ALERT = Pattern.compile("(?m)^\\s+- alert: (\\w+)$");
    private static final Pattern TESTED = Pattern.compile("(?m)^\\s+alertname: (\\w+)$");

    @Test
    void rulesAreValidAndTheirUnitTestsPass() throws Exception {
        String promtool = promtool();
        assumeThat(promtool).as("promtool is not installed (Debian: apt-get install prometheus): alert rules not tested")
                .isNotNull();
        assertThat(run(promtool, "check", "rules", "alerts.yml")).contains("SUCCESS");
        assertThat(run(promtool, "test", "rules", "alerts-test.yml")).contains("SUCCESS");
    }

    @Test
    void everyAlertHasAUnitTest() throws IOException {
        List<String> alerts = all(ALERT, Files.readString(RULES.resolve("alerts.yml")));
        List<String> tested = all(TESTED, Files.readString(RULES.resolve("alerts-test.yml")));
        assertThat(alerts).hasSizeGreaterThanOrEqualTo(7);
        assertThat(tested).containsAll(alerts);
    }

    private static List<String> all(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.results().map(r -> r.group(1)).distinct().toList();
    }

    private static String promtool() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File candidate = new File(dir, "promtool");
            if (candidate.canExecute()) {
                return candidate.getPath();
            }
        }
        return null;
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(RULES.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + " said:\n" + output).isZero();
        return output;
    }
}
