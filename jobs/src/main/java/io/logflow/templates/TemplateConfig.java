package io.logflow.templates;

import io.logflow.config.Settings;

import java.io.Serializable;
import java.time.Duration;

/** The bounds of the template step, checked. */
public final class TemplateConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    public final int maxPerSource;
    public final int cachedSources;
    public final Duration idleTtl;

    public TemplateConfig(int maxPerSource, int cachedSources, Duration idleTtl) {
        this.maxPerSource = maxPerSource;
        this.cachedSources = cachedSources;
        this.idleTtl = idleTtl;
    }

    public static TemplateConfig from(Settings s) {
        return new TemplateConfig(s.getPositiveInt(TemplateOptions.MAX_PER_SOURCE),
                s.getPositiveInt(TemplateOptions.CACHED_SOURCES), s.getPositiveDuration(TemplateOptions.IDLE_TTL));
    }

    public static TemplateConfig defaults() {
        return new TemplateConfig(TemplateOptions.MAX_PER_SOURCE.defaultValue(),
                TemplateOptions.CACHED_SOURCES.defaultValue(), TemplateOptions.IDLE_TTL.defaultValue());
    }
}
