package io.logflow.bench.templates;

import io.logflow.parse.template.TemplateMatch;
import io.logflow.parse.template.TemplateMiner;
import io.logflow.parse.template.TemplateMinerSerializer;

import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Everything the miner answers on Loghub-2k, to compare two builds byte for byte: for each set in name order, each
 * line's full {@link TemplateMatch} (id, count, first and last seen, report, text, example) in file order, then the
 * SHA-256 of the final miner's snapshot; then the same with a miner of 20 templates and another seed (evictions). Two builds whose outputs are equal ({@code cmp}) behave the same on the corpus.
 *
 * <pre>
 * java -cp ... io.logflow.bench.templates.TemplateGolden /path/to/loghub_2k &gt; /tmp/golden.txt
 * </pre>
 */
public final class TemplateGolden {
    private TemplateGolden() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: TemplateGolden <loghub_2k dir>");
            System.exit(2);
        }
        List<Path> dirs;
        try (Stream<Path> children = Files.list(Path.of(args[0]))) {
            dirs = children.filter(Files::isDirectory)
                    .filter(p -> Files.exists(p.resolve(p.getFileName() + "_2k.log_structured.csv")))
                    .sorted().toList();
        }
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        for (Path dir : dirs) {
            LabelledSet set = LabelledSet.read(dir, false);
            run(set, new TemplateMiner(0), set.name(), out);
            run(set, new TemplateMiner(7, 20), set.name() + "/20", out); // evicting, with another seed
        }
        out.flush();
    }

    private static void run(LabelledSet set, TemplateMiner miner, String name, PrintStream out) throws Exception {
        for (int i = 0; i < set.messages().size(); i++) {
            // times go back and forth, so firstSeen, lastSeen and the report interval are all exercised
            long time = i * 1000L + (i % 7 == 3 ? -50_000 : 0) + (i % 101 == 0 ? 70_000 : 0);
            TemplateMatch m = miner.add(set.messages().get(i), time);
            out.printf("%s %d %s %d %d %d %b %s | %s%n", name, i, m.id, m.count, m.firstSeen, m.lastSeen,
                    m.report, escape(m.text), escape(m.example));
        }
        DataOutputSerializer snapshot = new DataOutputSerializer(4096);
        TemplateMinerSerializer.INSTANCE.serialize(miner, snapshot);
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(snapshot.getCopyOfBuffer());
        out.printf("%s snapshot %d bytes sha256 %s%n", name, snapshot.length(),
                HexFormat.of().formatHex(digest));
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
    }
}
