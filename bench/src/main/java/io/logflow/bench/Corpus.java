package io.logflow.bench;

import io.logflow.model.RawLog;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Synthetic but realistic lines per format, generated from a fixed seed so every run measures the same input. */
public final class Corpus {
    static final int LINES = 2000;
    private static final String[] LEVELS = {"debug", "info", "info", "info", "warn", "error"};
    private static final String[] PATHS = {"/orders", "/orders/42", "/login", "/health", "/api/v1/items?page=3"};
    private static final String[] WORDS = {"user", "order", "cache", "payment", "session", "upstream", "retry"};

    private Corpus() {}

    public static String[] lines(String format) {
        Random r = new Random(42);
        String[] out = new String[LINES];
        for (int i = 0; i < LINES; i++) {
            out[i] = "mixed".equals(format) ? mixedLine(r) : line(format, r);
        }
        return out;
    }

    static RawLog[] records(String format) {
        String[] lines = lines(format);
        List<RawLog> out = new ArrayList<>(lines.length);
        for (int i = 0; i < lines.length; i++) {
            out.add(RawLog.fileLine("s3://bench/app.log", null, i + 1, lines[i], 1_718_452_800_000L));
        }
        return out.toArray(new RawLog[0]);
    }

    /** JSON 40%, text 20%, Lambda 10%, access 10%, logfmt 10%, syslog 5%, VPC 5%. */
    private static String mixedLine(Random r) {
        int p = r.nextInt(100);
        String f = p < 40 ? "json" : p < 60 ? "text" : p < 70 ? "lambda" : p < 80 ? "access" : p < 90 ? "logfmt"
                : p < 95 ? "syslog" : "vpc";
        return line(f, r);
    }

    private static String line(String format, Random r) {
        String level = LEVELS[r.nextInt(LEVELS.length)];
        String word = WORDS[r.nextInt(WORDS.length)];
        int n = r.nextInt(100_000);
        String ts = String.format("2024-06-15T%02d:%02d:%02d.%03dZ", r.nextInt(24), r.nextInt(60), r.nextInt(60),
                r.nextInt(1000));
        switch (format) {
            case "json":
                if (r.nextBoolean()) {
                    return "{\"level\":" + (10 * (1 + r.nextInt(6))) + ",\"time\":" + (1718452800000L + n)
                            + ",\"pid\":4242,\"hostname\":\"api-1\",\"name\":\"orders-api\",\"req\":{\"id\":\"req-" + n
                            + "\",\"method\":\"GET\",\"url\":\"" + PATHS[r.nextInt(PATHS.length)]
                            + "\",\"headers\":{\"host\":\"api.example.com\",\"user-agent\":\"Mozilla/5.0\"}},"
                            + "\"context\":{\"tenant\":\"acme\"},\"processingTimeMs\":" + r.nextInt(500)
                            + ",\"msg\":\"request completed for " + word + " " + n + "\"}";
                }
                return "{\"level\":\"" + level + "\",\"message\":\"" + word + " " + n + " processed\",\"resourceId\":\"res-"
                        + n + "\",\"timestamp\":\"" + ts + "\",\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e" + n
                        + "\",\"spanId\":\"00f067aa0ba902b7\",\"commit\":\"9f3c2ab\",\"metadata\":{\"parentResourceId\":\"res-"
                        + (n / 2) + "\"}}";
            case "logfmt":
                return "ts=" + ts + " level=" + level + " msg=\"" + word + " handled\" id=" + n + " duration="
                        + r.nextInt(900) + "ms component=" + word;
            case "syslog":
                return r.nextBoolean()
                        ? "<" + (8 + r.nextInt(8)) + ">Jun 15 11:" + (10 + r.nextInt(50)) + ":0" + r.nextInt(10)
                                + " web-1 sshd[" + n + "]: Accepted publickey for " + word + " from 10.0.0." + r.nextInt(255)
                        : "<165>1 " + ts + " host-" + r.nextInt(9) + " app " + n + " ID47 [meta@1 k=\"" + n + "\"] "
                                + word + " event " + n;
            case "access":
                return "10.0." + r.nextInt(255) + "." + r.nextInt(255) + " - - [15/Jun/2024:11:" + (10 + r.nextInt(50))
                        + ":0" + r.nextInt(10) + " +0000] \"GET " + PATHS[r.nextInt(PATHS.length)] + " HTTP/1.1\" "
                        + (r.nextInt(10) == 0 ? 503 : 200) + " " + n + " \"https://example.com/\" \"Mozilla/5.0 (X11)\" 0."
                        + r.nextInt(999);
            case "lambda":
                String id = String.format("8f507cfc-%04d-4000-8000-%012d", r.nextInt(10_000), n);
                switch (r.nextInt(4)) {
                    case 0:
                        return "START RequestId: " + id + " Version: $LATEST";
                    case 1:
                        return "REPORT RequestId: " + id + "\tDuration: " + r.nextInt(900) + ".55 ms\tBilled Duration: "
                                + r.nextInt(900) + " ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\t";
                    case 2:
                        return "[INFO]\t" + ts + "\t" + id + "\t" + word + " " + n + " done";
                    default:
                        return ts + "\t" + id + "\tERROR\tInvoke Error " + word + " " + n;
                }
            case "vpc":
                return "2 123456789010 eni-1235b8ca123456789 172.31." + r.nextInt(255) + "." + r.nextInt(255)
                        + " 172.31.16.21 " + (1024 + r.nextInt(60000)) + " 443 6 " + r.nextInt(100) + " " + n
                        + " 1418530010 1418530070 " + (r.nextInt(5) == 0 ? "REJECT" : "ACCEPT") + " OK";
            case "text":
                return "2024-06-15 11:" + (10 + r.nextInt(50)) + ":00," + (100 + r.nextInt(900)) + " "
                        + level.toUpperCase() + " [main] c.e." + word + "Service - " + word + " " + n
                        + " failed after " + r.nextInt(5) + " retries";
            default:
                throw new IllegalArgumentException(format);
        }
    }
}
