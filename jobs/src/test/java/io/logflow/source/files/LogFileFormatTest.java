package io.logflow.source.files;

import io.logflow.model.Storable;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** What the format says of a file before reading it. */
class LogFileFormatTest {
    private final LogFileFormat format = new LogFileFormat("s3://bucket/logs/",
            UploadPathPattern.parse(UploadPathPattern.DEFAULT), new UploadLimits(1 << 20, 100, 4, 4096), 8192);

    /** An S3 key is any UTF-8: what reaches the uploads table and every ref must be storable. */
    @ParameterizedTest
    @ValueSource(strings = {"ac\u0000me", "acme\ud800", "acme"})
    void pathRoutingKeyAndServiceAreStorable(String workspace) {
        Path path = new Path("s3://bucket/logs/" + workspace + "/api\u0000/2026/11/02/a\u0000b\udc00.log");
        UploadFile file = format.describe(new FileSourceSplit("1", path, 0, 10, 1_000L, 10));

        assertThat(Storable.isStorable(file.path)).as(file.path).isTrue();
        assertThat(Storable.isStorable(file.routingKey)).as(file.routingKey).isTrue();
        assertThat(Storable.isStorable(file.service)).as(file.service).isTrue();
        assertThat(file.path).startsWith("s3://bucket/logs/").endsWith(".log");
    }
}
