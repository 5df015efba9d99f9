package io.logflow.bench.broadcast;

import io.logflow.workspace.Workspace;
import io.logflow.workspace.WorkspaceIndex;
import io.logflow.workspace.WorkspaceJson;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Realistic registrations, the same for a given count on every run: each workspace has one AWS account of its own,
 * 1–5 log groups (exact names and a prefix now and then) and 1–3 upload prefixes, with names of the lengths real
 * tenants use. Workspace {@code i} depends only on {@code i}, so a smaller corpus is a prefix of a larger one.
 */
final class WorkspaceCorpus {
    private static final String[] SERVICES = {"checkout", "payments", "orders", "inventory", "search", "auth",
        "notifications", "billing", "catalog", "shipping", "recommendations", "gateway", "reporting", "users",
        "sessions", "media", "webhooks", "scheduler", "exports", "audit"};
    private static final String[] ENVIRONMENTS = {"production", "staging", "development", "eu-production"};
    private static final String[] REGIONS = {"us-east-1", "eu-west-1", "eu-central-1", "ap-southeast-2"};

    private WorkspaceCorpus() {}

    static String id(int i) {
        return String.format("tenant-%06d", i);
    }

    static String account(int i) {
        return String.format("%012d", 210_000_000_000L + 7_919L * i);
    }

    /** Workspace {@code i}: a valid registration, as {@code workspace put} would accept it. */
    static Workspace workspace(int i) {
        SplittableRandom random = new SplittableRandom(0x10_6F_10L * 1_000_003L + i);
        String id = id(i);
        List<String> logGroups = new ArrayList<>();
        int groups = 1 + random.nextInt(5);
        int first = random.nextInt(SERVICES.length);
        for (int g = 0; g < groups; g++) {
            String service = SERVICES[(first + g) % SERVICES.length];
            switch (g % 4) {
                case 0: logGroups.add("/aws/lambda/" + id + "-" + service); break;
                case 1: logGroups.add("/ecs/" + id + "/" + service); break;
                case 2: logGroups.add("/aws/apigateway/" + id + "-" + service + "-access"); break;
                default: logGroups.add("/aws/lambda/" + id + "-" + service + "-*"); break;
            }
        }
        List<String> uploadPrefixes = new ArrayList<>();
        int prefixes = 1 + random.nextInt(3);
        uploadPrefixes.add(id + "/");
        if (prefixes > 1) {
            uploadPrefixes.add("s3://logflow-uploads-" + REGIONS[random.nextInt(REGIONS.length)] + "/" + id + "/");
        }
        if (prefixes > 2) {
            uploadPrefixes.add("s3://" + id + "-logs/exports/");
        }
        String name = "Tenant " + i + " " + ENVIRONMENTS[random.nextInt(ENVIRONMENTS.length)];
        return WorkspaceJson.validate(new Workspace(id, name, account(i), logGroups, uploadPrefixes));
    }

    /** A routing key that workspace {@code i} claims exactly: its first log group. */
    static String routingKey(int i) {
        return WorkspaceIndex.cloudWatchKey(account(i), workspace(i).logGroups.get(0));
    }

    /** Writes workspaces {@code 0..count-1} as a registrations file (one JSON record a line); returns its bytes. */
    static long writeFile(Path file, int count) throws IOException {
        Files.createDirectories(file.getParent());
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < count; i++) {
                out.write(WorkspaceJson.toJson(workspace(i)));
                out.write('\n');
            }
        }
        return Files.size(file);
    }
}
