-- A step that ends is matched to its sweep tasks by its id (never by its name, which users choose).
CREATE INDEX sweep_tasks_by_step ON sweep_tasks (step_id);
