package io.logflow.templates;

import io.logflow.model.LogEvent;
import io.logflow.pipeline.RoutingKey;
import io.logflow.pipeline.TemplateReport;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The template step alone: ids per routing key, reports, and ids carried through snapshots, rescaling and eviction. */
class TemplateOperatorTest {
    static final int MAX_PARALLELISM = 128;
    static final Duration TTL = Duration.ofDays(30);

    static final String[] NAMES = {"alice", "bob", "carol", "dave", "erin", "frank", "grace"};

    /** Lines of a few templates from several routing keys, each template with changing values. */
    static List<LogEvent> input() {
        List<LogEvent> events = new ArrayList<>();
        String[] keys = {"111111111111/aws/lambda/checkout", "111111111111/aws/lambda/cart", "acme/uploads/web",
            "globex/api", "initech/batch"};
        for (int i = 0; i < 60; i++) {
            String key = keys[i % keys.length];
            events.add(event(key, i, "Connection from 10.0.0." + i + " port " + (4000 + i) + " accepted"));
            events.add(event(key, i, "Request GET /orders/" + i + " took " + (i * 7) + " ms"));
            events.add(event(key, i, "VM " + (i % 2 == 0 ? "Started" : "Paused")));
            events.add(event(key, i, "Session " + (1000 + i) + " closed by user u" + i));
            // a value without digits: only the learned template, not masking, makes these lines one template
            events.add(event(key, i, "Session opened for user " + NAMES[(i / 5) % NAMES.length] + " by sshd"));
        }
        return events;
    }

    static LogEvent event(String routingKey, long second, String message) {
        LogEvent e = new LogEvent();
        e.routingKey = routingKey;
        e.workspaceId = routingKey.substring(0, routingKey.indexOf('/'));
        e.timestamp = 1_790_000_000_000L + second * 1_000;
        e.message = message;
        return e;
    }

    static KeyedOneInputStreamOperatorTestHarness<String, LogEvent, LogEvent> harness(int cachedSources,
            int parallelism, int subtask) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, LogEvent, LogEvent> h = new KeyedOneInputStreamOperatorTestHarness<>(
                new TemplateOperator(100, cachedSources, TTL), new RoutingKey(), Types.STRING, MAX_PARALLELISM,
                parallelism, subtask);
        h.getExecutionConfig().disableGenericTypes();
        return h;
    }

    /** Event (routing key + message + index) to the template id it got. */
    static Map<String, String> ids(List<LogEvent> events) {
        Map<String, String> ids = new LinkedHashMap<>();
        for (int i = 0; i < events.size(); i++) {
            LogEvent e = events.get(i);
            ids.put(i + " " + e.routingKey + " " + e.message, e.templateId);
        }
        return ids;
    }

    static List<LogEvent> run(KeyedOneInputStreamOperatorTestHarness<String, LogEvent, LogEvent> h,
            List<LogEvent> events) throws Exception {
        for (LogEvent e : events) {
            h.processElement(new StreamRecord<>(copy(e), e.timestamp));
        }
        return new ArrayList<>(h.extractOutputValues());
    }

    static LogEvent copy(LogEvent e) {
        return event(e.routingKey, (e.timestamp - 1_790_000_000_000L) / 1_000, e.message);
    }

    static List<LogEvent> uninterrupted(List<LogEvent> events) throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, LogEvent, LogEvent> h = harness(1_000, 1, 0)) {
            h.open();
            return run(h, events);
        }
    }

    @Test
    void everyEventWithAMessageGetsAnIdThatStaysPutAsItsTemplateGeneralises() throws Exception {
        List<LogEvent> out = uninterrupted(input());
        assertThat(out).hasSize(input().size()).allSatisfy(e -> {
            assertThat(e.templateId).matches("[0-9a-f]{16}");
            assertThat(e.template).isNotBlank();
        });
        // one routing key: each of the four messages keeps one id, however its values vary
        Map<String, List<String>> byMessageKind = out.stream()
                .filter(e -> e.routingKey.equals("globex/api") && !e.message.contains("opened"))
                .collect(Collectors.groupingBy(e -> e.message.substring(0, 4),
                        Collectors.mapping(e -> e.templateId, Collectors.toList())));
        assertThat(byMessageKind.get("Conn")).hasSize(12).containsOnly(byMessageKind.get("Conn").get(0));
        assertThat(byMessageKind.get("Requ")).containsOnly(byMessageKind.get("Requ").get(0));
        assertThat(byMessageKind.get("Sess")).containsOnly(byMessageKind.get("Sess").get(0));
        assertThat(out.stream().filter(e -> e.routingKey.equals("globex/api") && e.message.contains("opened"))
                .map(e -> e.templateId).distinct()).hasSize(1);
        // and two routing keys never share an id
        assertThat(out.stream().filter(e -> e.routingKey.equals("acme/uploads/web")).map(e -> e.templateId))
                .doesNotContainAnyElementsOf(byMessageKind.get("Conn"));
    }

    @Test
    void anEventWithoutAMessagePassesWithoutATemplate() throws Exception {
        LogEvent e = event("acme/x", 0, null);
        try (KeyedOneInputStreamOperatorTestHarness<String, LogEvent, LogEvent> h = harness(10, 1, 0)) {
            h.open();
            h.processElement(new StreamRecord<>(e, 0));
            assertThat(h.extractOutputValues()).singleElement().satisfies(out -> assertThat(out.templateId).isNull());
            assertThat(h.getSideOutput(TemplateOperator.REPORTS)).isNullOrEmpty();
        }
    }

    @Test
    void templatesAreReportedWhenFoundedAndWhenTheyChange() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, LogEvent, LogEvent> h = harness(10, 1, 0)) {
            h.open();
            run(h, List.of(event("acme/web", 0, "Connection from 10.0.0.1 accepted"),
                    event("acme/web", 1, "Connection from 10.0.0.2 accepted"),
                    event("acme/web", 2, "disk full")));
            List<TemplateReport> reports = h.getSideOutput(TemplateOperator.REPORTS).stream()
                    .map(StreamRecord::getValue).collect(Collectors.toList());
            assertThat(reports).extracting(r -> r.example).contains("Connection from 10.0.0.1 accepted", "disk full");
            assertThat(reports).allSatisfy(r -> {
                assertThat(r.workspaceId).isEqualTo("acme");
                assertThat(r.routingKey).isEqualTo("acme/web");
                assertThat(r.events).isPositive();
                assertThat(r.firstSeen).isLessThanOrEqualTo(r.lastSeen);
            });
            assertThat(reports.stream().map(r -> r.templateId).distinct()).hasSize(2);
        }
    }

    @Test
    void aRestoredSnapshotGoesOnWithTheSameIds() throws Exception {
        List<LogEvent> input = input();
        Map<String, String> expected = ids(uninterrupted(input));
        List<LogEvent> first = input.subList(0, input.size() / 2);
        List<LogEvent> rest = input.subList(input.size() / 2, input.size());

        List<LogEvent> out = new ArrayList<>();
        OperatorSubtaskState snapshot;
        try (KeyedOneInputStreamOperatorTestHarness<String, LogEvent, LogEvent> h = harness(1_000, 1, 0)) {
            h.open();
            out.addAll(run(h, first));
            snapshot = h.snapshot(1, 1);
        }
        try (KeyedOneInputStreamOperatorTestHarness<String, LogEvent, LogEvent> h = harness(1_000, 1, 0)) {
            h.initializeState(snapshot);
            h.open();
            out.addAll(run(h, rest));
        }
        assertThat(ids(out)).isEqualTo(expected);
    }

    @Test
    void aSnapshotRestoredAtAnotherParallelismGivesEveryKeyItsIds() throws Exception {
        List<LogEvent> input = input();
        Map<String, String> expected = ids(uninterrupted(input));
        List<LogEvent> first = input.subList(0, input.size() / 2);
        List<LogEvent> rest = input.subList(input.size() / 2, input.size());

        OperatorSubtaskState snapshot;
        List<LogEvent> firstOut;
        try (KeyedOneInputStreamOperatorTestHarness<String, LogEvent, LogEvent> h = harness(1_000, 1, 0)) {
            h.open();
            firstOut = run(h, first);
            snapshot = h.snapshot(1, 1);
        }
        // the rest at parallelism 3: each subtask restores its key groups and gets the events of its keys
        Map<String, LogEvent> restOut = new LinkedHashMap<>();
        for (int subtask = 0; subtask < 3; subtask++) {
            OperatorSubtaskState part = AbstractStreamOperatorTestHarness.repartitionOperatorState(
                    snapshot, MAX_PARALLELISM, 1, 3, subtask);
            try (KeyedOneInputStreamOperatorTestHarness<String, LogEvent, LogEvent> h = harness(1_000, 3, subtask)) {
                h.initializeState(part);
                h.open();
                List<LogEvent> mine = new ArrayList<>();
                for (LogEvent e : rest) {
                    if (org.apache.flink.runtime.state.KeyGroupRangeAssignment.assignKeyToParallelOperator(
                            e.routingKey, MAX_PARALLELISM, 3) == subtask) {
                        mine.add(e);
                    }
                }
                List<LogEvent> got = run(h, mine);
                for (int i = 0; i < got.size(); i++) {
                    restOut.put(rest.indexOf(mine.get(i)) + "", got.get(i));
                }
            }
        }
        List<LogEvent> out = new ArrayList<>(firstOut);
        for (int i = 0; i < rest.size(); i++) {
            out.add(restOut.get(i + ""));
        }
        assertThat(ids(out)).isEqualTo(expected);
    }

    @Test
    void minersThatLeaveTheHeapComeBackFromTheStateUnchanged() throws Exception {
        List<LogEvent> input = input();
        Map<String, String> expected = ids(uninterrupted(input));
        try (KeyedOneInputStreamOperatorTestHarness<String, LogEvent, LogEvent> h = harness(2, 1, 0)) {
            h.open(); // five routing keys take turns, two fit on the heap
            List<LogEvent> out = run(h, input);
            assertThat(ids(out)).isEqualTo(expected);
            OperatorSubtaskState snapshot = h.snapshot(1, 1);
            try (KeyedOneInputStreamOperatorTestHarness<String, LogEvent, LogEvent> restored = harness(2, 1, 0)) {
                restored.initializeState(snapshot);
                restored.open();
                List<LogEvent> again = run(restored, input);
                assertThat(again.stream().map(e -> e.templateId).collect(Collectors.toList()))
                        .isEqualTo(new ArrayList<>(expected.values()));
            }
        }
    }

    @Test
    void theTemplatesOfARoutingKeyThatFellSilentExpire() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, LogEvent, LogEvent> h = harness(1, 1, 0)) {
            h.setStateTtlProcessingTime(0);
            h.open();
            run(h, List.of(event("acme/web", 0, "disk full"), event("acme/web", 1, "disk full")));
            run(h, List.of(event("globex/api", 2, "hello"))); // acme/web leaves the heap, into the state
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
            h.setStateTtlProcessingTime(TTL.toMillis() + 1);
            h.getSideOutput(TemplateOperator.REPORTS).clear();
            run(h, List.of(event("acme/web", 3, "disk full")));
            // founded anew: reported again, counting from one, under the same id
            TemplateReport report = h.getSideOutput(TemplateOperator.REPORTS).peek().getValue();
            assertThat(report.events).isEqualTo(1);
            assertThat(report.example).isEqualTo("disk full");
        }
    }
}
