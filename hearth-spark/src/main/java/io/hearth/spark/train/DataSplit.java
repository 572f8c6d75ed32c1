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
 * <p>The places are computed in Spark, without collecting rows: rows are ranked within buckets of
 * their order (so that no stratum has to fit one task), and each bucket's offset in its stratum
 * comes from a small table of bucket sizes.
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
    private static final String BUCKET_STRATUM = "__split_bucket_stratum";
    private static final String BUCKET_ID = "__split_bucket_id";
    private static final String OFFSET = "__split_offset";
    private static final String SIZE = "__split_size";
    private static final String ROWS = "__split_rows";

    /** About this many rows per bucket of the order, at most 1024 buckets. */
    private static final long ROWS_PER_BUCKET = 100_000;

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

    /** {@code rows} (with the label index in {@link TrainingPipeline#LABEL}) with the set of each row in {@link #SET}. */
    static Dataset<Row> assign(Dataset<Row> rows, TrainingSpec.Split split, TrainingData data) {
        return assign(rows, split, data.label(), stratifies(split, data.task()), bucketBits(data.rowCount()));
    }

    /** The same with {@code 2^bucketBits} buckets of the order; the sets do not depend on how many. */
    static Dataset<Row> assign(Dataset<Row> rows, TrainingSpec.Split split, String label, boolean stratified, int bucketBits) {
        if (bucketBits < 0 || bucketBits > 10) {
            throw new IllegalArgumentException("bucketBits must be between 0 and 10, not " + bucketBits);
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
                .withColumn(STRATUM, stratified ? col(TrainingPipeline.LABEL) : lit(0.0))
                .withColumn(KEY, xxhash64(values.toArray(Column[]::new)))
                .withColumn(TIE, xxhash64(everything.toArray(Column[]::new)));
        // Arithmetic shift: the buckets follow the (signed) order of the keys.
        keyed = keyed.withColumn(BUCKET, bucketBits == 0 ? lit(0L) : shiftright(col(KEY), 64 - bucketBits));

        Dataset<Row> ranked = keyed.withColumn(RANK, row_number().over(Window.partitionBy(col(STRATUM), col(BUCKET)).orderBy(col(KEY), col(TIE))));
        Dataset<Row> buckets = keyed.groupBy(col(STRATUM).as(BUCKET_STRATUM), col(BUCKET).as(BUCKET_ID)).agg(count(lit(1)).as(ROWS));
        buckets = buckets
                .withColumn(OFFSET, coalesce(sum(col(ROWS)).over(Window.partitionBy(col(BUCKET_STRATUM)).orderBy(col(BUCKET_ID))
                        .rowsBetween(Window.unboundedPreceding(), -1)), lit(0L)))
                .withColumn(SIZE, sum(col(ROWS)).over(Window.partitionBy(col(BUCKET_STRATUM))))
                .drop(ROWS);

        Column place = col(OFFSET).plus(col(RANK)).minus(1);
        Column trainEnd = round(col(SIZE).multiply(split.trainFraction()));
        Column validationEnd = round(col(SIZE).multiply(split.trainFraction() + split.validationFraction()));
        return ranked.join(broadcast(buckets), col(STRATUM).equalTo(col(BUCKET_STRATUM)).and(col(BUCKET).equalTo(col(BUCKET_ID))))
                .withColumn(SET, when(place.lt(trainEnd), TRAIN).when(place.lt(validationEnd), VALIDATION).otherwise(TEST))
                .drop(STRATUM, KEY, TIE, BUCKET, RANK, BUCKET_STRATUM, BUCKET_ID, OFFSET, SIZE);
    }

    /** The rows of one set, without the {@link #SET} column. */
    static Dataset<Row> set(Dataset<Row> assigned, int set) {
        return assigned.filter(col(SET).equalTo(set)).drop(SET);
    }

    /** Enough buckets for about {@link #ROWS_PER_BUCKET} rows each. */
    static int bucketBits(long rows) {
        int bits = 0;
        while (bits < 10 && (rows >> bits) > ROWS_PER_BUCKET) {
            bits++;
        }
        return bits;
    }
}
