package io.hearth.tests;

import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.glue.model.StorageDescriptor;
import software.amazon.awssdk.services.glue.model.TableInput;

/** Glue table definitions the end-to-end tests create, as a Glue user writes them. */
final class GlueTables {
    private GlueTables() {}

    /** An external table of comma-separated text files under {@code location} (Hive's text format and LazySimpleSerDe). */
    static TableInput csv(String name, String location, Map<String, String> parameters, Column... columns) {
        return TableInput.builder().name(name).tableType("EXTERNAL_TABLE").parameters(parameters)
                .storageDescriptor(StorageDescriptor.builder().columns(columns).location(location)
                        .inputFormat("org.apache.hadoop.mapred.TextInputFormat")
                        .outputFormat("org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat")
                        .serdeInfo(s -> s.serializationLibrary("org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe").parameters(Map.of("field.delim", ",")))
                        .build())
                .build();
    }

    /** An external Parquet table under {@code location}, partitioned by {@code partitionKeys} (Hive's Parquet SerDe). */
    static TableInput parquet(String name, String location, List<Column> partitionKeys, Column... columns) {
        return TableInput.builder().name(name).tableType("EXTERNAL_TABLE").partitionKeys(partitionKeys)
                .storageDescriptor(parquetStorage(location, columns))
                .build();
    }

    static StorageDescriptor parquetStorage(String location, Column... columns) {
        return StorageDescriptor.builder().columns(columns).location(location)
                .inputFormat("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat")
                .outputFormat("org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat")
                .serdeInfo(s -> s.serializationLibrary("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"))
                .build();
    }
}
