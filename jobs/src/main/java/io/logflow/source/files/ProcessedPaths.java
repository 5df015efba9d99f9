package io.logflow.source.files;

import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.core.fs.Path;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The files a continuously watching upload source has already handed out, kept bounded: after each listing only the
 * paths the listing still shows are remembered. A file leaves the listing when it ages past the horizon or is deleted,
 * and neither comes back on its own, so the set never outgrows the files inside the horizon. (Flink's own enumerator
 * remembers every path it ever saw.)
 */
final class ProcessedPaths {
    private final Set<Path> paths;

    ProcessedPaths(Collection<Path> restored) {
        this.paths = new HashSet<>(restored);
    }

    /** Forgets what the listing no longer shows; returns the listed splits not handed out before, and remembers them. */
    List<FileSourceSplit> update(Collection<FileSourceSplit> listed) {
        Set<Path> listedPaths = new HashSet<>();
        for (FileSourceSplit split : listed) {
            listedPaths.add(split.path());
        }
        paths.retainAll(listedPaths);
        List<FileSourceSplit> fresh = new ArrayList<>();
        for (FileSourceSplit split : listed) {
            if (paths.add(split.path())) {
                fresh.add(split);
            }
        }
        return fresh;
    }

    Collection<Path> snapshot() {
        return new ArrayList<>(paths);
    }

    int size() {
        return paths.size();
    }
}
