-- Earlier definitions of catalog tables, as Glue's GetTableVersions lists them. The current
-- definition lives in the metastore; a row per version that UpdateTable archived (and the first,
-- written by CreateTable). table_created_at (epoch seconds, from the metastore) tells versions of a
-- table apart from those of an older table of the same name.

CREATE TABLE catalog_table_versions (
    database_name    VARCHAR(255) NOT NULL,
    table_name       VARCHAR(255) NOT NULL,
    table_created_at BIGINT       NOT NULL,
    version_id       BIGINT       NOT NULL,
    definition       VARCHAR      NOT NULL,
    recorded_at      BIGINT       NOT NULL,
    PRIMARY KEY (database_name, table_name, table_created_at, version_id)
);
