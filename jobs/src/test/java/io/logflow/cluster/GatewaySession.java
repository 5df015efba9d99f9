package io.logflow.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A session of the SQL Gateway's REST API (v2), as the SQL client in gateway mode and the JDBC driver use it: open
 * a session, submit a statement, page through its result until the end. A statement the gateway refuses or that
 * fails throws {@link StatementFailed} with what the gateway says, which is what an analyst reads.
 */
public final class GatewaySession implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration STATEMENT_TIMEOUT = Duration.ofMinutes(2);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String endpoint;
    private final String session;

    /** The columns' logical types (as the gateway names them, e.g. TIMESTAMP_WITHOUT_TIME_ZONE) and the rows. */
    public record Result(List<String> types, List<List<JsonNode>> rows) {}

    /** The gateway's answer to a failed statement: its error messages, joined. */
    public static final class StatementFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StatementFailed(String statement, String errors) {
            super("statement failed: " + statement + "\n" + errors);
        }
    }

    private GatewaySession(String endpoint, String session) {
        this.endpoint = endpoint;
        this.session = session;
    }

    public static GatewaySession open(String endpoint, String name) throws Exception {
        GatewaySession probe = new GatewaySession(endpoint, null);
        JsonNode opened = probe.send("POST", "/v2/sessions", Map.of("sessionName", name), "open session");
        return new GatewaySession(endpoint, opened.path("sessionHandle").asText());
    }

    /** Runs {@code statement} and returns every row of its result. */
    public Result execute(String statement) throws Exception {
        JsonNode submitted = send("POST", "/v2/sessions/" + session + "/statements",
                Map.of("statement", statement), statement);
        String next = "/v2/sessions/" + session + "/operations/" + submitted.path("operationHandle").asText()
                + "/result/0?rowFormat=JSON";
        List<String> types = new ArrayList<>();
        List<List<JsonNode>> rows = new ArrayList<>();
        long deadline = System.nanoTime() + STATEMENT_TIMEOUT.toNanos();
        while (next != null) {
            JsonNode page = send("GET", next, null, statement);
            String kind = page.path("resultType").asText();
            if (types.isEmpty()) {
                page.path("results").path("columns").forEach(c -> types.add(c.path("logicalType").path("type")
                        .asText()));
            }
            page.path("results").path("data").forEach(row -> {
                List<JsonNode> fields = new ArrayList<>();
                row.path("fields").forEach(fields::add);
                rows.add(fields);
            });
            if (kind.equals("EOS")) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no end of the result after " + STATEMENT_TIMEOUT + ": " + statement);
            }
            if (kind.equals("NOT_READY")) {
                Thread.sleep(100);
            }
            next = page.hasNonNull("nextResultUri") ? page.path("nextResultUri").asText() : null;
        }
        return new Result(types, rows);
    }

    @Override
    public void close() throws Exception {
        send("DELETE", "/v2/sessions/" + session, null, "close session");
    }

    private JsonNode send(String method, String path, Object body, String what) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint + path))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(MAPPER.writeValueAsString(body)));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = response.body().isEmpty() ? MAPPER.createObjectNode() : MAPPER.readTree(response.body());
        if (response.statusCode() >= 400) {
            List<String> errors = new ArrayList<>();
            json.path("errors").forEach(e -> errors.add(e.asText()));
            throw new StatementFailed(what, errors.isEmpty() ? response.body() : String.join("\n", errors));
        }
        return json;
    }
}
