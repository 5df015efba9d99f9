package io.logflow.bench;

import io.logflow.model.RawLog;
import io.logflow.parse.LogParser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/** Lines per second of {@link LogParser#parse} (auto-detection, redaction included) per format and on a mixed corpus. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ParseBenchmark {
    @Param({"json", "logfmt", "syslog", "access", "lambda", "vpc", "text", "mixed"})
    public String corpus;

    private RawLog[] records;
    private LogParser parser;

    @Setup
    public void setUp() {
        records = Corpus.records(corpus);
        parser = new LogParser();
    }

    @Benchmark
    @OperationsPerInvocation(Corpus.LINES)
    public void parse(Blackhole bh) {
        for (RawLog r : records) {
            bh.consume(parser.parse(r));
        }
    }
}
