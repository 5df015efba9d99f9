package io.logflow.udf;

import io.logflow.udf.ApproxPercentileFunction.Acc;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.internal.TableEnvironmentImpl;
import org.apache.flink.table.catalog.DataTypeFactory;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.extraction.DataTypeExtractor;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.IntStream;

import static io.logflow.udf.ApproxPercentileFunction.RELATIVE_ACCURACY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** APPROX_PERCENTILE against exact percentiles computed here: directly, merged, and through a batch TableEnvironment. */
class ApproxPercentileFunctionTest {
    private static final double[] PERCENTILES = {0.0, 0.5, 0.9, 0.99, 1.0};

    private static TableEnvironment tEnv;

    @BeforeAll
    static void tableEnvironment() {
        Configuration conf = new Configuration();
        conf.setString("parallelism.default", "1");
        conf.setString("rest.bind-address", "127.0.0.1");
        conf.setString("jobmanager.bind-host", "127.0.0.1");
        conf.setString("taskmanager.bind-host", "127.0.0.1");
        tEnv = TableEnvironment.create(EnvironmentSettings.newInstance().inBatchMode().withConfiguration(conf).build());
        tEnv.executeSql("CREATE TEMPORARY FUNCTION APPROX_PERCENTILE AS 'io.logflow.udf.ApproxPercentileFunction' "
                + "LANGUAGE JAVA");
    }

    @Test
    void uniformOneToTenThousandIsWithinOnePercent() {
        double[] values = IntStream.rangeClosed(1, 10_000).asDoubleStream().toArray();
        for (double p : PERCENTILES) {
            assertWithinError(approx(values, p), exact(values, p), p);
        }
        // the lower nearest-rank definition: p50 of 1..10000 is the 5000th value
        assertThat(exact(values, 0.5)).isEqualTo(5000.0);
        assertThat(approx(values, 0.5)).isCloseTo(5000.0, within(50.0));
    }

    @Test
    void skewedLatenciesAreWithinOnePercent() {
        // log-normal "latencies" in ms around 20 ms with a long tail, plus some zeros and sub-millisecond ones
        Random random = new Random(42);
        double[] values = new double[20_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i % 500 == 0 ? 0.0 : Math.exp(3.0 + 1.5 * random.nextGaussian());
        }
        for (double p : PERCENTILES) {
            assertWithinError(approx(values, p), exact(values, p), p);
        }
        assertThat(exact(values, 0.99) / exact(values, 0.5)).as("the test data is skewed").isGreaterThan(20.0);
    }

    @Test
    void aWideRangeAndNegativeValuesStayWithinTheError() {
        Random random = new Random(7);
        double[] values = new double[5_000];
        for (int i = 0; i < values.length; i++) {
            double magnitude = Math.pow(10, -6 + 14 * random.nextDouble()); // 1e-6 .. 1e8
            values[i] = i % 10 == 0 ? -magnitude : magnitude;
        }
        for (double p : new double[] {0.05, 0.5, 0.9, 0.99}) {
            assertWithinError(approx(values, p), exact(values, p), p);
        }
    }

    @Test
    void mergingTwoAccumulatorsEqualsOneSketchOverAllValues() {
        Random random = new Random(1);
        double[] values = random.doubles(10_000, 0, 1).map(u -> -100 * Math.log(1 - u)).toArray(); // exponential
        ApproxPercentileFunction f = new ApproxPercentileFunction();
        for (double p : PERCENTILES) {
            Acc all = f.createAccumulator();
            Acc left = f.createAccumulator();
            Acc right = f.createAccumulator();
            for (int i = 0; i < values.length; i++) {
                f.accumulate(all, values[i], p);
                f.accumulate(i % 3 == 0 ? left : right, values[i], p);
            }
            Acc merged = f.createAccumulator();
            f.merge(merged, List.of(roundTrip(left), f.createAccumulator(), roundTrip(right)));
            assertThat(f.getValue(merged)).as("p%s", p).isEqualTo(f.getValue(all));
            assertWithinError(f.getValue(merged), exact(values, p), p);
        }
    }

    @Test
    void theAccumulatorSurvivesItsEncodingAndStaysSmall() {
        ApproxPercentileFunction f = new ApproxPercentileFunction();
        Acc acc = f.createAccumulator();
        for (int i = 1; i <= 10_000; i++) {
            f.accumulate(acc, (double) i, 0.9);
        }
        Acc copy = roundTrip(acc);
        assertThat(f.getValue(copy)).isEqualTo(f.getValue(acc));
        // 1..10000 spans four orders of magnitude: ~470 bins at 1%
        assertThat(acc.getSketch().length).isLessThan(2_048);
        f.resetAccumulator(acc);
        assertThat(f.getValue(acc)).isNull();
    }

    @Test
    void flinkSeesTheAccumulatorAsAStructuredTypeNotKryo() {
        DataTypeFactory types = ((TableEnvironmentImpl) tEnv).getCatalogManager().getDataTypeFactory();
        DataType acc = DataTypeExtractor.extractFromType(types, Acc.class);
        assertThat(acc.getLogicalType().getTypeRoot()).isEqualTo(LogicalTypeRoot.STRUCTURED_TYPE);
        assertThat(acc.getLogicalType().getChildren()).extracting(LogicalType::getTypeRoot)
                .containsExactlyInAnyOrder(LogicalTypeRoot.DOUBLE, LogicalTypeRoot.VARBINARY);
    }

    @Test
    void nullsAreIgnoredAndAnEmptyGroupIsNull() {
        ApproxPercentileFunction f = new ApproxPercentileFunction();
        Acc acc = f.createAccumulator();
        assertThat(f.getValue(acc)).isNull();
        f.accumulate(acc, null, 0.5);
        f.accumulate(acc, Double.NaN, 0.5);
        assertThat(f.getValue(acc)).isNull();
        f.accumulate(acc, 10.0, 0.5);
        f.accumulate(acc, null, 0.5);
        assertThat(f.getValue(acc)).isCloseTo(10.0, within(0.1));
    }

    @Test
    void aPercentileOutsideZeroToOneIsAClearError() {
        ApproxPercentileFunction f = new ApproxPercentileFunction();
        for (Double bad : new Double[] {1.5, -0.1, 90.0, Double.NaN, null}) {
            assertThatThrownBy(() -> f.accumulate(f.createAccumulator(), 1.0, bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("percentile must be a fraction in [0, 1]");
        }
    }

    @Test
    void p90PerServiceThroughSql() {
        Map<String, List<Double>> byService = new TreeMap<>();
        StringBuilder rows = new StringBuilder();
        Random random = new Random(3);
        String[] services = {"api", "db", "web"};
        for (int i = 0; i < 450; i++) {
            String service = services[i % 3];
            double duration = Math.round(Math.exp((i % 3) + 2 + random.nextGaussian()) * 1000) / 1000.0;
            boolean missing = i % 50 == 7;
            // plain DOUBLE literals keep VALUES one operator; -1 stands for a missing duration (NULLIF below)
            rows.append(rows.length() == 0 ? "" : ", ").append("('").append(service).append("', ")
                    .append(missing ? "-1.0E0" : duration + "E0").append(")");
            if (!missing) {
                byService.computeIfAbsent(service, s -> new ArrayList<>()).add(duration);
            }
        }
        rows.append(", ('idle', -1.0E0)");
        List<Row> result = query("SELECT service, APPROX_PERCENTILE(duration_ms, 0.9) AS p90, "
                + "APPROX_PERCENTILE(duration_ms, 0.5) AS p50 "
                + "FROM (SELECT service, NULLIF(d, -1.0E0) AS duration_ms FROM (VALUES " + rows + ") AS t(service, d)) "
                + "GROUP BY service");
        Map<String, Row> got = new HashMap<>();
        result.forEach(r -> got.put((String) r.getField(0), r));
        assertThat(got).containsOnlyKeys("api", "db", "web", "idle");
        assertThat(got.get("idle").getField(1)).as("a group of NULLs").isNull();
        byService.forEach((service, durations) -> {
            double[] values = durations.stream().mapToDouble(Double::doubleValue).toArray();
            assertWithinError((Double) got.get(service).getField(1), exact(values, 0.9), 0.9);
            assertWithinError((Double) got.get(service).getField(2), exact(values, 0.5), 0.5);
        });
    }

    @Test
    void aBadPercentileFailsTheQueryWithTheReason() {
        assertThatThrownBy(() -> query("SELECT APPROX_PERCENTILE(d, 90.0) FROM (VALUES (CAST(1.0 AS DOUBLE))) AS t(d)"))
                .rootCause().hasMessageContaining("percentile must be a fraction in [0, 1]");
    }

    /** The value of rank floor(p * (n - 1)) among the sorted values, the definition the sketch approximates. */
    private static double exact(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.floor(p * (sorted.length - 1))];
    }

    private static double approx(double[] values, double p) {
        ApproxPercentileFunction f = new ApproxPercentileFunction();
        Acc acc = f.createAccumulator();
        for (double v : values) {
            f.accumulate(acc, v, p);
        }
        return f.getValue(acc);
    }

    private static void assertWithinError(Double approx, double exact, double p) {
        assertThat(approx).as("p%s, exact %s", p, exact).isNotNull();
        // a hair of slack for floating point at the bin boundary
        assertThat(Math.abs(approx - exact)).as("p%s: approx %s vs exact %s", p, approx, exact)
                .isLessThanOrEqualTo(RELATIVE_ACCURACY * Math.abs(exact) * (1 + 1e-9));
    }

    /** An accumulator as Flink's state sees it: only its encoded bytes and percentile cross the wire. */
    private static Acc roundTrip(Acc acc) {
        Acc copy = new Acc();
        copy.percentile = acc.percentile;
        byte[] bytes = acc.getSketch();
        copy.setSketch(bytes == null ? null : bytes.clone());
        return copy;
    }

    private static List<Row> query(String sql) {
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = tEnv.executeSql(sql).collect()) {
            it.forEachRemaining(rows::add);
        } catch (Exception e) {
            throw new RuntimeException(sql.length() > 300 ? sql.substring(0, 300) + "..." : sql, e);
        }
        return rows;
    }
}
