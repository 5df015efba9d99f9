package io.logflow.parse.redact;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What to redact: the built-in rules (cookies, authorization headers, token/password/secret keys, AWS secret keys,
 * bearer tokens, JWTs) plus configured extra key names and extra patterns. Immutable and serialisable, so the job can
 * ship it inside its parse function.
 */
public final class RedactionRules implements Serializable {
    private static final long serialVersionUID = 1L;

    private static final RedactionRules DEFAULTS = new RedactionRules(true, Set.of(), List.of());
    private static final RedactionRules NONE = new RedactionRules(false, Set.of(), List.of());

    final boolean enabled;
    /** Normalised (lower case, no {@code _}/{@code -}/{@code .}) key names redacted in addition to the built-ins. */
    final Set<String> extraKeys;
    /** Java regular expressions whose every match is replaced; configuration must keep them linear (no nested quantifiers). */
    final List<String> extraPatterns;

    private RedactionRules(boolean enabled, Set<String> extraKeys, List<String> extraPatterns) {
        this.enabled = enabled;
        this.extraKeys = extraKeys;
        this.extraPatterns = extraPatterns;
    }

    public static RedactionRules defaults() {
        return DEFAULTS;
    }

    /** No redaction at all (for tests and trusted sources only). */
    public static RedactionRules none() {
        return NONE;
    }

    /** Also redacts the values of these keys ({@code ssn}, {@code x-internal-key}...), matched like the built-in ones. */
    public RedactionRules withKeys(String... keys) {
        Set<String> keySet = new LinkedHashSet<>(extraKeys);
        for (String k : keys) {
            keySet.add(normalise(k));
        }
        return new RedactionRules(true, Collections.unmodifiableSet(keySet), extraPatterns);
    }

    /** Also replaces every match of this Java regular expression, e.g. {@code \b\d{3}-\d{2}-\d{4}\b}. */
    public RedactionRules withPattern(String regex) {
        java.util.regex.Pattern.compile(regex); // fail at configuration time, not per record
        List<String> patterns = new ArrayList<>(extraPatterns);
        patterns.add(regex);
        return new RedactionRules(true, extraKeys, Collections.unmodifiableList(patterns));
    }

    public boolean isEnabled() {
        return enabled;
    }

    static String normalise(String key) {
        StringBuilder sb = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c != '_' && c != '-' && c != '.') {
                sb.append(c);
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }
}
