package io.logflow.testing;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Builds the files the upload tests feed in: gzip, zip and tar archives, CloudWatch envelopes. */
public final class Archives {
    private Archives() {}

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public static String lines(List<String> lines) {
        return String.join("\n", lines) + "\n";
    }

    public static byte[] gzip(byte[] content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Entries in the order given: name → content. */
    public static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipArchiveEntry entry = new ZipArchiveEntry(e.getKey());
                out.putArchiveEntry(entry);
                out.write(e.getValue());
                out.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static byte[] tar(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(e.getValue().length);
                out.putArchiveEntry(entry);
                out.write(e.getValue());
                out.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static Map<String, byte[]> entries(Object... nameThenContent) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (int i = 0; i < nameThenContent.length; i += 2) {
            Object content = nameThenContent[i + 1];
            out.put((String) nameThenContent[i], content instanceof String ? utf8((String) content) : (byte[]) content);
        }
        return out;
    }

    /** How many whole lines a streaming gunzip recovers from a cut archive before it hits the cut. */
    public static long completeLinesBeforeCut(byte[] truncatedGzip) {
        long lines = 0;
        try (java.io.InputStream in = new java.util.zip.GZIPInputStream(
                new java.io.ByteArrayInputStream(truncatedGzip))) {
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\n') {
                    lines++;
                }
            }
        } catch (IOException expected) {
            // the cut
        }
        return lines;
    }

    /** A CloudWatch Logs DATA_MESSAGE envelope with {@code n} events, as a subscription or Firehose writes it. */
    public static String cloudWatchEnvelope(String owner, String logGroup, String logStream, int firstId, int n) {
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                events.append(',');
            }
            int id = firstId + i;
            events.append("{\"id\":\"").append(id).append("\",\"timestamp\":").append(1_793_606_400_000L + id)
                    .append(",\"message\":\"cw event ").append(id).append("\"}");
        }
        return "{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"" + owner + "\",\"logGroup\":\"" + logGroup
                + "\",\"logStream\":\"" + logStream + "\",\"subscriptionFilters\":[\"f\"],\"logEvents\":[" + events
                + "]}";
    }
}
