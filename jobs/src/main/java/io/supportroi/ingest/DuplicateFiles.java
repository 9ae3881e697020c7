package io.supportroi.ingest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Content addressing for the ingest ledger. A landing file whose bytes (size and SHA-256) were already ingested is
 * the same file under another name, whether it was copied, delivered twice or the whole landing folder moved: it is
 * recorded in {@code ops.ingested_files} as a duplicate of the file that first brought that content, and adds
 * nothing to bronze. Within one night the first of several identical files, in path order, is the one read.
 *
 * <p>The caller says which contents count as ingested. For record sources (pages, event logs, CSV exports) that is
 * every content ever ingested: its records are in bronze whatever became of its path. Reference files are snapshots
 * whose latest version is the whole truth, so there only the current snapshot's content counts: a reverted
 * {@code agents.csv} is ingested again and becomes current.
 */
public final class DuplicateFiles {
    private DuplicateFiles() {}

    /** A landing file read this night, with its content's identity. */
    public record Candidate(String path, long size, long modifiedAt, String hash) {
        public String contentKey() {
            return DuplicateFiles.contentKey(size, hash);
        }
    }

    /** What to do with a candidate: ingest it ({@code duplicateOf} null) or record it as a copy of a file. */
    public record Decision(Candidate file, String duplicateOf) {
        public boolean isNew() {
            return duplicateOf == null;
        }
    }

    public static String contentKey(long size, String hash) {
        return size + "/" + hash;
    }

    /**
     * @param batch    the night's files of one source whose path, size or modification time the ledger does not know
     * @param ingested content key → path of the file that brought it, for the contents that count as ingested
     * @return one decision per candidate, in path order
     */
    public static List<Decision> classify(List<Candidate> batch, Map<String, String> ingested) {
        List<Candidate> inPathOrder = new ArrayList<>(batch);
        inPathOrder.sort(Comparator.comparing(Candidate::path));
        Map<String, String> firstInBatch = new HashMap<>();
        List<Decision> out = new ArrayList<>();
        for (Candidate c : inPathOrder) {
            String original = ingested.get(c.contentKey());
            if (original == null) {
                original = firstInBatch.get(c.contentKey());
            }
            if (original == null) {
                firstInBatch.put(c.contentKey(), c.path());
            }
            out.add(new Decision(c, original));
        }
        return out;
    }
}
