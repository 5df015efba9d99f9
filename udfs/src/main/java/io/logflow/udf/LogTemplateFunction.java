package io.logflow.udf;

import io.logflow.parse.template.TemplateMatch;
import io.logflow.parse.template.TemplateMiner;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.FunctionHint;
import org.apache.flink.table.functions.ScalarFunction;
import org.apache.flink.types.Row;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code LOG_TEMPLATE(message [, scope])}: the message's template as {@code ROW<id STRING, template STRING>}, mined
 * online by a {@link TemplateMiner}, for ad-hoc batch use. The template text is storable whatever the message.
 *
 * <p>How it differs from the job's {@code template_id}: the job keeps one miner per routing key (a log group, an upload
 * path's workspace folder) in checkpointed keyed state, so its ids survive restarts and rescaling and every event of
 * a routing key meets the same miner. This function
 * keeps its miners in the function instance only: they are not checkpointed, each parallel instance learns on its
 * own from the rows it happens to see, and a restart learns anew. Its ids are cluster ids like the job's (fixed when
 * a template is founded, kept while it generalises), seeded by the scope as the job seeds by the routing key
 * ({@link TemplateMiner#seedOf}); they equal the job's only where the scope is the routing key and both miners saw the
 * same lines in the same order. The function is not deterministic.
 *
 * <p>With a scope (a workspace id), each scope has its own miner, so one tenant's messages never generalise another
 * tenant's templates. An instance keeps the miners of its {@value #MAX_SCOPES} most recently seen scopes; a scope
 * evicted and seen again starts learning anew. Without a scope, one miner with seed 0 serves every row.
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
            miner = new TemplateMiner(0);
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
        return row(scoped.computeIfAbsent(scope, s -> new TemplateMiner(TemplateMiner.seedOf(s))).add(message));
    }

    private static Row row(TemplateMatch t) {
        return Row.of(t.id, t.text);
    }

    @Override
    public boolean isDeterministic() {
        return false;
    }
}
