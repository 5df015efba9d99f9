package io.logflow.udf;

import io.logflow.parse.template.TemplateMiner;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.FunctionHint;
import org.apache.flink.table.functions.ScalarFunction;
import org.apache.flink.types.Row;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code LOG_TEMPLATE(message [, scope])}: the message's template as {@code ROW<id STRING, template STRING>}, mined
 * online (Drain, see {@link TemplateMiner}). The miner learns as rows pass, so the function is not deterministic and
 * each parallel instance learns on its own; ids are hashes of the template text and agree wherever the text does. The
 * template text is storable whatever the message (NUL and unpaired surrogates become U+FFFD).
 *
 * <p>With a scope (a workspace id), each scope has its own miner, so one tenant's messages never generalise another
 * tenant's templates. An instance keeps the miners of its {@value #MAX_SCOPES} most recently seen scopes; a scope
 * evicted and seen again starts learning anew.
 */
@FunctionHint(output = @DataTypeHint("ROW<id STRING, template STRING>"))
public class LogTemplateFunction extends ScalarFunction {
    static final int MAX_SCOPES = 1024;

    private transient TemplateMiner miner;
    private transient Map<String, TemplateMiner> scoped;

    public Row eval(String message) {
        if (message == null) {
            return null;
        }
        if (miner == null) {
            miner = new TemplateMiner();
        }
        return row(miner.add(message));
    }

    public Row eval(String message, String scope) {
        if (message == null) {
            return null;
        }
        if (scope == null) {
            return eval(message);
        }
        if (scoped == null) {
            scoped = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, TemplateMiner> eldest) {
                    return size() > MAX_SCOPES;
                }
            };
        }
        return row(scoped.computeIfAbsent(scope, s -> new TemplateMiner()).add(message));
    }

    private static Row row(TemplateMiner.Template t) {
        return Row.of(t.id, t.text);
    }

    @Override
    public boolean isDeterministic() {
        return false;
    }
}
