package io.hearth.spark.sql;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * A result column as Athena's {@code ColumnInfo} describes it: Athena's (Trino's) type name for the Spark type, with
 * the precision and scale Athena reports ({@code varchar} 2147483647, {@code integer} 10, {@code decimal(p,s)} p and s).
 *
 * @param nullable {@code NULLABLE} or {@code NOT_NULL}, from the Spark schema
 */
public record ResultColumn(String name, String type, int precision, int scale, String nullable) {

    public static List<ResultColumn> of(StructType schema) {
        List<ResultColumn> columns = new ArrayList<>();
        for (StructField field : schema.fields()) {
            columns.add(of(field));
        }
        return columns;
    }

    static ResultColumn of(StructField field) {
        DataType type = field.dataType();
        String nullable = field.nullable() ? "NULLABLE" : "NOT_NULL";
        if (type instanceof DecimalType decimal) {
            return new ResultColumn(field.name(), "decimal", decimal.precision(), decimal.scale(), nullable);
        }
        AthenaType athena = athenaType(type);
        return new ResultColumn(field.name(), athena.name(), athena.precision(), 0, nullable);
    }

    /** Athena's name of a (non-decimal) Spark type and the precision Athena reports for it. */
    private record AthenaType(String name, int precision) {}

    private static AthenaType athenaType(DataType type) {
        if (type instanceof IntegerType) {
            return new AthenaType("integer", 10);
        } else if (type instanceof LongType) {
            return new AthenaType("bigint", 19);
        } else if (type instanceof ShortType) {
            return new AthenaType("smallint", 5);
        } else if (type instanceof ByteType) {
            return new AthenaType("tinyint", 3);
        } else if (type instanceof DoubleType) {
            return new AthenaType("double", 17);
        } else if (type instanceof FloatType) {
            return new AthenaType("float", 24);
        } else if (type instanceof BooleanType) {
            return new AthenaType("boolean", 1);
        } else if (type instanceof DateType) {
            return new AthenaType("date", 0);
        } else if (type instanceof TimestampType || type instanceof TimestampNTZType) {
            return new AthenaType("timestamp", 3);
        } else if (type instanceof BinaryType) {
            return new AthenaType("varbinary", Integer.MAX_VALUE);
        } else if (type instanceof ArrayType) {
            return new AthenaType("array", 0);
        } else if (type instanceof MapType) {
            return new AthenaType("map", 0);
        } else if (type instanceof StructType) {
            return new AthenaType("row", 0);
        }
        return new AthenaType("varchar", Integer.MAX_VALUE);
    }
}
