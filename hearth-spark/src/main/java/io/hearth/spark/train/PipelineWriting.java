package io.hearth.spark.train;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.sql.SparkSession;

/**
 * Writes a task's fitted pipeline where {@code PipelineModel.load} reads it. Spark writes every
 * stage with two small jobs of its own; the tasks sharing a {@link Preparation} have the very same
 * preprocessing stages, so once one task's pipeline is written whole, the next ones copy those
 * stages' folders from it and Spark writes only their model stage. The pipeline's metadata is the
 * JSON line Spark writes for a PipelineModel (class, uid, Spark version, {@code stageUids}), and
 * stage folders are named {@code <index>_<uid>} as Spark names them; the result loads as any saved
 * pipeline does.
 */
final class PipelineWriting {
    private PipelineWriting() {}

    static void write(SparkSession spark, PipelineModel model, String directory, Preparation preparation) {
        String source = preparation.writtenPipeline();
        Transformer last = model.stages()[model.stages().length - 1];
        try {
            if (source != null && last instanceof MLWritable writable) {
                writeCopying(spark, model, writable, directory, source);
            } else {
                model.write().overwrite().save(directory);
                preparation.pipelineWritten(directory);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the model to " + directory, e);
        }
    }

    private static void writeCopying(SparkSession spark, PipelineModel model, MLWritable last, String directory, String source) throws IOException {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Path target = new Path(directory);
        Path from = new Path(source);
        FileSystem targetFs = target.getFileSystem(conf);
        FileSystem sourceFs = from.getFileSystem(conf);
        targetFs.delete(target, true);
        Transformer[] stages = model.stages();
        for (int i = 0; i < stages.length - 1; i++) {
            String folder = "stages/" + stageFolder(i, stages.length, stages[i].uid());
            if (!FileUtil.copy(sourceFs, new Path(from, folder), targetFs, new Path(target, folder), false, true, conf)) {
                throw new IOException("Cannot copy " + new Path(from, folder) + " to " + new Path(target, folder));
            }
        }
        int modelIndex = stages.length - 1;
        last.write().save(new Path(target, "stages/" + stageFolder(modelIndex, stages.length, stages[modelIndex].uid())).toString());
        writeMetadata(spark, model, targetFs, new Path(target, "metadata"));
    }

    /** Spark's name for a stage's folder: the index padded to the digits of the stage count, then the uid. */
    static String stageFolder(int index, int stageCount, String uid) {
        int digits = Integer.toString(stageCount).length();
        return String.format(Locale.ROOT, "%0" + digits + "d", index) + "_" + uid;
    }

    private static void writeMetadata(SparkSession spark, PipelineModel model, FileSystem fs, Path folder) throws IOException {
        List<String> uids = new ArrayList<>();
        for (Transformer stage : model.stages()) {
            uids.add(stage.uid());
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("class", PipelineModel.class.getName());
        metadata.put("timestamp", System.currentTimeMillis());
        metadata.put("sparkVersion", spark.version());
        metadata.put("uid", model.uid());
        metadata.put("paramMap", Map.of("stageUids", uids));
        metadata.put("defaultParamMap", Map.of());
        fs.mkdirs(folder);
        try (OutputStream out = fs.create(new Path(folder, "part-00000"), true)) {
            out.write(SpecReader.mapper().writeValueAsBytes(metadata));
            out.write('\n');
        }
        fs.create(new Path(folder, "_SUCCESS"), true).close();
    }
}
