-- Sweeps: many training tasks from one spec, run with a bound on how many run at once. A sweep
-- row holds the spec as written and how to run it; a task row holds its complete training spec,
-- its state and, per attempt, what ran it (step, Spark application, model) and how it ended.
-- Times are epoch milliseconds.

CREATE TABLE sweeps (
    sweep_id         VARCHAR(64)  NOT NULL PRIMARY KEY,
    name             VARCHAR(256),
    cluster_id       VARCHAR(64)  NOT NULL,
    isolation        VARCHAR(16)  NOT NULL,
    max_parallel     INTEGER      NOT NULL,
    stop_on_failure  BOOLEAN      NOT NULL,
    metric           VARCHAR(64),
    spec             VARCHAR      NOT NULL,
    state            VARCHAR(16)  NOT NULL,
    state_message    VARCHAR(4096),
    created_at       BIGINT       NOT NULL,
    ended_at         BIGINT
);

CREATE TABLE sweep_tasks (
    sweep_id         VARCHAR(64)  NOT NULL REFERENCES sweeps (sweep_id),
    task_id          VARCHAR(32)  NOT NULL,
    position         INTEGER      NOT NULL,
    description      VARCHAR(4096) NOT NULL,
    spec             VARCHAR      NOT NULL,
    state            VARCHAR(16)  NOT NULL,
    attempt          INTEGER      NOT NULL,
    model_id         VARCHAR(128),
    step_id          VARCHAR(64),
    application_id   VARCHAR(128),
    log_location     VARCHAR(4096),
    reason           VARCHAR(4096),
    metrics          VARCHAR,
    started_at       BIGINT,
    ended_at         BIGINT,
    PRIMARY KEY (sweep_id, task_id)
);
