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
        return new ResultColumn(field.name(), typeName(type), precision(type), 0, nullable);
    }

    static String typeName(DataType type) {
        if (type instanceof IntegerType) {
            return "integer";
        } else if (type instanceof LongType) {
            return "bigint";
        } else if (type instanceof ShortType) {
            return "smallint";
        } else if (type instanceof ByteType) {
            return "tinyint";
        } else if (type instanceof DoubleType) {
            return "double";
        } else if (type instanceof FloatType) {
            return "float";
        } else if (type instanceof BooleanType) {
            return "boolean";
        } else if (type instanceof DateType) {
            return "date";
        } else if (type instanceof TimestampType || type instanceof TimestampNTZType) {
            return "timestamp";
        } else if (type instanceof BinaryType) {
            return "varbinary";
        } else if (type instanceof ArrayType) {
            return "array";
        } else if (type instanceof MapType) {
            return "map";
        } else if (type instanceof StructType) {
            return "row";
        }
        return "varchar";
    }

    private static int precision(DataType type) {
        return switch (typeName(type)) {
            case "integer" -> 10;
            case "bigint" -> 19;
            case "smallint" -> 5;
            case "tinyint" -> 3;
            case "double" -> 17;
            case "float" -> 24;
            case "boolean" -> 1;
            case "date" -> 0;
            case "timestamp" -> 3;
            case "varchar", "varbinary" -> Integer.MAX_VALUE;
            default -> 0;
        };
    }
}
