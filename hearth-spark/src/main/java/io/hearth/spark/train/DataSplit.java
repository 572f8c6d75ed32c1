package io.hearth.spark.train;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.shiftright;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * The train / validation / test split, exact and seeded. Every row gets a place in a seeded order
 * (a 64-bit hash of the seed and the row's values in every column but the label), and each stratum
 * is cut at {@code round(n * train)} and {@code round(n * (train + validation))} of that order: so
 * every set holds within one row of its fraction of the stratum. With stratification a stratum is a
 * class, so the sets keep the class mix; without (regressions, or {@code split.stratify: false}) it
 * is all the rows. The order depends on the rows' values only, not on how the input is
 * partitioned or ordered, and not on the label, so runs that differ only in their label column
 * split alike when they are not stratified.
 *
 * <p>The places are computed in Spark, without collecting rows, with one shuffle of the rows into
 * as many partitions as they came in. The rows are ranked within buckets of the order (so that no
 * stratum has to fit one task, and the partitions come out even), each bucket's offset in its
 * stratum coming from a small table of bucket sizes; a small input in one partition is ranked a
 * stratum at a time.
 */
final class DataSplit {
    /** The column {@link #assign} adds: 0 for training rows, 1 for validation, 2 for test. */
    static final String SET = "__set";
    static final int TRAIN = 0;
    static final int VALIDATION = 1;
    static final int TEST = 2;

    private static final String STRATUM = "__split_stratum";
    private static final String KEY = "__split_key";
    private static final String TIE = "__split_tie";
    private static final String BUCKET = "__split_bucket";
    private static final String RANK = "__split_rank";
    private static final String PLACE = "__split_place";
    private static final String BUCKET_STRATUM = "__split_bucket_stratum";
    private static final String BUCKET_ID = "__split_bucket_id";
    private static final String OFFSET = "__split_offset";
    private static final String SIZE = "__split_size";
    private static final String ROWS = "__split_rows";

    /** About this many rows per bucket of the order at most, in at most 1024 buckets. */
    private static final long ROWS_PER_BUCKET = 100_000;
    private static final int MAX_BUCKET_BITS = 10;

    private DataSplit() {}

    /** Whether the split keeps the class mix: as {@code split.stratify} says, by default for classification. */
    static boolean stratifies(TrainingSpec.Split split, TrainingSpec.Task task) {
        if (split.stratify() == null) {
            return task.isClassification();
        }
        if (split.stratify() && !task.isClassification()) {
            throw new SpecException("split.stratify", "applies to classification; a regression label has no classes to keep the mix of"
                    + " (its rows are split by the seeded order alone)");
        }
        return split.stratify();
    }

    /**
     * {@code rows} (with the label index in {@link TrainingPipeline#LABEL}) with the set of each row
     * in {@link #SET}, in as many partitions as {@code rows} has.
     */
    static Dataset<Row> assign(Dataset<Row> rows, TrainingSpec.Split split, TrainingData data) {
        int partitions = Math.max(1, rows.rdd().getNumPartitions());
        return assign(rows, split, data.label(), stratifies(split, data.task()), partitions, bucketBits(data.rowCount(), partitions));
    }

    /** The same in {@code partitions} partitions, with {@code 2^bucketBits} buckets of the order; the sets depend on neither. */
    static Dataset<Row> assign(Dataset<Row> rows, TrainingSpec.Split split, String label, boolean stratified, int partitions, int bucketBits) {
        if (bucketBits < 0 || bucketBits > MAX_BUCKET_BITS) {
            throw new IllegalArgumentException("bucketBits must be between 0 and " + MAX_BUCKET_BITS + ", not " + bucketBits);
        }
        long seed = split.seedValue();
        List<Column> values = new ArrayList<>(List.of(lit(seed)));
        List<Column> everything = new ArrayList<>(List.of(lit(~seed)));
        for (String name : rows.columns()) {
            if (name.equals(TrainingPipeline.LABEL)) {
                continue;
            }
            Column column = col(TrainingPipeline.quote(name));
            everything.add(column);
            if (!name.equals(label)) {
                values.add(column);
            }
        }
        // The tie-break orders rows with the same values but another label; only identical rows tie, and they are interchangeable.
        Dataset<Row> keyed = rows
                // An integer (the class index), so that the repartitioning below is the one the window needs (a double would be normalised first).
                .withColumn(STRATUM, stratified ? col(TrainingPipeline.LABEL).cast("int") : lit(0))
                .withColumn(KEY, xxhash64(values.toArray(Column[]::new)))
                .withColumn(TIE, xxhash64(everything.toArray(Column[]::new)));
        // The one shuffle of the rows: into as many partitions as they came in (not spark.sql.shuffle.partitions, which a
        // cached result would keep for every fit after it), by stratum and bucket, as the window needs them.
        Dataset<Row> placed;
        if (bucketBits == 0) {
            // Small inputs in one partition: a stratum's rows ranked together.
            Dataset<Row> shuffled = keyed.repartition(partitions, col(STRATUM));
            placed = shuffled
                    .withColumn(PLACE, row_number().over(Window.partitionBy(col(STRATUM)).orderBy(col(KEY), col(TIE))).minus(1))
                    .withColumn(SIZE, count(lit(1)).over(Window.partitionBy(col(STRATUM))));
        } else {
            // Arithmetic shift: the buckets follow the (signed) order of the keys.
            Dataset<Row> shuffled = keyed.withColumn(BUCKET, shiftright(col(KEY), 64 - bucketBits)).repartition(partitions, col(STRATUM), col(BUCKET));
            Dataset<Row> ranked = shuffled.withColumn(RANK, row_number().over(Window.partitionBy(col(STRATUM), col(BUCKET)).orderBy(col(KEY), col(TIE))));
            // The bucket sizes, counted before any shuffle: only the counts move.
            Dataset<Row> buckets = keyed.withColumn(BUCKET, shiftright(col(KEY), 64 - bucketBits))
                    .groupBy(col(STRATUM).as(BUCKET_STRATUM), col(BUCKET).as(BUCKET_ID)).agg(count(lit(1)).as(ROWS));
            buckets = buckets
                    .withColumn(OFFSET, coalesce(sum(col(ROWS)).over(Window.partitionBy(col(BUCKET_STRATUM)).orderBy(col(BUCKET_ID))
                            .rowsBetween(Window.unboundedPreceding(), -1)), lit(0L)))
                    .withColumn(SIZE, sum(col(ROWS)).over(Window.partitionBy(col(BUCKET_STRATUM))))
                    .drop(ROWS);
            placed = ranked.join(broadcast(buckets), col(STRATUM).equalTo(col(BUCKET_STRATUM)).and(col(BUCKET).equalTo(col(BUCKET_ID))))
                    .withColumn(PLACE, col(OFFSET).plus(col(RANK)).minus(1))
                    .drop(BUCKET, RANK, BUCKET_STRATUM, BUCKET_ID, OFFSET);
        }

        Column place = col(PLACE);
        Column trainEnd = round(col(SIZE).multiply(split.trainFraction()));
        Column validationEnd = round(col(SIZE).multiply(split.trainFraction() + split.validationFraction()));
        return placed.withColumn(SET, when(place.lt(trainEnd), TRAIN).when(place.lt(validationEnd), VALIDATION).otherwise(TEST))
                .drop(STRATUM, KEY, TIE, PLACE, SIZE);
    }

    /** The rows of one set, without the {@link #SET} column. */
    static Dataset<Row> set(Dataset<Row> assigned, int set) {
        return assigned.filter(col(SET).equalTo(set)).drop(SET);
    }

    /**
     * Enough buckets for at most about {@link #ROWS_PER_BUCKET} rows each, and, over more than one
     * partition, at least eight a partition so that the partitions come out about even.
     */
    static int bucketBits(long rows, int partitions) {
        int bits = 0;
        while (bits < MAX_BUCKET_BITS && ((rows >> bits) > ROWS_PER_BUCKET || partitions > 1 && (1L << bits) < 8L * partitions)) {
            bits++;
        }
        return bits;
    }
}
