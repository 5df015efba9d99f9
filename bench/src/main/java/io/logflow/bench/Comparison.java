package io.logflow.bench;

import java.util.ArrayList;
import java.util.List;

import static io.logflow.bench.Rounds.f;

/**
 * A baseline and its candidates measured round after round: prints each round as it completes (work per second and
 * per CPU-second, each candidate's ratios to the baseline of the same round) and at the end the medians of the
 * per-round ratios, the figures to quote.
 */
public final class Comparison {
    private final String unit;
    private final String[] names;
    private final List<Rate[]> rounds = new ArrayList<>();

    /** {@code names[0]} is the baseline. */
    public Comparison(String unit, String... names) {
        this.unit = unit;
        this.names = names;
        StringBuilder head = new StringBuilder("| round |");
        StringBuilder line = new StringBuilder("|---|");
        for (int i = 0; i < names.length; i++) {
            head.append(f(" %s %s/s | %s %s/CPU-s |", names[i], unit, names[i], unit));
            line.append("---:|---:|");
            if (i > 0) {
                head.append(" ratio /s | ratio /CPU-s |");
                line.append("---:|---:|");
            }
        }
        System.out.println(head.append(" load |"));
        System.out.println(line.append("---:|"));
    }

    public void round(Rate... rates) {
        rounds.add(rates);
        StringBuilder row = new StringBuilder(f("| %d |", rounds.size()));
        for (int i = 0; i < rates.length; i++) {
            row.append(f(" %,.0f | %,.0f |", rates[i].perSecond(), rates[i].perCpuSecond()));
            if (i > 0) {
                row.append(f(" %.2f | %.2f |", rates[i].perSecond() / rates[0].perSecond(),
                        rates[i].perCpuSecond() / rates[0].perCpuSecond()));
            }
        }
        System.out.println(row.append(' ').append(Rounds.load()).append(" |"));
    }

    public void print(String target) {
        for (int i = 1; i < names.length; i++) {
            double[] wall = new double[rounds.size()];
            double[] cpu = new double[rounds.size()];
            for (int r = 0; r < rounds.size(); r++) {
                wall[r] = rounds.get(r)[i].perSecond() / rounds.get(r)[0].perSecond();
                cpu[r] = rounds.get(r)[i].perCpuSecond() / rounds.get(r)[0].perCpuSecond();
            }
            System.out.println(f("%s / %s over %d rounds: median ratio %.2f per second, %.2f per CPU-second",
                    names[i], names[0], rounds.size(), Rounds.median(wall), Rounds.median(cpu)));
        }
        System.out.println(target);
    }
}
