package io.logflow.udf;

import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Scoped template mining: one tenant's messages never generalise another tenant's templates. */
class LogTemplateFunctionTest {
    @Test
    void messagesOfOneScopeDoNotGeneraliseAnotherScopesTemplate() {
        LogTemplateFunction shared = new LogTemplateFunction();
        shared.eval("GET / answered 200");
        String sharedTemplate = template(shared.eval("GET /x answered 500"));

        LogTemplateFunction scoped = new LogTemplateFunction();
        scoped.eval("GET / answered 200", "acme");
        String acme = template(scoped.eval("GET /x answered 500", "acme"));
        String beta = template(scoped.eval("GET / answered 200", "beta"));

        assertThat(sharedTemplate).isEqualTo(acme); // the same learning within one scope as without scopes
        assertThat(beta).isEqualTo(template(new LogTemplateFunction().eval("GET / answered 200")));
        assertThat(beta).isNotEqualTo(acme);
    }

    @Test
    void leastRecentlySeenScopesAreForgottenBeyondTheLimit() {
        LogTemplateFunction f = new LogTemplateFunction();
        f.eval("GET / answered 200", "first");
        f.eval("GET /x answered 500", "first");
        for (int i = 0; i < LogTemplateFunction.MAX_SCOPES; i++) {
            f.eval("ping", "scope-" + i);
        }
        // "first" was evicted: it learns anew, so one message gives its own, ungeneralised template.
        assertThat(template(f.eval("GET / answered 200", "first")))
                .isEqualTo(template(new LogTemplateFunction().eval("GET / answered 200")));
        assertThat(f.eval(null, "first")).isNull();
    }

    private static String template(Row row) {
        return (String) row.getField(1);
    }
}
