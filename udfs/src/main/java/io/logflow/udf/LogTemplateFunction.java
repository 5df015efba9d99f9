package io.logflow.udf;

import io.logflow.parse.template.TemplateMiner;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.FunctionHint;
import org.apache.flink.table.functions.ScalarFunction;
import org.apache.flink.types.Row;

/**
 * {@code LOG_TEMPLATE(message)}: the message's template as {@code ROW<id STRING, template STRING>}, mined online
 * (Drain, see {@link TemplateMiner}). The miner learns as rows pass, so the function is not deterministic and each
 * parallel instance learns on its own; ids are hashes of the template text and agree wherever the text does.
 */
@FunctionHint(output = @DataTypeHint("ROW<id STRING, template STRING>"))
public class LogTemplateFunction extends ScalarFunction {
    private transient TemplateMiner miner;

    public Row eval(String message) {
        if (message == null) {
            return null;
        }
        if (miner == null) {
            miner = new TemplateMiner();
        }
        TemplateMiner.Template t = miner.add(message);
        return Row.of(t.id, t.text);
    }

    @Override
    public boolean isDeterministic() {
        return false;
    }
}
