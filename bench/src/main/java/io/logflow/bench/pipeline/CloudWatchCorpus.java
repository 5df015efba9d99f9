package io.logflow.bench.pipeline;

import io.logflow.bench.Corpus;
import io.logflow.decode.CloudWatchPayloads;
import io.logflow.workspace.Workspace;
import io.logflow.workspace.WorkspaceJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * CloudWatch Logs subscription payloads as Kinesis delivers them (gzipped DATA_MESSAGE envelopes), the same for a
 * given seed on every run. Each payload is one log stream's batch: 1–10 events half of the time, 10–100 a third of
 * the time, 100–500 otherwise (busy streams). Lines are the parser benchmark's mixed corpus (JSON, text, Lambda
 * START/END/REPORT, access logs, logfmt, syslog, VPC flow logs) with Java stack traces in about one payload in ten,
 * each frame its own event as a Lambda writes them. Log groups belong to {@link #WORKSPACES} registered tenants.
 */
public final class CloudWatchCorpus {
    public static final int WORKSPACES = 40;
    private static final String[] KINDS = {"/aws/lambda/%s-orders", "/ecs/%s/api", "/aws/apigateway/%s-access"};
    private static final String[] LINES = Corpus.lines("mixed");

    private CloudWatchCorpus() {}

    static String account(int workspace) {
        return String.format("%012d", 310_000_000_000L + 7_919L * workspace);
    }

    static String logGroup(int workspace, int kind) {
        return String.format(KINDS[kind], String.format("tenant-%03d", workspace));
    }

    /**
     * {@code -Dbench.hot-share=0.9}: that share of the payloads goes to one routing key (tenant 0's Lambda log group,
     * across its 20 streams), for the cost of a hot tenant. Unset, the corpus is as it always was.
     */
    private static final double HOT_SHARE = Double.parseDouble(System.getProperty("bench.hot-share", "0"));

    /** {@code count} payloads from {@code seed}; with their event counts in {@code eventsOut} if it is not null. */
    public static List<byte[]> payloads(long seed, int count, long[] eventsOut) {
        SplittableRandom r = new SplittableRandom(seed);
        SplittableRandom hot = new SplittableRandom(seed + 1);
        List<byte[]> out = new ArrayList<>(count);
        long events = 0;
        long clock = 1_790_000_000_000L;
        for (int p = 0; p < count; p++) {
            int workspace = r.nextInt(WORKSPACES);
            int kind = r.nextInt(KINDS.length);
            if (HOT_SHARE > 0 && hot.nextDouble() < HOT_SHARE) {
                workspace = 0;
                kind = 0;
            }
            int stream = r.nextInt(20);
            int size = batchSize(r);
            List<CloudWatchPayloads.LogEvent> batch = new ArrayList<>(size + 32);
            boolean trace = r.nextInt(10) == 0;
            int traceAt = trace ? r.nextInt(size) : -1;
            for (int i = 0; i < size; i++) {
                clock += r.nextInt(40);
                add(batch, clock, p, LINES[r.nextInt(LINES.length)]);
                if (i == traceAt) {
                    for (String frame : stackTrace(r)) {
                        add(batch, clock, p, frame);
                    }
                }
            }
            events += batch.size();
            out.add(CloudWatchPayloads.dataMessage(account(workspace), logGroup(workspace, kind),
                    "2026/11/23/[$LATEST]" + Integer.toHexString(0xa11ce + stream), batch));
        }
        if (eventsOut != null) {
            eventsOut[0] = events;
        }
        return out;
    }

    /** Registrations of every tenant that owns a log group of the corpus, as a registrations file. */
    public static void writeRegistrations(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int w = 0; w < WORKSPACES; w++) {
            List<String> groups = new ArrayList<>();
            for (int k = 0; k < KINDS.length; k++) {
                groups.add(logGroup(w, k));
            }
            String id = String.format("tenant-%03d", w);
            lines.add(WorkspaceJson.toJson(new Workspace(id, "Tenant " + w, account(w), groups, List.of(id + "/"))));
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    private static void add(List<CloudWatchPayloads.LogEvent> batch, long ts, int payload, String message) {
        batch.add(new CloudWatchPayloads.LogEvent(CloudWatchPayloads.eventId(ts, payload, batch.size()), ts, message));
    }

    private static int batchSize(SplittableRandom r) {
        int p = r.nextInt(100);
        return p < 50 ? 1 + r.nextInt(10) : p < 85 ? 10 + r.nextInt(91) : 100 + r.nextInt(401);
    }

    private static List<String> stackTrace(SplittableRandom r) {
        List<String> lines = new ArrayList<>();
        lines.add("java.lang.IllegalStateException: order " + r.nextInt(100_000) + " is not payable");
        int frames = 8 + r.nextInt(13);
        for (int f = 0; f < frames; f++) {
            lines.add("\tat com.example.orders.OrderService.step" + f + "(OrderService.java:" + (40 + f * 7) + ")");
        }
        lines.add("\t... " + (5 + r.nextInt(30)) + " more");
        return lines;
    }
}
