package io.logflow.source.files;

import org.apache.flink.core.fs.Path;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.function.Predicate;

/**
 * Which paths the upload source lists: hidden folders and files ({@code .x}, {@code _x}) never ({@link #test}); with a
 * date range (a backfill), only files whose path date lies in it ({@link #acceptsFile}); with a horizon (continuous
 * watching), only files modified within it ({@link #withinHorizon}).
 */
public final class UploadFileFilter implements Predicate<Path>, Serializable {
    private static final long serialVersionUID = 1L;

    private final String rootPath;
    private final UploadPathPattern pattern;
    private final LocalDate from;
    private final LocalDate to;
    private final long horizonMs;

    /**
     * {@code from} and {@code to} are inclusive; both null means every date. A positive {@code horizonMs} keeps only
     * files modified within that long before the listing.
     */
    public UploadFileFilter(String rootUri, UploadPathPattern pattern, LocalDate from, LocalDate to, long horizonMs) {
        this.rootPath = UploadPathPattern.rootPathOf(rootUri);
        this.pattern = pattern;
        this.from = from;
        this.to = to;
        this.horizonMs = horizonMs;
    }

    /** Whether a file last modified at {@code modifiedMs} is inside the horizon at {@code nowMs}. */
    public boolean withinHorizon(long modifiedMs, long nowMs) {
        return horizonMs <= 0 || modifiedMs >= nowMs - horizonMs;
    }

    /** Asked for folders and files alike while listing. */
    @Override
    public boolean test(Path path) {
        String name = path.getName();
        return !name.startsWith(".") && !name.startsWith("_");
    }

    /** Asked for each file listed: whether its path date is in the range (always, without a range). */
    public boolean acceptsFile(Path file) {
        if (from == null && to == null) {
            return true;
        }
        UploadPathPattern.Match match = pattern.matchFile(rootPath, file);
        return match.date != null
                && (from == null || !match.date.isBefore(from))
                && (to == null || !match.date.isAfter(to));
    }
}
