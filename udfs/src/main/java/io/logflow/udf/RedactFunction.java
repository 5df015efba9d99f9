package io.logflow.udf;

import io.logflow.model.Storable;
import io.logflow.parse.redact.RedactionRules;
import io.logflow.parse.redact.Redactor;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * {@code REDACT(text)}: the text with cookies, credentials, tokens, passwords and AWS secret keys masked, and storable
 * (NUL and unpaired surrogates become U+FFFD, see {@link Storable}).
 */
public class RedactFunction extends ScalarFunction {
    private transient Redactor redactor;

    public String eval(String text) {
        if (text == null) {
            return null;
        }
        if (redactor == null) {
            redactor = new Redactor(RedactionRules.defaults());
        }
        return Storable.text(redactor.redact(text));
    }
}
