package io.logflow.app;

import io.logflow.decode.CloudWatchPayloads;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

import java.util.List;

/**
 * The input of the upgrade savepoint (UpgradeSavepointGenerator) and of the test that restores it: payload {@code n}
 * (0, 1, 2, ...) is one gzip'd CloudWatch DATA_MESSAGE of account 123456789012, log group /aws/lambda/checkout and
 * log stream {@code s0} or {@code s1} ({@code n % 2}), holding one event with id {@code n}, timestamp
 * {@code T0 + n} seconds and, by {@code n % 3}, an error line, an exception line or a stack frame. A frame
 * ({@code n % 3 == 2}) always lands on the stream of the error line {@code n - 2}, so the multi-line join appends it
 * there; every other payload starts an event of its own.
 *
 * <p>Uses nothing but the udfs module's payload writer and Flink's generator API, so that the old and the new version of
 * the job read the very same input.
 */
final class UpgradePayloads implements GeneratorFunction<Long, byte[]> {
    private static final long serialVersionUID = 1L;

    static final String OWNER = "123456789012";
    static final String LOG_GROUP = "/aws/lambda/checkout";
    static final long T0 = 1_793_610_000_000L; // 2026-11-02T09:00:00Z

    @Override
    public byte[] map(Long n) {
        return payload(n);
    }

    static byte[] payload(long n) {
        return CloudWatchPayloads.dataMessage(OWNER, LOG_GROUP, logStream(n),
                List.of(new CloudWatchPayloads.LogEvent(Long.toString(n), T0 + n * 1000, message(n))));
    }

    static String logStream(long n) {
        return "s" + (n % 2);
    }

    static String message(long n) {
        switch ((int) (n % 3)) {
            case 0:
                return "ERROR request " + n + " failed";
            case 1:
                return "java.lang.IllegalStateException: boom " + n;
            default:
                return "\tat com.acme.Cart.checkout(Cart.java:" + n + ")";
        }
    }
}
