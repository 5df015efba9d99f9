package io.logflow.source.files;

import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessedPathsTest {

    @Test
    void aFileIsHandedOutOnceWhileItStaysListed() {
        ProcessedPaths processed = new ProcessedPaths(List.of());

        assertThat(names(processed.update(splits("a", "b")))).containsExactly("a", "b");
        assertThat(processed.update(splits("a", "b", "c"))).extracting(s -> s.path().getName()).containsExactly("c");
        assertThat(processed.update(splits("a", "b", "c"))).isEmpty();
    }

    @Test
    void rememberedPathsNeverOutgrowTheListingOfAGrowingBucket() {
        // every round one new file arrives and the oldest leaves the horizon: 1000 files seen, 10 listed at a time
        ProcessedPaths processed = new ProcessedPaths(List.of());
        int handedOut = 0;
        for (int round = 0; round < 1000; round++) {
            int first = Math.max(0, round - 9);
            String[] window = IntStream.rangeClosed(first, round).mapToObj(i -> "f" + i).toArray(String[]::new);
            handedOut += processed.update(splits(window)).size();
            assertThat(processed.size()).isLessThanOrEqualTo(10);
        }
        assertThat(handedOut).isEqualTo(1000);
    }

    @Test
    void aRestoredSetSkipsWhatWasHandedOutBeforeTheCheckpoint() {
        ProcessedPaths before = new ProcessedPaths(List.of());
        before.update(splits("a", "b"));

        ProcessedPaths restored = new ProcessedPaths(before.snapshot());
        assertThat(names(restored.update(splits("a", "b", "c")))).containsExactly("c");
    }

    private static List<String> names(List<FileSourceSplit> splits) {
        return splits.stream().map(s -> s.path().getName()).collect(Collectors.toList());
    }

    private static List<FileSourceSplit> splits(String... names) {
        List<FileSourceSplit> out = new ArrayList<>();
        for (String name : names) {
            out.add(new FileSourceSplit(name, new Path("s3://b/logs/" + name), 0, 10, 0, 10));
        }
        return out;
    }
}
