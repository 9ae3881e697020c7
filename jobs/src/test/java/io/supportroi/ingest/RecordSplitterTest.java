package io.supportroi.ingest;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RecordSplitterTest {

    @Test
    void pageElementsAreCutOneByOneWithTheirLines() {
        String page = "{\n \"tickets\": [\n  {\"id\": 1, \"s\": \"a,}]\"},\n  {\"id\": 2,\n   \"x\": [1,2]}\n ],\n \"count\": 2\n}";
        List<RecordSplitter.RawRecord> recs = RecordSplitter.jsonPage(page, "tickets");
        assertThat(recs).hasSize(2);
        assertThat(recs.get(0).raw()).isEqualTo("{\"id\": 1, \"s\": \"a,}]\"}");
        assertThat(recs.get(0).line()).isEqualTo(3);
        assertThat(recs.get(1).raw()).isEqualTo("{\"id\": 2,\n   \"x\": [1,2]}");
        assertThat(recs.get(1).line()).isEqualTo(4);
        assertThat(recs).allMatch(r -> r.error() == null);
    }

    @Test
    void aMalformedElementIsIsolatedFromItsNeighbours() {
        String page = "{\"orders\":[{\"id\":1},\nnot json at all,\n{\"id\":3}]}";
        List<RecordSplitter.RawRecord> recs = RecordSplitter.jsonPage(page, "orders");
        assertThat(recs).extracting(RecordSplitter.RawRecord::raw)
                .containsExactly("{\"id\":1}", "not json at all", "{\"id\":3}");
        assertThat(recs.get(1).line()).isEqualTo(2);
    }

    @Test
    void aTruncatedPageKeepsTheCompleteRecordsAndFlagsTheRest() {
        String page = "{\"users\":[{\"id\":1},{\"id\":2,\"email\":\"a@b";
        List<RecordSplitter.RawRecord> recs = RecordSplitter.jsonPage(page, "users");
        assertThat(recs).hasSize(2);
        assertThat(recs.get(0).error()).isNull();
        assertThat(recs.get(1).error()).contains("truncated");
    }

    @Test
    void aPageWithoutItsArrayIsOneBadRecord() {
        List<RecordSplitter.RawRecord> recs = RecordSplitter.jsonPage("{\"other\": []}", "tickets");
        assertThat(recs).singleElement().satisfies(r -> assertThat(r.error()).contains("\"tickets\""));
    }

    @Test
    void topLevelArraysAreAcceptedWhereNoKeyIsGiven() {
        List<RecordSplitter.RawRecord> recs = RecordSplitter.jsonPage("[{\"id\":\"evt_1\"}, {\"id\":\"evt_2\"}]", null);
        assertThat(recs).extracting(RecordSplitter.RawRecord::raw).containsExactly("{\"id\":\"evt_1\"}", "{\"id\":\"evt_2\"}");
    }

    @Test
    void jsonLinesSkipBlankLinesAndKeepLineNumbers() {
        List<RecordSplitter.RawRecord> recs = RecordSplitter.jsonLines("{\"a\":1}\r\n\n{\"a\":2}\n");
        assertThat(recs).extracting(RecordSplitter.RawRecord::line).containsExactly(1L, 3L);
        assertThat(recs).extracting(RecordSplitter.RawRecord::raw).containsExactly("{\"a\":1}", "{\"a\":2}");
    }

    @Test
    void csvBecomesJsonObjectsKeyedByHeaderWithQuotedNewlines() {
        String csv = "sku,Unit_Cost\r\nBOX,17.50\r\n\"MUG, big\",\"4.\n25\"\nTEE,\n";
        List<RecordSplitter.RawRecord> recs = RecordSplitter.csv(csv);
        assertThat(recs).hasSize(3);
        assertThat(recs.get(0).raw()).isEqualTo("{\"sku\":\"BOX\",\"unit_cost\":\"17.50\"}");
        assertThat(recs.get(0).line()).isEqualTo(2);
        assertThat(recs.get(1).raw()).isEqualTo("{\"sku\":\"MUG, big\",\"unit_cost\":\"4.\\n25\"}");
        assertThat(recs.get(2).raw()).isEqualTo("{\"sku\":\"TEE\",\"unit_cost\":null}");
        assertThat(recs.get(2).line()).isEqualTo(5);
    }

    @Test
    void csvRowsWithTheWrongNumberOfFieldsAreFlagged() {
        List<RecordSplitter.RawRecord> recs = RecordSplitter.csv("a,b\n1,2,3\n4\n5,6\n");
        assertThat(recs.get(0).error()).contains("3 fields");
        assertThat(recs.get(1).error()).contains("1 fields");
        assertThat(recs.get(2).error()).isNull();
    }

    @Test
    void aUtf8ByteOrderMarkIsDropped() {
        byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, all, 0, 3);
        System.arraycopy(body, 0, all, 3, body.length);
        assertThat(RecordSplitter.decode(all)).isEqualTo("{\"a\":1}");
    }

    @Test
    void latin1BytesAreFlaggedNotSilentlyReplaced() {
        // "José" from a Latin-1 export: é is the single byte 0xE9, which is not UTF-8.
        byte[] latin1 = "customer_id,customer_name\nc1,Jos\u00e9\nc2,Ann\n".getBytes(StandardCharsets.ISO_8859_1);
        RecordSplitter.Decoded d = RecordSplitter.decodeChecked(latin1);
        assertThat(d.utf8()).isFalse();
        var records = RecordSplitter.flagNotUtf8(RecordSplitter.csv(d.text()));
        assertThat(records).extracting(RecordSplitter.RawRecord::error)
                .containsExactly(RecordSplitter.NOT_UTF8, null);
        assertThat(records.get(1).raw()).contains("Ann");

        byte[] utf8 = "customer_id,customer_name\nc1,Jos\u00e9\n".getBytes(StandardCharsets.UTF_8);
        assertThat(RecordSplitter.decodeChecked(utf8)).isEqualTo(new RecordSplitter.Decoded(
                "customer_id,customer_name\nc1,Jos\u00e9\n", true));
    }
}
