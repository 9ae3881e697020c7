package io.supportroi.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Cuts a generated landing folder into the daily drops a source system would have delivered: every record goes to
 * the drop of the day it last changed (Zendesk and Shopify {@code updated_at}, else {@code created_at}; Stripe
 * {@code created}), each drop keeping the source's file format and folder. Reference files (full snapshots) arrive
 * with the first drop. Records before the first day go to the first drop, records after the last to the last.
 */
public final class DailyDrops {
    private DailyDrops() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Writes {@code days} drops under {@code out}/day-NN and returns their folders, first day first. */
    public static List<Path> split(Path landing, LocalDate firstDay, int days, Path out) throws IOException {
        List<Path> drops = new ArrayList<>();
        for (int d = 0; d < days; d++) {
            drops.add(Files.createDirectories(out.resolve(String.format("day-%02d", d + 1))));
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(landing)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            String rel = landing.relativize(file).toString();
            if (rel.equals("ground_truth.json") || rel.startsWith("_")) {
                continue;
            }
            if (rel.startsWith("reference/") || rel.startsWith("csv/")) {
                copy(file, drops.get(0).resolve(rel));
            } else if (rel.endsWith(".jsonl")) {
                Map<Integer, StringBuilder> byDay = new TreeMap<>();
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (line.isBlank()) {
                        continue;
                    }
                    Instant at = Instant.ofEpochSecond(JSON.readTree(line).path("created").asLong());
                    byDay.computeIfAbsent(day(at, firstDay, days), k -> new StringBuilder()).append(line).append('\n');
                }
                for (Map.Entry<Integer, StringBuilder> e : byDay.entrySet()) {
                    Files.writeString(dayFile(drops.get(e.getKey()), rel, e.getKey()), e.getValue());
                }
            } else if (rel.endsWith(".json")) {
                splitPage(file, rel, firstDay, drops);
            } else {
                copy(file, drops.get(0).resolve(rel));
            }
        }
        return drops;
    }

    /** A page object with one array of records: the page is repeated per day with that day's records. */
    private static void splitPage(Path file, String rel, LocalDate firstDay, List<Path> drops) throws IOException {
        ObjectNode page = (ObjectNode) JSON.readTree(file.toFile());
        String arrayField = null;
        for (Iterator<String> names = page.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (page.get(name).isArray()) {
                arrayField = name;
            }
        }
        if (arrayField == null) {
            throw new IllegalArgumentException("no record array in " + file);
        }
        Map<Integer, ArrayNode> byDay = new TreeMap<>();
        for (JsonNode record : page.get(arrayField)) {
            String at = record.hasNonNull("updated_at") ? record.get("updated_at").asText()
                    : record.path("created_at").asText();
            byDay.computeIfAbsent(day(OffsetDateTime.parse(at).toInstant(), firstDay, drops.size()),
                    k -> JSON.createArrayNode()).add(record);
        }
        for (Map.Entry<Integer, ArrayNode> e : byDay.entrySet()) {
            ObjectNode dayPage = page.deepCopy();
            dayPage.set(arrayField, e.getValue());
            JSON.writeValue(dayFile(drops.get(e.getKey()), rel, e.getKey()).toFile(), dayPage);
        }
    }

    private static int day(Instant at, LocalDate firstDay, int days) {
        long d = at.atZone(ZoneOffset.UTC).toLocalDate().toEpochDay() - firstDay.toEpochDay();
        return (int) Math.max(0, Math.min(days - 1, d));
    }

    /** The file's name with the day before its extension, in the file's folder of the drop. */
    private static Path dayFile(Path drop, String rel, int day) throws IOException {
        int dot = rel.lastIndexOf('.');
        Path target = drop.resolve(rel.substring(0, dot) + String.format("-d%02d", day + 1) + rel.substring(dot));
        Files.createDirectories(target.getParent());
        return target;
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to);
    }

    /** Copies one drop's files into the landing folder, as the source systems' exports would arrive. */
    public static int deliver(Path drop, Path landing) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(drop)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            copy(f, landing.resolve(drop.relativize(f).toString()));
        }
        return files.size();
    }
}
