package io.hearth.server.catalog.glue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.Table;

/**
 * Makes Glue tables that Spark's Hive reader cannot read as written readable through Spark's own
 * data sources, the way Spark stores its own data source tables in a metastore:
 * <ul>
 *   <li>JSON tables (OpenX or HCatalog JSON SerDe, neither of which ships with Spark) read with
 *       Spark's JSON source;</li>
 *   <li>CSV tables that skip one header line ({@code skip.header.line.count=1}) read with Spark's
 *       CSV source and {@code header=true}, since Spark's Hive reader ignores that property;</li>
 *   <li>tables naming only a {@code classification} (csv, json, parquet, orc) and no SerDe.</li>
 * </ul>
 * The added parameters ({@code spark.sql.sources.*}, and the source options among the SerDe
 * parameters) are recorded as Hearth's, so Glue responses leave them out. Other tables (Parquet,
 * ORC, plain text with a Hive SerDe) are read by Spark's Hive support as they are.
 */
final class SparkReadableForm {
    static final String LAZY_SIMPLE_SERDE = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe";
    static final String OPEN_CSV_SERDE = "org.apache.hadoop.hive.serde2.OpenCSVSerde";
    static final Set<String> JSON_SERDES = Set.of("org.openx.data.jsonserde.JsonSerDe", "org.apache.hive.hcatalog.data.JsonSerDe",
            "org.apache.hadoop.hive.serde2.JsonSerDe");
    private static final Set<String> CLASSIFICATIONS = Set.of("csv", "json", "parquet", "orc");
    /** Metastores keep parameter values of up to 4000 characters; Spark splits longer schemas the same way. */
    private static final int MAX_PARAMETER_LENGTH = 4000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SparkReadableForm() {}

    static void apply(Table table) {
        Optional<String> provider = provider(table);
        if (provider.isEmpty()) {
            return;
        }
        Map<String, String> parameters = table.getParameters();
        Map<String, String> tableAdditions = new LinkedHashMap<>();
        tableAdditions.put("spark.sql.sources.provider", provider.get());
        String schema = schemaJson(table.getSd().getCols(), table.getPartitionKeys());
        if (schema.length() <= MAX_PARAMETER_LENGTH) {
            tableAdditions.put("spark.sql.sources.schema", schema);
        } else {
            int parts = (schema.length() + MAX_PARAMETER_LENGTH - 1) / MAX_PARAMETER_LENGTH;
            tableAdditions.put("spark.sql.sources.schema.numParts", Integer.toString(parts));
            for (int i = 0; i < parts; i++) {
                tableAdditions.put("spark.sql.sources.schema.part." + i,
                        schema.substring(i * MAX_PARAMETER_LENGTH, Math.min(schema.length(), (i + 1) * MAX_PARAMETER_LENGTH)));
            }
        }
        List<FieldSchema> partitionKeys = table.getPartitionKeys();
        if (!partitionKeys.isEmpty()) {
            tableAdditions.put("spark.sql.sources.schema.numPartCols", Integer.toString(partitionKeys.size()));
            for (int i = 0; i < partitionKeys.size(); i++) {
                tableAdditions.put("spark.sql.sources.schema.partCol." + i, partitionKeys.get(i).getName());
            }
            // Partitions are the ones in the catalog (added through Glue or Spark), not whatever folders exist.
            tableAdditions.put("spark.sql.partitionProvider", "catalog");
        }
        HiddenParameters.add(parameters, tableAdditions, parameters, HiddenParameters.ADDED);

        Map<String, String> serde = table.getSd().getSerdeInfo().getParameters();
        Map<String, String> options = new LinkedHashMap<>();
        if (table.getSd().getLocation() != null) {
            // Spark's data source tables keep their location in this SerDe parameter.
            options.put("path", HiveMapping.stripTrailingSlash(table.getSd().getLocation()));
        }
        if (provider.get().equals("csv")) {
            options.putAll(csvOptions(table.getSd().getSerdeInfo().getSerializationLib(), serde, parameters));
        }
        HiddenParameters.add(serde, options, parameters, HiddenParameters.ADDED_SERDE);
    }

    private static Optional<String> provider(Table table) {
        if (table.getSd() == null || table.getSd().getSerdeInfo() == null || "VIRTUAL_VIEW".equals(table.getTableType())) {
            return Optional.empty();
        }
        String serde = table.getSd().getSerdeInfo().getSerializationLib();
        Map<String, String> parameters = table.getParameters();
        if (serde != null && JSON_SERDES.contains(serde)) {
            return Optional.of("json");
        }
        boolean oneHeaderLine = "1".equals(parameters.get("skip.header.line.count"));
        if (oneHeaderLine && (LAZY_SIMPLE_SERDE.equals(serde) || OPEN_CSV_SERDE.equals(serde))) {
            return Optional.of("csv");
        }
        String classification = parameters.getOrDefault("classification", "").toLowerCase(Locale.ROOT);
        if ((serde == null || serde.isEmpty()) && CLASSIFICATIONS.contains(classification)) {
            return Optional.of(classification);
        }
        return Optional.empty();
    }

    /** The CSV source options equivalent to the SerDe's: delimiter, quoting, header and null marker. */
    private static Map<String, String> csvOptions(String serde, Map<String, String> serdeParameters, Map<String, String> tableParameters) {
        Map<String, String> options = new LinkedHashMap<>();
        if ("1".equals(tableParameters.get("skip.header.line.count"))) {
            options.put("header", "true");
        }
        if (OPEN_CSV_SERDE.equals(serde)) {
            options.put("sep", serdeParameters.getOrDefault("separatorChar", ","));
            options.put("quote", serdeParameters.getOrDefault("quoteChar", "\""));
            options.put("escape", serdeParameters.getOrDefault("escapeChar", "\\"));
        } else {
            // LazySimpleSerDe splits on the delimiter and knows no quoting.
            String delimiter = serdeParameters.getOrDefault("field.delim", serdeParameters.getOrDefault("serialization.format", ","));
            options.put("sep", delimiter.equals("1") ? "\u0001" : delimiter);
            options.put("quote", "");
            if (serdeParameters.containsKey("escape.delim")) {
                options.put("escape", serdeParameters.get("escape.delim"));
            }
            if (serdeParameters.containsKey("serialization.null.format")) {
                options.put("nullValue", serdeParameters.get("serialization.null.format"));
            }
        }
        return options;
    }

    /** Spark's JSON schema: the data columns, then the partition keys. */
    private static String schemaJson(List<FieldSchema> columns, List<FieldSchema> partitionKeys) {
        ObjectNode schema = JSON.createObjectNode();
        schema.put("type", "struct");
        ArrayNode fields = schema.putArray("fields");
        for (List<FieldSchema> group : List.of(columns, partitionKeys)) {
            for (FieldSchema column : group) {
                ObjectNode field = fields.addObject();
                field.put("name", column.getName());
                field.putPOJO("type", HiveType.parse(column.getType()).sparkJson());
                field.put("nullable", true);
                ObjectNode metadata = field.putObject("metadata");
                if (column.getComment() != null && !column.getComment().isEmpty()) {
                    metadata.put("comment", column.getComment());
                }
            }
        }
        return schema.toString();
    }
}
