package io.supportroi.ingest;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which landing files are the same content under another name. */
class DuplicateFilesTest {
    private static DuplicateFiles.Candidate file(String path, long size, String hash) {
        return new DuplicateFiles.Candidate(path, size, 0L, hash);
    }

    @Test
    void aContentAlreadyIngestedIsADuplicateOfTheFileThatBroughtIt() {
        List<DuplicateFiles.Decision> d = DuplicateFiles.classify(
                List.of(file("new/orders-1.json", 10, "aa"), file("new/orders-2.json", 12, "bb")),
                Map.of(DuplicateFiles.contentKey(10, "aa"), "old/orders-1.json"));
        assertThat(d).extracting(DuplicateFiles.Decision::duplicateOf).containsExactly("old/orders-1.json", null);
    }

    @Test
    void withinANightTheFirstOfIdenticalFilesInPathOrderIsRead() {
        List<DuplicateFiles.Decision> d = DuplicateFiles.classify(
                List.of(file("b/copy.json", 10, "aa"), file("a/page.json", 10, "aa"), file("c/other.json", 10, "cc")),
                Map.of());
        assertThat(d).extracting(x -> x.file().path() + " <- " + x.duplicateOf())
                .containsExactly("a/page.json <- null", "b/copy.json <- a/page.json", "c/other.json <- null");
    }

    @Test
    void theSameHashWithAnotherSizeIsAnotherContent() {
        // A hash is only trusted together with the size it was taken over.
        List<DuplicateFiles.Decision> d = DuplicateFiles.classify(List.of(file("p.json", 11, "aa")),
                Map.of(DuplicateFiles.contentKey(10, "aa"), "q.json"));
        assertThat(d.get(0).isNew()).isTrue();
    }
}
