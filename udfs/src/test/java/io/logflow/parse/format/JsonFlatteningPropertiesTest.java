package io.logflow.parse.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logflow.model.LogEvent;
import io.logflow.parse.ParserOptions;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nested objects flatten to the dotted keys a walk of the JSON tree gives, line after line through one parser: the
 * parser remembers the dotted keys it built, and what it remembers must never stand in for another key.
 */
class JsonFlatteningPropertiesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Field names that are no role alias; few enough to repeat across lines and collide in the parser's table. */
    private static final List<String> NAMES = List.of("q", "qz", "zq", "wq", "qq", "zz", "w", "qw", "zw", "wz",
            "qzw", "wzq", "zqw", "qwz", "wwq", "zzq", "qqz", "x-q", "q_z", "Q");

    /** One format instance across every try, as in a parser that runs for days. */
    private static final JsonFormat FORMAT = new JsonFormat();

    @Property(tries = 400)
    void nestedKeysAreTheTreesDottedPaths(@ForAll("objects") List<ObjectNode> lines) {
        for (ObjectNode object : lines) {
            LogEvent event = new LogEvent();
            event.fields = new HashMap<>();
            ParseContext ctx = new ParseContext(ParserOptions.defaults());
            ctx.reset(0);
            assertThat(FORMAT.parse(object.toString(), event, ctx)).isTrue();
            assertThat(ctx.failureReason).isNull();
            Map<String, String> expected = new HashMap<>();
            flatten(object, null, expected);
            assertThat(event.fields).as(object.toString()).isEqualTo(expected);
        }
    }

    private static void flatten(JsonNode node, String prefix, Map<String, String> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix == null ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue().isObject()) {
                flatten(e.getValue(), key, out);
            } else {
                out.put(key, e.getValue().asText());
            }
        }
    }

    @Provide
    Arbitrary<List<ObjectNode>> objects() {
        return object(3).list().ofMinSize(1).ofMaxSize(8);
    }

    /** An object of up to four fields, each a number or, {@code depth} allowing, an object. */
    private static Arbitrary<ObjectNode> object(int depth) {
        Arbitrary<JsonNode> number = Arbitraries.integers().between(0, 999).map(MAPPER.getNodeFactory()::numberNode);
        Arbitrary<JsonNode> value = depth == 0 ? number
                : Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(2, number),
                        net.jqwik.api.Tuple.of(1, Arbitraries.lazy(() -> object(depth - 1).map(o -> (JsonNode) o))));
        return Arbitraries.maps(Arbitraries.of(NAMES), value).ofMaxSize(4).map(fields -> {
            ObjectNode o = MAPPER.createObjectNode();
            fields.forEach(o::set);
            return o;
        });
    }
}
