package io.supportroi.generate;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapPartitionsFunction;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The Spark side of a chunk: each element of the partition is a chunk number, simulated and written here; the task
 * returns the chunks' serialized {@link ChunkResult}s.
 */
final class ChunkTask implements MapPartitionsFunction<Long, byte[]> {
    private static final long serialVersionUID = 1L;

    private final Business business;
    private final HadoopConf conf;
    private final String out;

    ChunkTask(Business business, HadoopConf conf, String out) {
        this.business = business;
        this.conf = conf;
        this.out = out;
    }

    @Override
    public Iterator<byte[]> call(Iterator<Long> chunks) throws Exception {
        List<byte[]> results = new ArrayList<>();
        try (FileSystem fs = LandingFiles.open(out, conf.get())) {
            ChunkWriter writer = new ChunkWriter(business, fs, new Path(out));
            while (chunks.hasNext()) {
                results.add(writer.write(Math.toIntExact(chunks.next())).toBytes());
            }
        }
        return results.iterator();
    }
}
