package io.logflow.bench.pipeline;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import io.logflow.bench.CpuMeter;
import io.logflow.bench.ThreadCpu;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the harness reads back from the in-process MiniCluster: when the source handed out its first payload and when
 * the last event reached a counting sink. Static, because the MiniCluster runs in the harness's own JVM.
 */
public final class Tally {
    private static final AtomicLong FIRST = new AtomicLong();
    private static final AtomicLong LAST = new AtomicLong();
    private static final AtomicLong COUNT = new AtomicLong();
    private static final AtomicLong CPU_FIRST = new AtomicLong();
    private static final AtomicLong CPU_LAST = new AtomicLong();
    private static volatile Map<String, ThreadCpu.Sample> threadsFirst = Map.of();
    private static volatile Map<String, ThreadCpu.Sample> threadsLast = Map.of();

    private Tally() {}

    public static void reset() {
        FIRST.set(0);
        LAST.set(0);
        COUNT.set(0);
        CPU_FIRST.set(0);
        CPU_LAST.set(0);
        threadsFirst = Map.of();
        threadsLast = Map.of();
    }

    public static void started() {
        if (FIRST.get() == 0 && FIRST.compareAndSet(0, System.nanoTime())) {
            threadsFirst = ThreadCpu.snapshot();
            CPU_FIRST.set(CpuMeter.total());
        }
    }

    public static long count() {
        return COUNT.get();
    }

    /** CPU seconds ({@link CpuMeter}) from the first record read to the end (last count or end of input). */
    public static double cpuSeconds() {
        return (CPU_LAST.get() - CPU_FIRST.get()) / 1e9;
    }

    private static void ended() {
        LAST.set(System.nanoTime());
        endCpu();
    }

    private static void endCpu() {
        CPU_LAST.set(CpuMeter.total());
        threadsLast = ThreadCpu.snapshot();
    }

    /** Nanoseconds of CPU by thread group over the same span as {@link #cpuSeconds}. */
    public static Map<String, Long> cpuByThread() {
        return ThreadCpu.between(threadsFirst, threadsLast);
    }

    /** Seconds from the first payload read to the last event counted. */
    public static double seconds() {
        return (LAST.get() - FIRST.get()) / 1e9;
    }

    /** Wraps a sink: the end of input is marked when the wrapped writer's last flush has returned. */
    public static final class EndMarking<T> implements Sink<T> {
        private static final long serialVersionUID = 1L;
        private final Sink<T> inner;

        public EndMarking(Sink<T> inner) {
            this.inner = inner;
        }

        @Override
        public SinkWriter<T> createWriter(WriterInitContext context) throws java.io.IOException {
            return marking(inner.createWriter(context));
        }

        @Override
        @SuppressWarnings("deprecation")
        public SinkWriter<T> createWriter(Sink.InitContext context) throws java.io.IOException {
            return marking(inner.createWriter(context));
        }

        private static <T> SinkWriter<T> marking(SinkWriter<T> writer) {
            return new SinkWriter<>() {
                @Override
                public void write(T element, Context context) throws java.io.IOException, InterruptedException {
                    writer.write(element, context);
                }

                @Override
                public void flush(boolean endOfInput) throws java.io.IOException, InterruptedException {
                    writer.flush(endOfInput);
                    if (endOfInput) {
                        ended();
                    }
                }

                @Override
                public void close() throws Exception {
                    writer.close();
                }
            };
        }
    }

    /** Counts what it receives and keeps nothing. */
    public static final class CountingSink<T> implements Sink<T> {
        private static final long serialVersionUID = 1L;

        @Override
        public SinkWriter<T> createWriter(WriterInitContext context) {
            return new Writer<>();
        }

        @Override
        @SuppressWarnings("deprecation")
        public SinkWriter<T> createWriter(Sink.InitContext context) {
            return new Writer<>();
        }
    }

    private static final class Writer<T> implements SinkWriter<T> {
        private long pending;

        @Override
        public void write(T element, Context context) {
            if (++pending == 1024) {
                publish();
            }
        }

        @Override
        public void flush(boolean endOfInput) {
            publish();
            if (endOfInput) {
                endCpu();
            }
        }

        private void publish() {
            if (pending > 0) {
                COUNT.addAndGet(pending);
                LAST.set(System.nanoTime());
                pending = 0;
            }
        }

        @Override
        public void close() {}
    }
}
