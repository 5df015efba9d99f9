package io.logflow.bench.templates;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One labelled Loghub-2k set: each line's message ({@code Content}) and true group ({@code EventId}), in file order,
 * read from {@code <dir>/<Set>/<Set>_2k.log_structured.csv} (or {@code ..._structured_corrected.csv}, the corrected
 * labels of logpai/logparser, when asked for).
 */
record LabelledSet(String name, List<String> messages, List<String> events) {

    static LabelledSet read(Path setDir, boolean corrected) throws IOException {
        String name = setDir.getFileName().toString();
        Path file = setDir.resolve(name + "_2k.log_structured" + (corrected ? "_corrected" : "") + ".csv");
        List<List<String>> rows = Csv.parse(Files.readString(file, StandardCharsets.UTF_8));
        List<String> header = rows.get(0);
        int content = header.indexOf("Content");
        int event = header.indexOf("EventId");
        if (content < 0 || event < 0) {
            throw new IOException(file + " has no Content or EventId column: " + header);
        }
        List<String> messages = new ArrayList<>();
        List<String> events = new ArrayList<>();
        for (List<String> row : rows.subList(1, rows.size())) {
            if (row.size() > Math.max(content, event)) {
                messages.add(row.get(content));
                events.add(row.get(event));
            }
        }
        return new LabelledSet(name, messages, events);
    }

    /** RFC 4180: fields in double quotes may hold commas, line breaks and doubled quotes. */
    static final class Csv {
        private Csv() {}

        static List<List<String>> parse(String text) {
            List<List<String>> rows = new ArrayList<>();
            List<String> row = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            int n = text.length();
            for (int i = 0; i < n; i++) {
                char c = text.charAt(i);
                if (quoted) {
                    if (c == '"' && i + 1 < n && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    } else {
                        field.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    row.add(field.toString());
                    field.setLength(0);
                } else if (c == '\n' || c == '\r') {
                    if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                        i++;
                    }
                    row.add(field.toString());
                    field.setLength(0);
                    rows.add(row);
                    row = new ArrayList<>();
                } else {
                    field.append(c);
                }
            }
            if (field.length() > 0 || !row.isEmpty()) {
                row.add(field.toString());
                rows.add(row);
            }
            return rows;
        }
    }
}
