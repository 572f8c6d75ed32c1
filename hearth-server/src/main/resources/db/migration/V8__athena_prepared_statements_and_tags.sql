-- Athena's prepared statements, named per work group; the tags of work groups and the data catalog,
-- keyed by the resource part of their ARN (workgroup/NAME, datacatalog/NAME); and the statements
-- JDBC clients ran on the SQL engine, listed with the Athena queries.

CREATE TABLE athena_prepared_statements (
    work_group            VARCHAR(128)  NOT NULL,
    statement_name        VARCHAR(256)  NOT NULL,
    query_statement       VARCHAR       NOT NULL,
    description           VARCHAR(1024),
    last_modified_at      BIGINT        NOT NULL,
    PRIMARY KEY (work_group, statement_name)
);

CREATE TABLE athena_tags (
    resource              VARCHAR(256)  NOT NULL,
    tag_key               VARCHAR(128)  NOT NULL,
    tag_value             VARCHAR(256)  NOT NULL,
    PRIMARY KEY (resource, tag_key)
);

ALTER TABLE athena_query_executions ADD COLUMN from_jdbc BOOLEAN DEFAULT FALSE NOT NULL;
