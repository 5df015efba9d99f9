package io.logflow.source.files;

import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.core.fs.Path;
import org.apache.flink.metrics.SimpleCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** What the listing reads, and that the hidden and temporary paths it leaves out are counted, each once. */
class UploadFileEnumeratorTest {
    @TempDir
    java.nio.file.Path root;

    @Test
    void hiddenAndTemporaryPathsAreSkippedAndCountedOncePerAppearance() throws Exception {
        write("acme/api/2026/11/02/app.log");
        write("acme/api/2026/11/02/_SUCCESS");
        write("acme/api/2026/11/02/.app.log.tmp");
        write("acme/_staging/2026/11/02/x.log"); // a hidden folder: one skipped path, its content unread
        write(".git/config");
        String rootUri = root.toUri().toString();
        UploadFileEnumerator enumerator = new UploadFileEnumerator(new UploadFileFilter(rootUri,
                UploadPathPattern.parse(UploadPathPattern.DEFAULT), null, null, 0));
        SimpleCounter skipped = new SimpleCounter();
        enumerator.countSkippedIn(skipped);

        assertThat(names(enumerator.enumerateSplits(new Path[] {new Path(rootUri)}, 1))).containsExactly("app.log");
        assertThat(skipped.getCount()).isEqualTo(4);

        enumerator.enumerateSplits(new Path[] {new Path(rootUri)}, 1); // the same listing again: nothing new
        assertThat(skipped.getCount()).isEqualTo(4);

        write("acme/api/2026/11/03/_SUCCESS");
        enumerator.enumerateSplits(new Path[] {new Path(rootUri)}, 1);
        assertThat(skipped.getCount()).isEqualTo(5);
    }

    private void write(String relative) throws Exception {
        java.nio.file.Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "line\n");
    }

    private static List<String> names(Collection<FileSourceSplit> splits) {
        return splits.stream().map(s -> s.path().getName()).collect(Collectors.toList());
    }
}
