package io.logflow.model;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class FailureTest {

    @Test
    void reasonDetailAndSourceRefAreStorableAndTheRawBytesStayTrue() {
        RawLog record = RawLog.fileLine("file:/up\u0000load.log", null, 7, "a\u0000b\uD800c", 1L);

        Failure f = Failure.of(FailureStage.PARSE, "odd\uDC00", "saw \u0000 at 1", record, 1024, 2L);

        assertThat(f.reason).isEqualTo("odd\uFFFD");
        assertThat(f.detail).isEqualTo("saw \uFFFD at 1");
        assertThat(f.sourceRef).isEqualTo("file:/up\uFFFDload.log#L7");
        assertThat(f.raw).isEqualTo("a\u0000b\uD800c".getBytes(StandardCharsets.UTF_8));
        // the id is derived from the reference as the source gave it, as before
        assertThat(f.failureId).isEqualTo(EventIds.of("failure", "PARSE", "file:/up\u0000load.log#L7"));
    }

    @Test
    void aLongDetailIsCutWithoutSplittingASurrogatePair() {
        String detail = "x".repeat(Failure.MAX_DETAIL_CHARS - 1) + "\uD83D\uDE00" + "y".repeat(5_000);

        Failure f = Failure.ofPayload(FailureStage.DECODE, "r", detail, SourceKind.KAFKA, "kafka:t/0@1[0]", null, 10, 0L);

        assertThat(f.detail).hasSize(Failure.MAX_DETAIL_CHARS - 1);
        assertThat(Storable.isStorable(f.detail)).isTrue();
        assertThat(f.raw).isNull();
        assertThat(f.rawSize).isZero();
    }

    @Test
    void rawIsBoundedButItsSizeIsTheOriginal() {
        byte[] raw = new byte[100];
        raw[3] = 0; // a NUL byte is kept: raw is the input as it came

        Failure f = Failure.ofPayload(FailureStage.DECODE, "r", null, SourceKind.KAFKA, "ref", raw, 10, 0L);

        assertThat(f.raw).hasSize(10);
        assertThat(f.rawSize).isEqualTo(100);
        assertThat(f.detail).isNull();
    }
}
