package io.logflow.bench;

/** Work per wall-clock second and per CPU-second ({@link CpuMeter}) of one timed run. */
public record Rate(double perSecond, double perCpuSecond) {
    public static Rate of(double work, double seconds, double cpuSeconds) {
        return new Rate(work / seconds, work / cpuSeconds);
    }
}
