package io.logflow.source.kafka;

import io.logflow.model.RawLog;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever a producer sends, the splitter answers with RawLogs and never throws. */
class KafkaRecordSplitterPropertiesTest {
    private final KafkaRecordSplitter splitter = new KafkaRecordSplitter(4096, 50, 6, "idempotencyKey", "workspace");

    @Property(tries = 2000)
    void randomBytesNeverThrowAndEveryItemHasTextOrAReason(@ForAll byte[] value) {
        check(value);
    }

    @Property(tries = 2000)
    void jsonishTextNeverThrows(@ForAll("jsonish") String value) {
        check(value.getBytes(StandardCharsets.UTF_8));
    }

    private void check(byte[] value) {
        List<RawLog> out = splitter.split("t", 0, 1, 1L, null, Map.of(), value);
        assertThat(out.size()).isLessThanOrEqualTo(50);
        for (int i = 0; i < out.size(); i++) {
            RawLog raw = out.get(i);
            assertThat(raw.index).isEqualTo(i);
            assertThat(raw.eventId).isNotNull();
            assertThat(raw.text).isNotNull();
            if (raw.error == null) {
                assertThat(raw.text).startsWith("{").endsWith("}");
            }
        }
    }

    @Provide
    Arbitrary<String> jsonish() {
        return Arbitraries.strings()
                .withChars("{}[],:\"\\ \n\tamsgeiwork0123456789.-truefalsn")
                .ofMaxLength(200)
                .injectDuplicates(0.1)
                .edgeCases(e -> e.add("{\"message\":\"x\"}\n{\"message\":\"y\""));
    }
}
