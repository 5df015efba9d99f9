package io.logflow.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/** The raw baseline: Jackson {@code readTree} on the JSON corpus, no field handling at all. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JacksonBaselineBenchmark {
    private String[] lines;
    private final ObjectMapper mapper = new ObjectMapper();

    @Setup
    public void setUp() {
        lines = Corpus.lines("json");
    }

    @Benchmark
    @OperationsPerInvocation(Corpus.LINES)
    public void readTree(Blackhole bh) throws JsonProcessingException {
        for (String line : lines) {
            bh.consume(mapper.readTree(line));
        }
    }
}
