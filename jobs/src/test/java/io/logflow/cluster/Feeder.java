package io.logflow.cluster;

import io.logflow.testing.KinesisEmulator;

import java.time.Duration;
import java.util.List;

/**
 * Puts a {@link ClusterInput}'s batches into a Kinesis stream from a thread of its own, one batch per {@code pace},
 * but never beyond what the test has allowed so far: the test decides which batches arrive before, during and after
 * an interruption of the job.
 */
final class Feeder implements AutoCloseable {
    private final String stream;
    private final List<List<byte[]>> batches;
    private final Duration pace;
    private final Thread thread;
    private int allowed;
    private int sent;
    private int putRecords;
    private Throwable error;

    Feeder(String stream, ClusterInput input, Duration pace) {
        this.stream = stream;
        this.batches = input.batches;
        this.pace = pace;
        this.thread = new Thread(this::run, "feeder-" + stream);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Lets the batches before index {@code upTo} be put. */
    synchronized Feeder allow(int upTo) {
        allowed = Math.max(allowed, Math.min(upTo, batches.size()));
        notifyAll();
        return this;
    }

    synchronized int sent() {
        return sent;
    }

    /** Waits until the first {@code count} batches are in the stream. */
    synchronized void awaitSent(int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (sent < count) {
            if (error != null) {
                throw new IllegalStateException("feeder of " + stream + " failed", error);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("feeder of " + stream + " put " + sent + " of " + count + " batches in "
                        + timeout + " (allowed: " + allowed + ")");
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    void awaitAll(Duration timeout) throws Exception {
        awaitSent(batches.size(), timeout);
    }

    private void run() {
        try {
            for (int b = 0; b < batches.size(); b++) {
                synchronized (this) {
                    while (allowed <= b) {
                        wait();
                    }
                }
                List<byte[]> batch = batches.get(b);
                int first;
                synchronized (this) {
                    first = putRecords;
                }
                KinesisEmulator.putRecords(stream, batch, i -> "pk-" + (first + i));
                synchronized (this) {
                    putRecords += batch.size();
                    sent = b + 1;
                    notifyAll();
                }
                Thread.sleep(pace.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            synchronized (this) {
                error = t;
                notifyAll();
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join(10_000);
    }
}
