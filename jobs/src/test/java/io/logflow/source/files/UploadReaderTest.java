package io.logflow.source.files;

import io.logflow.model.RawLog;
import io.logflow.model.SourceKind;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.logflow.testing.Archives.cloudWatchEnvelope;
import static io.logflow.testing.Archives.entries;
import static io.logflow.testing.Archives.gzip;
import static io.logflow.testing.Archives.lines;
import static io.logflow.testing.Archives.tar;
import static io.logflow.testing.Archives.utf8;
import static io.logflow.testing.Archives.zip;
import static org.assertj.core.api.Assertions.assertThat;

/** What the upload reader makes of each kind of file, told by content, and how every limit ends as a reason. */
class UploadReaderTest {
    private static final UploadLimits LIMITS = new UploadLimits(1 << 20, 100, 4, 4096);
    private static final UploadFile FILE = new UploadFile("s3://b/acme/api/2026/11/02/f", "v1", "acme", "api",
            1_793_577_600_000L);

    @Test
    void plainLinesKeepTheirNumbersAndTheFilesRouting() {
        List<RawLog> records = read(utf8("one\ntwo\n"));

        assertThat(records).extracting(r -> r.line + ":" + r.text).containsExactly("1:one", "2:two");
        RawLog first = records.get(0);
        assertThat(first.routingKey).isEqualTo("acme");
        assertThat(first.service).isEqualTo("api");
        assertThat(first.sourceTime).isEqualTo(FILE.pathDate);
        assertThat(first.version).isEqualTo("v1");
        assertThat(first.entry).isNull();
    }

    @Test
    void aStackTraceIsOneRecordWithItsFirstLinesNumber() {
        String file = lines(List.of(
                "2026-11-02T10:00:00Z ERROR request failed",
                "java.lang.IllegalStateException: boom",
                "\tat com.acme.Cart.checkout(Cart.java:42)",
                "\tat com.acme.Api.handle(Api.java:7)",
                "Caused by: java.io.IOException: timeout",
                "\t... 3 more",
                "2026-11-02T10:00:01Z INFO next request"));

        List<RawLog> records = read(utf8(file));

        assertThat(records).extracting(r -> r.line).containsExactly(1L, 2L, 7L);
        assertThat(records.get(1).text).startsWith("java.lang.IllegalStateException: boom\n\tat com.acme.Cart")
                .endsWith("\t... 3 more");
    }

    @Test
    void aTruncatedFileStillEmitsTheTraceItWasJoiningBeforeItsFailure() {
        String trace = "java.lang.RuntimeException: x\n" + "\tat a.B.c(B.java:1)\n".repeat(20);
        byte[] full = gzip(utf8("first line\n" + trace + "z".repeat(200_000)));
        List<RawLog> records = read(Arrays.copyOf(full, full.length - 64));

        assertThat(records).extracting(r -> r.error == null ? r.line + "" : r.error)
                .containsExactly("1", "2", UploadReader.TRUNCATED);
        assertThat(records.get(1).text.split("\n")).hasSize(21);
    }

    @Test
    void gzipIsFoundByMagicBytesWhateverTheName() {
        assertThat(texts(read(gzip(utf8(lines(List.of("a", "b"))))))).containsExactly("a", "b");
    }

    @Test
    void zipEntriesAreReadInOrderWithTheirNames() {
        byte[] file = zip(entries("x/first.log", "1\n2\n", "second.log", "3\n"));

        assertThat(read(file)).extracting(r -> r.entry + "#" + r.line + ":" + r.text)
                .containsExactly("x/first.log#1:1", "x/first.log#2:2", "second.log#1:3");
    }

    @Test
    void tarGzAndAZipInsideItAreReadEntryByEntry() {
        byte[] inner = zip(entries("deep.log", "d1\n"));
        byte[] file = gzip(tar(entries("a.log", "a1\na2\n", "nested.zip", inner)));

        assertThat(read(file)).extracting(r -> r.entry + ":" + r.text)
                .containsExactly("a.log:a1", "a.log:a2", "nested.zip!deep.log:d1");
    }

    @Test
    void jsonArrayElementsAreRecords() {
        List<RawLog> records = read(utf8(" [ {\"msg\":\"a\"}, {\"msg\":\"b\",\"n\":[1,2]} ]"));

        assertThat(records).extracting(r -> r.line + ":" + r.text)
                .containsExactly("1:{\"msg\":\"a\"}", "2:{\"msg\":\"b\",\"n\":[1,2]}");
    }

    @Test
    void aBracketedTimestampIsATextLogNotAJsonArray() {
        assertThat(texts(read(utf8("[2026-11-02 10:00:00] INFO up\n")))).containsExactly("[2026-11-02 10:00:00] INFO up");
    }

    @Test
    void firehoseCloudWatchObjectsDecodeIntoCloudWatchEvents() {
        String envelopes = cloudWatchEnvelope("111122223333", "/aws/lambda/f", "s1", 1, 3)
                + cloudWatchEnvelope("111122223333", "/aws/lambda/f", "s2", 10, 2);
        List<RawLog> records = read(gzip(utf8(envelopes)));

        assertThat(records).hasSize(5);
        assertThat(records).allMatch(r -> r.source == SourceKind.CLOUDWATCH && r.error == null);
        assertThat(records).extracting(r -> r.logStream + "/" + r.cloudwatchId)
                .containsExactly("s1/1", "s1/2", "s1/3", "s2/10", "s2/11");
        // routed by the file's path like its other records, so the file's records stay together and counted
        assertThat(records).extracting(r -> r.routingKey + " " + r.owner + r.logGroup).containsOnly(
                "acme 111122223333/aws/lambda/f");
    }

    @Test
    void aControlMessageInAFirehoseObjectIsACountedMarkerNotAnEvent() {
        String control = "{\"messageType\":\"CONTROL_MESSAGE\",\"owner\":\"CloudwatchLogs\",\"logGroup\":\"\","
                + "\"logStream\":\"\",\"subscriptionFilters\":[],\"logEvents\":[{\"id\":\"\",\"timestamp\":1,"
                + "\"message\":\"CWL CONTROL MESSAGE: Checking health of destination Firehose.\"}]}";
        List<RawLog> records = read(gzip(utf8(control + cloudWatchEnvelope("111122223333", "/g", "s", 1, 2))));

        assertThat(records).extracting(r -> r.marker == null ? r.cloudwatchId : r.marker.name())
                .containsExactly("CLOUDWATCH_CONTROL", "1", "2"); // in the order of the file
        assertThat(records).extracting(r -> r.routingKey).containsOnly("acme"); // all where the file's counts are
    }

    @Test
    void truncatedGzipKeepsTheReadableLinesThenFailsOnce() {
        String text = IntStream.range(0, 5000).mapToObj(i -> "line " + i).collect(Collectors.joining("\n")) + "\n";
        byte[] full = gzip(utf8(text));
        List<RawLog> records = read(Arrays.copyOf(full, full.length / 2));

        RawLog last = records.get(records.size() - 1);
        assertThat(last.error).isEqualTo(UploadReader.TRUNCATED);
        assertThat(records.subList(0, records.size() - 1)).allMatch(r -> r.error == null).isNotEmpty();
        assertThat(last.line).isEqualTo(records.size());
    }

    @Test
    void gzipBombStopsAtTheDecompressedLimit() {
        String lines = "a log line that compresses well\n".repeat(300_000); // ~9.6 MB, a few KB gzip'd
        List<RawLog> records = read(gzip(utf8(lines)));

        // the lines within the 1 MB budget are read, then one failure stops the file
        int linesInBudget = (1 << 20) / "a log line that compresses well\n".length();
        assertThat(records).hasSizeBetween(linesInBudget - 2048, linesInBudget + 1);
        assertThat(records.subList(0, records.size() - 1)).allMatch(r -> r.error == null);
        assertThat(records.get(records.size() - 1).error).isEqualTo(UploadReader.DECOMPRESSED_TOO_LARGE);
    }

    @Test
    void zipBombStopsAtTheDecompressedLimit() {
        byte[] zeros = new byte[4 << 20];
        byte[] file = zip(entries("a.log", zeros, "b.log", zeros));

        // 4 MB of zeros is one "line" that never ends within the 1 MB budget: the budget stops the file first
        assertThat(read(file)).extracting(r -> r.error).containsExactly(UploadReader.DECOMPRESSED_TOO_LARGE);
    }

    @Test
    void tooManyEntriesSkipsTheRestOfTheArchive() {
        Object[] many = new Object[2 * 105];
        for (int i = 0; i < 105; i++) {
            many[2 * i] = "e" + i + ".log";
            many[2 * i + 1] = "x\n";
        }
        List<RawLog> records = read(zip(entries(many)));

        assertThat(records).hasSize(101);
        assertThat(records.get(100).error).isEqualTo(UploadReader.TOO_MANY_ENTRIES);
    }

    @Test
    void nestingDeeperThanTheLimitIsAFailureForThatEntryOnly() {
        byte[] level3 = zip(entries("l3.log", "deep\n"));
        byte[] level2 = zip(entries("l2.zip", level3));
        byte[] level1 = zip(entries("l1.zip", level2, "ok.log", "fine\n"));
        byte[] file = gzip(level1); // layers: gzip, level1, level2 (l1.zip), level3 (l2.zip)

        List<RawLog> records = read(file, new UploadLimits(1 << 20, 100, 3, 4096));
        assertThat(records).extracting(r -> r.error == null ? r.text : r.error)
                .containsExactly(UploadReader.NESTING_TOO_DEEP, "fine");
        assertThat(records.get(0).entry).isEqualTo("l1.zip!l2.zip");
    }

    @Test
    void entryNamesThatClimbOutAreOnlyLabels() {
        List<RawLog> records = read(zip(entries("../../etc/x.log", "still read\n")));

        assertThat(records).extracting(r -> r.entry + ":" + r.text).containsExactly("../../etc/x.log:still read");
    }

    @Test
    void aFiveMegabyteLineIsOneFailureAndTheNextLineIsRead() {
        String big = "z".repeat(5 << 20);
        List<RawLog> records = read(utf8(big + "\nafter\n"), new UploadLimits(64 << 20, 100, 4, 1 << 20));

        assertThat(records).extracting(r -> r.error == null ? r.text : r.error)
                .containsExactly(UploadReader.LINE_TOO_LONG, "after");
        assertThat(records.get(0).text).hasSize(1 << 20);
        assertThat(records.get(0).fileBytes).as("the line's true size, for raw_size").isEqualTo(5L << 20);
    }

    @Test
    void aLineTooLongEndedByCrLfCountsItsTextBytesOnly() {
        String big = "é".repeat(3000); // 6,000 bytes
        List<RawLog> records = read(utf8(big + "\r\nafter\n"));

        assertThat(records.get(0).error).isEqualTo(UploadReader.LINE_TOO_LONG);
        assertThat(records.get(0).fileBytes).isEqualTo(6001); // the \r is part of an over-long line's bytes
        assertThat(records.get(1).text).isEqualTo("after");
    }

    @Test
    void aFirehoseObjectCutInItsLastEnvelopeKeepsTheEnvelopesBeforeIt() {
        StringBuilder good = new StringBuilder();
        int envelopes = 60;
        int eventsEach = 3;
        for (int i = 0; i < envelopes; i++) {
            good.append(cloudWatchEnvelope("111122223333", "/aws/lambda/f", "s" + i, i * 100, eventsEach));
        }
        String last = cloudWatchEnvelope("111122223333", "/aws/lambda/f", "cut", 9000, 400);
        String cut = last.substring(0, last.length() / 2);
        UploadReader reader = reader(utf8(good + cut), LIMITS);
        List<RawLog> records = readAll(reader);

        assertThat(records).hasSize(envelopes * eventsEach + 1);
        assertThat(records.subList(0, envelopes * eventsEach))
                .allMatch(r -> r.error == null && r.source == SourceKind.CLOUDWATCH);
        RawLog damaged = records.get(records.size() - 1);
        assertThat(damaged.error).isEqualTo("invalid_json");
        assertThat(damaged.fileBytes).as("true size of the damaged part").isEqualTo(utf8(cut).length);
        assertThat(damaged.text).as("its first bytes, bounded").isEqualTo(cut.substring(0, 256));
        assertThat(reader.stopReason()).isEqualTo("invalid_json");
    }

    @Test
    void gzipMembersBeforeATruncatedMemberKeepTheirEvents() {
        byte[] first = gzip(utf8(cloudWatchEnvelope("111122223333", "/g", "a", 1, 4)));
        byte[] second = gzip(utf8(cloudWatchEnvelope("111122223333", "/g", "b", 100, 5)));
        String lastJson = IntStream.range(0, 50).mapToObj(i -> cloudWatchEnvelope("111122223333", "/g", "c" + i,
                1000 + i * 10, 3)).collect(Collectors.joining());
        byte[] third = gzip(utf8(lastJson));
        byte[] file = concat(first, second, Arrays.copyOf(third, third.length / 2));
        UploadReader reader = reader(file, LIMITS);
        List<RawLog> records = readAll(reader);

        RawLog damaged = records.get(records.size() - 1);
        assertThat(damaged.error).isEqualTo(UploadReader.TRUNCATED);
        assertThat(records.subList(0, records.size() - 1)).allMatch(r -> r.error == null);
        assertThat(records.subList(0, 9)).extracting(r -> r.logStream).containsOnly("a", "b");
        // what the cut member inflated to before the cut: whole envelopes of it are events, the partial one is raw
        assertThat(damaged.fileBytes).isPositive().isLessThan(utf8(lastJson).length);
        assertThat(lastJson).contains(damaged.text);
        assertThat(reader.stopReason()).isEqualTo(UploadReader.TRUNCATED);
    }

    @Test
    void aGzipMemberCutInItsHeaderIsATruncatedFileNotSilence() {
        byte[] first = gzip(utf8("one\ntwo\n"));
        byte[] second = gzip(utf8("three\n"));
        UploadReader reader = reader(concat(first, Arrays.copyOf(second, 5)), LIMITS);
        List<RawLog> records = readAll(reader);

        assertThat(records).extracting(r -> r.error == null ? r.text : r.error)
                .containsExactly("one", "two", UploadReader.TRUNCATED);
        assertThat(reader.stopReason()).isEqualTo(UploadReader.TRUNCATED);
    }

    @Test
    void nulInEnvelopeNamesAndEntryNamesDoesNotReachTheRecords() {
        byte[] envelope = utf8(cloudWatchEnvelope("1111\\u0000", "/g\\u0000x", "s\\ud800", 1, 1));
        List<RawLog> records = read(zip(entries("a\u0000b.json", envelope, "c\u0000.log", "line\n")));

        assertThat(records).hasSize(2);
        assertThat(records.get(0).logGroup).isEqualTo("/g\uFFFDx");
        assertThat(records.get(0).logStream).isEqualTo("s\uFFFD");
        assertThat(records.get(0).owner).isEqualTo("1111\uFFFD");
        assertThat(records.get(1).entry).isEqualTo("c\uFFFD.log");
        assertThat(records.get(1).sourceRef()).doesNotContain("\u0000");
    }

    @Test
    void corruptZipIsOneFailure() {
        byte[] file = zip(entries("a.log", "line\n".repeat(1000)));
        byte[] corrupt = Arrays.copyOf(file, file.length);
        for (int i = 40; i < 120; i++) {
            corrupt[i] ^= 0x5a; // scramble the deflated data
        }
        List<RawLog> records = read(corrupt);

        assertThat(records).filteredOn(r -> r.error != null).hasSize(1);
        assertThat(records.get(records.size() - 1).error).isIn(UploadReader.CORRUPT, UploadReader.TRUNCATED);
    }

    private static List<RawLog> read(byte[] content) {
        return read(content, LIMITS);
    }

    private static List<RawLog> read(byte[] content, UploadLimits limits) {
        return readAll(reader(content, limits));
    }

    private static UploadReader reader(byte[] content, UploadLimits limits) {
        return new UploadReader(new ByteArrayInputStream(content), FILE, limits, 256, 5L);
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static List<RawLog> readAll(UploadReader reader) {
        List<RawLog> out = new ArrayList<>();
        for (RawLog r = reader.next(); r != null; r = reader.next()) {
            out.add(r);
        }
        assertThat(reader.recordsEmitted()).isEqualTo(out.size());
        return out;
    }

    private static List<String> texts(List<RawLog> records) {
        return records.stream().map(r -> r.text).collect(Collectors.toList());
    }
}
