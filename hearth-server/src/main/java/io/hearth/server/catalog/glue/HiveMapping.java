package io.hearth.server.catalog.glue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.server.HearthException;
import io.hearth.server.catalog.glue.GlueShapes.Column;
import io.hearth.server.catalog.glue.GlueShapes.Database;
import io.hearth.server.catalog.glue.GlueShapes.DatabaseInput;
import io.hearth.server.catalog.glue.GlueShapes.Order;
import io.hearth.server.catalog.glue.GlueShapes.Partition;
import io.hearth.server.catalog.glue.GlueShapes.PartitionInput;
import io.hearth.server.catalog.glue.GlueShapes.SerDeInfo;
import io.hearth.server.catalog.glue.GlueShapes.SkewedInfo;
import io.hearth.server.catalog.glue.GlueShapes.StorageDescriptor;
import io.hearth.server.catalog.glue.GlueShapes.Table;
import io.hearth.server.catalog.glue.GlueShapes.TableInput;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.hive.metastore.api.FieldSchema;

/**
 * Glue's catalog objects to and from the metastore's. The two models are close (Glue's was made
 * after Hive's); what the metastore has no field for travels in hidden parameters (see
 * {@link HiddenParameters}), so a Glue client reads back what it wrote, and a table Spark
 * created reads as Glue shows such tables.
 *
 * <p>About 430 lines: one {@code toHive}/{@code toGlue} pair per catalog object (database, table,
 * partition, storage descriptor with its columns), kept side by side so that the two directions of
 * each mapping, and the hidden parameters they share, are read and changed together.
 */
final class HiveMapping {
    static final String EXTERNAL_TABLE = "EXTERNAL_TABLE";
    static final String VIRTUAL_VIEW = "VIRTUAL_VIEW";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String catalogId;
    private final CatalogLocations locations;

    HiveMapping(String catalogId, CatalogLocations locations) {
        this.catalogId = catalogId;
        this.locations = locations;
    }

    // ------------------------------------------------------------------ databases

    /** A new or replacing database; {@code currentLocation} is the location the database has now (null for a new one). */
    org.apache.hadoop.hive.metastore.api.Database toHive(String name, DatabaseInput input, Instant now, Map<String, String> kept,
            String currentLocation) {
        String location = locations.checkChange(input.locationUri(), currentLocation, "DatabaseInput.LocationUri");
        Map<String, String> parameters = new LinkedHashMap<>(orEmpty(input.parameters()));
        parameters.put(HiddenParameters.CREATE_TIME, kept.getOrDefault(HiddenParameters.CREATE_TIME, Long.toString(now.toEpochMilli())));
        // The metastore cannot change a database's description or location once created: Glue's view of them is kept here.
        if (input.description() != null) {
            parameters.put(HiddenParameters.DESCRIPTION, input.description());
        }
        if (location != null) {
            parameters.put(HiddenParameters.LOCATION, location);
        }
        org.apache.hadoop.hive.metastore.api.Database database = new org.apache.hadoop.hive.metastore.api.Database();
        database.setName(name);
        database.setDescription(input.description());
        database.setLocationUri(location);
        database.setParameters(parameters);
        return database;
    }

    Database toGlue(org.apache.hadoop.hive.metastore.api.Database database) {
        Map<String, String> parameters = orEmpty(database.getParameters());
        String description = parameters.containsKey(HiddenParameters.DESCRIPTION) ? parameters.get(HiddenParameters.DESCRIPTION)
                : emptyToNull(database.getDescription());
        String location = parameters.getOrDefault(HiddenParameters.LOCATION, emptyToNull(database.getLocationUri()));
        return new Database(database.getName(), description, location, HiddenParameters.visible(parameters, null),
                millis(parameters.get(HiddenParameters.CREATE_TIME)), catalogId);
    }

    // ------------------------------------------------------------------ tables

    /**
     * A new or replacing definition of table {@code name} in {@code database}; {@code member} prefixes error messages, and
     * {@code currentLocation} is the location the table has now (null for a new table).
     */
    org.apache.hadoop.hive.metastore.api.Table toHive(String database, String name, TableInput input, int createTime, String member,
            String currentLocation) {
        String tableType = input.tableType() == null || input.tableType().isBlank() ? EXTERNAL_TABLE : input.tableType();
        boolean view = VIRTUAL_VIEW.equals(tableType);
        if (input.storageDescriptor() == null && !view) {
            throw HearthException.invalidArgument("%s.StorageDescriptor is required: it names the table's columns, location and format", member);
        }
        List<Column> partitionKeys = orEmpty(input.partitionKeys());
        for (int i = 0; i < partitionKeys.size(); i++) {
            HiveType type = columnType(partitionKeys.get(i), member + ".PartitionKeys." + (i + 1));
            if (!(type instanceof HiveType.Primitive)) {
                throw HearthException.invalidArgument("%s.PartitionKeys.%d '%s' has type %s: partition keys must be of a primitive type", member, i + 1,
                        partitionKeys.get(i).name(), type.hiveName());
            }
        }
        StorageDescriptor sd = input.storageDescriptor() == null ? emptyDescriptor() : input.storageDescriptor();
        String location = locations.checkChange(sd.location(), currentLocation, member + ".StorageDescriptor.Location");
        org.apache.hadoop.hive.metastore.api.StorageDescriptor hiveSd = toHive(sd, location, member + ".StorageDescriptor");
        checkDistinctColumns(hiveSd.getCols(), partitionKeys, member);

        Map<String, String> parameters = new LinkedHashMap<>(orEmpty(input.parameters()));
        if (input.description() != null) {
            parameters.put("comment", input.description());
        }
        if (input.lastAnalyzedTime() != null) {
            parameters.put(HiddenParameters.LAST_ANALYZED_TIME, Long.toString(epochMillis(input.lastAnalyzedTime())));
        }
        if (input.tableType() == null || input.tableType().isBlank()) {
            parameters.put(HiddenParameters.TABLE_TYPE_UNSET, "true");
        }
        if (location != null) {
            parameters.put(HiddenParameters.LOCATION, location);
        }
        Map<String, Map<String, String>> columnParameters = columnParameters(sd.columns(), partitionKeys);
        if (!columnParameters.isEmpty()) {
            parameters.put(HiddenParameters.COLUMN_PARAMETERS, write(columnParameters));
        }
        if (EXTERNAL_TABLE.equals(tableType)) {
            // The metastore treats a table as external only with this parameter (and never deletes its data).
            HiddenParameters.add(parameters, Map.of("EXTERNAL", "TRUE"), parameters, HiddenParameters.ADDED);
        }

        org.apache.hadoop.hive.metastore.api.Table table = new org.apache.hadoop.hive.metastore.api.Table();
        table.setDbName(database);
        table.setTableName(name);
        table.setOwner(input.owner());
        table.setCreateTime(createTime);
        table.setLastAccessTime(input.lastAccessTime() == null ? 0 : epochSeconds(input.lastAccessTime()));
        table.setRetention(input.retention() == null ? 0 : input.retention());
        table.setSd(hiveSd);
        table.setPartitionKeys(partitionKeys.stream().map(HiveMapping::fieldSchema).toList());
        table.setParameters(parameters);
        table.setViewOriginalText(input.viewOriginalText());
        table.setViewExpandedText(input.viewExpandedText());
        table.setTableType(tableType);
        SparkReadableForm.apply(table);
        return table;
    }

    Table toGlue(org.apache.hadoop.hive.metastore.api.Table table, String versionId) {
        Map<String, String> parameters = orEmpty(table.getParameters());
        Map<String, Map<String, String>> columnParameters = readColumnParameters(parameters.get(HiddenParameters.COLUMN_PARAMETERS));
        StorageDescriptor sd = toGlue(table.getSd(), parameters.get(HiddenParameters.LOCATION), parameters.get(HiddenParameters.ADDED_SERDE),
                columnParameters, false);
        Map<String, String> visible = HiddenParameters.visible(parameters, parameters.get(HiddenParameters.ADDED));
        String description = visible.remove("comment");
        String tableType = parameters.containsKey(HiddenParameters.TABLE_TYPE_UNSET) ? null : emptyToNull(table.getTableType());
        return new Table(
                table.getTableName(),
                table.getDbName(),
                description,
                emptyToNull(table.getOwner()),
                seconds(table.getCreateTime()),
                ddlTime(parameters),
                seconds(table.getLastAccessTime()),
                millis(parameters.get(HiddenParameters.LAST_ANALYZED_TIME)),
                table.getRetention(),
                sd,
                columns(table.getPartitionKeys(), columnParameters),
                emptyToNull(table.getViewOriginalText()),
                emptyToNull(table.getViewExpandedText()),
                tableType,
                visible,
                false,
                catalogId,
                versionId);
    }

    // ------------------------------------------------------------------ partitions

    /**
     * A partition of {@code table}. Without a StorageDescriptor it takes the table's, located at
     * {@code <table location>/<key>=<value>/...} as Hive lays partitions out. {@code currentLocation} is
     * the location the partition has now (null for a new one).
     */
    org.apache.hadoop.hive.metastore.api.Partition toHive(org.apache.hadoop.hive.metastore.api.Table table, PartitionInput input, int createTime,
            String member, String currentLocation) {
        List<String> values = PartitionValues.check(table.getPartitionKeys(), input.values(), member + ".Values");
        Map<String, String> parameters = new LinkedHashMap<>(orEmpty(input.parameters()));
        if (input.lastAnalyzedTime() != null) {
            parameters.put(HiddenParameters.LAST_ANALYZED_TIME, Long.toString(epochMillis(input.lastAnalyzedTime())));
        }
        org.apache.hadoop.hive.metastore.api.StorageDescriptor sd;
        if (input.storageDescriptor() == null) {
            sd = table.getSd().deepCopy();
            String tableLocation = table.getSd().getLocation();
            if (tableLocation == null || tableLocation.isEmpty()) {
                throw HearthException.invalidArgument("%s.StorageDescriptor is required: table %s has no location to put the partition under",
                        member, table.getTableName());
            }
            String folder = stripTrailingSlash(tableLocation) + "/" + PartitionValues.name(table.getPartitionKeys(), values);
            sd.setLocation(locations.checkChange(folder, currentLocation, member + " (its folder under table " + table.getTableName() + "'s location)"));
        } else {
            String location = locations.checkChange(input.storageDescriptor().location(), currentLocation, member + ".StorageDescriptor.Location");
            sd = toHive(input.storageDescriptor(), location, member + ".StorageDescriptor");
            if (location != null) {
                parameters.put(HiddenParameters.LOCATION, location);
            }
        }
        org.apache.hadoop.hive.metastore.api.Partition partition = new org.apache.hadoop.hive.metastore.api.Partition();
        partition.setDbName(table.getDbName());
        partition.setTableName(table.getTableName());
        partition.setValues(values);
        partition.setCreateTime(createTime);
        partition.setLastAccessTime(input.lastAccessTime() == null ? 0 : epochSeconds(input.lastAccessTime()));
        partition.setSd(sd);
        partition.setParameters(parameters);
        return partition;
    }

    Partition toGlue(org.apache.hadoop.hive.metastore.api.Partition partition, String serdeLedger, boolean excludeColumns) {
        Map<String, String> parameters = orEmpty(partition.getParameters());
        StorageDescriptor sd = toGlue(partition.getSd(), parameters.get(HiddenParameters.LOCATION), serdeLedger, Map.of(), excludeColumns);
        return new Partition(
                partition.getValues(),
                partition.getDbName(),
                partition.getTableName(),
                seconds(partition.getCreateTime()),
                seconds(partition.getLastAccessTime()),
                sd,
                HiddenParameters.visible(parameters, null),
                millis(parameters.get(HiddenParameters.LAST_ANALYZED_TIME)),
                catalogId);
    }

    // ------------------------------------------------------------------ storage descriptors

    private static StorageDescriptor emptyDescriptor() {
        return new StorageDescriptor(List.of(), null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** A storage descriptor at {@code location} (already checked, see {@link CatalogLocations}). */
    org.apache.hadoop.hive.metastore.api.StorageDescriptor toHive(StorageDescriptor sd, String location, String member) {
        if (sd.additionalLocations() != null && !sd.additionalLocations().isEmpty()) {
            throw HearthException.invalidArgument("%s.AdditionalLocations is not supported by Hearth's catalog", member);
        }
        if (sd.schemaReference() != null) {
            throw HearthException.invalidArgument("%s.SchemaReference is not supported: Hearth has no schema registry; list the Columns instead", member);
        }
        List<Column> columns = orEmpty(sd.columns());
        List<FieldSchema> fields = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            Column column = columns.get(i);
            HiveType type = columnType(column, member + ".Columns." + (i + 1));
            fields.add(new FieldSchema(column.name(), type.hiveName(), column.comment()));
        }
        org.apache.hadoop.hive.metastore.api.StorageDescriptor hive = new org.apache.hadoop.hive.metastore.api.StorageDescriptor();
        hive.setCols(fields);
        hive.setLocation(emptyToNull(location));
        hive.setInputFormat(sd.inputFormat());
        hive.setOutputFormat(sd.outputFormat());
        hive.setCompressed(Boolean.TRUE.equals(sd.compressed()));
        hive.setNumBuckets(sd.numberOfBuckets() == null ? -1 : sd.numberOfBuckets());
        SerDeInfo serde = sd.serdeInfo();
        hive.setSerdeInfo(new org.apache.hadoop.hive.metastore.api.SerDeInfo(serde == null ? null : serde.name(),
                serde == null ? null : serde.serializationLibrary(), new LinkedHashMap<>(serde == null ? Map.of() : orEmpty(serde.parameters()))));
        hive.setBucketCols(new ArrayList<>(orEmpty(sd.bucketColumns())));
        List<org.apache.hadoop.hive.metastore.api.Order> sortColumns = new ArrayList<>();
        for (Order order : orEmpty(sd.sortColumns())) {
            sortColumns.add(new org.apache.hadoop.hive.metastore.api.Order(order.column(), order.sortOrder() == null ? 1 : order.sortOrder()));
        }
        hive.setSortCols(sortColumns);
        hive.setParameters(new LinkedHashMap<>(orEmpty(sd.parameters())));
        if (sd.skewedInfo() != null) {
            SkewedInfo skewed = sd.skewedInfo();
            Map<List<String>, String> skewedLocations = new LinkedHashMap<>();
            orEmpty(skewed.skewedColumnValueLocationMaps()).forEach((values, place) -> skewedLocations.put(List.of(values), place));
            hive.setSkewedInfo(new org.apache.hadoop.hive.metastore.api.SkewedInfo(new ArrayList<>(orEmpty(skewed.skewedColumnNames())),
                    orEmpty(skewed.skewedColumnValues()).stream().map(List::of).toList(), skewedLocations));
        }
        hive.setStoredAsSubDirectories(Boolean.TRUE.equals(sd.storedAsSubDirectories()));
        return hive;
    }

    private static StorageDescriptor toGlue(org.apache.hadoop.hive.metastore.api.StorageDescriptor sd, String writtenLocation, String serdeLedger,
            Map<String, Map<String, String>> columnParameters, boolean excludeColumns) {
        if (sd == null) {
            return emptyDescriptor();
        }
        String location = emptyToNull(sd.getLocation());
        if (writtenLocation != null && location != null && stripTrailingSlash(writtenLocation).equals(stripTrailingSlash(location))) {
            location = writtenLocation;
        }
        SerDeInfo serde = sd.getSerdeInfo() == null ? null : new SerDeInfo(emptyToNull(sd.getSerdeInfo().getName()),
                emptyToNull(sd.getSerdeInfo().getSerializationLib()), HiddenParameters.visible(sd.getSerdeInfo().getParameters(), serdeLedger));
        List<Order> sortColumns = orEmpty(sd.getSortCols()).stream().map(order -> new Order(order.getCol(), order.getOrder())).toList();
        SkewedInfo skewed = null;
        if (sd.getSkewedInfo() != null && sd.getSkewedInfo().getSkewedColNamesSize() > 0) {
            Map<String, String> locations = new LinkedHashMap<>();
            orEmpty(sd.getSkewedInfo().getSkewedColValueLocationMaps()).forEach((values, place) -> locations.put(String.join(",", values), place));
            skewed = new SkewedInfo(sd.getSkewedInfo().getSkewedColNames(),
                    orEmpty(sd.getSkewedInfo().getSkewedColValues()).stream().map(values -> String.join(",", values)).toList(), locations);
        }
        return new StorageDescriptor(
                excludeColumns ? null : columns(sd.getCols(), columnParameters),
                location,
                null,
                emptyToNull(sd.getInputFormat()),
                emptyToNull(sd.getOutputFormat()),
                sd.isCompressed(),
                sd.getNumBuckets(),
                serde,
                orEmpty(sd.getBucketCols()),
                sortColumns,
                orEmpty(sd.getParameters()),
                skewed,
                sd.isStoredAsSubDirectories(),
                null);
    }

    // ------------------------------------------------------------------ columns

    private static HiveType columnType(Column column, String member) {
        if (column.name() == null || column.name().isBlank()) {
            throw HearthException.invalidArgument("%s.Name is required", member);
        }
        try {
            return HiveType.parse(column.type());
        } catch (IllegalArgumentException e) {
            throw HearthException.invalidArgument("%s '%s' has type '%s', which is not a valid Hive type: %s", member, column.name(),
                    column.type() == null ? "" : column.type(), e.getMessage());
        }
    }

    private static void checkDistinctColumns(List<FieldSchema> columns, List<Column> partitionKeys, String member) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (FieldSchema column : columns) {
            if (!seen.add(column.getName().toLowerCase(java.util.Locale.ROOT))) {
                throw HearthException.invalidArgument("%s.StorageDescriptor.Columns names '%s' twice", member, column.getName());
            }
        }
        for (Column key : partitionKeys) {
            if (!seen.add(key.name().toLowerCase(java.util.Locale.ROOT))) {
                throw HearthException.invalidArgument("%s.PartitionKeys '%s' is also a column or another partition key: partition keys are not stored"
                        + " in the data files, so they must not repeat a column", member, key.name());
            }
        }
    }

    private static FieldSchema fieldSchema(Column column) {
        return new FieldSchema(column.name(), HiveType.parse(column.type()).hiveName(), column.comment());
    }

    private static List<Column> columns(List<FieldSchema> fields, Map<String, Map<String, String>> columnParameters) {
        return orEmpty(fields).stream()
                .map(field -> new Column(field.getName(), field.getType(), emptyToNull(field.getComment()), columnParameters.get(field.getName())))
                .toList();
    }

    private static Map<String, Map<String, String>> columnParameters(List<Column> columns, List<Column> partitionKeys) {
        Map<String, Map<String, String>> parameters = new LinkedHashMap<>();
        for (Column column : orEmpty(columns)) {
            if (column.parameters() != null && !column.parameters().isEmpty()) {
                parameters.put(column.name(), column.parameters());
            }
        }
        for (Column column : partitionKeys) {
            if (column.parameters() != null && !column.parameters().isEmpty()) {
                parameters.put(column.name(), column.parameters());
            }
        }
        return parameters;
    }

    private static Map<String, Map<String, String>> readColumnParameters(String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<Map<String, Map<String, String>>>() {});
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ small conversions

    static String stripTrailingSlash(String location) {
        String stripped = location;
        while (stripped.endsWith("/") && !stripped.endsWith("//")) {
            stripped = stripped.substring(0, stripped.length() - 1);
        }
        return stripped;
    }

    private static Instant ddlTime(Map<String, String> parameters) {
        String seconds = parameters.get(HiddenParameters.DDL_TIME);
        try {
            return seconds == null ? null : Instant.ofEpochSecond(Long.parseLong(seconds));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Instant seconds(int epochSeconds) {
        return epochSeconds <= 0 ? null : Instant.ofEpochSecond(epochSeconds);
    }

    private static Instant millis(String epochMillis) {
        try {
            return epochMillis == null ? null : Instant.ofEpochMilli(Long.parseLong(epochMillis));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int epochSeconds(BigDecimal seconds) {
        return seconds.intValue();
    }

    private static long epochMillis(BigDecimal seconds) {
        return seconds.movePointRight(3).longValue();
    }

    static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    static <K, V> Map<K, V> orEmpty(Map<K, V> map) {
        return map == null ? Map.of() : map;
    }

    private static String emptyToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }
}
