-- Databricks notebook source
-- MAGIC %md
-- MAGIC # What moved since the previous run, and why
-- MAGIC Between the selected sweep and the one before it, which costs per token changed most — and did the inputs change (conf, catalogs, code), or only the grid?
-- MAGIC
-- MAGIC Every table keeps its history: any earlier version can be read back with Delta time travel.
-- MAGIC
-- MAGIC Source: `sweep_runs` (the audit log: one row per run and job, with conf and catalog hashes and the code version), `inference_frontier` of both runs, and the tables' Delta history.
-- MAGIC
-- MAGIC Parameters: `warehouse`, `run_id` (empty = the latest succeeded sweep), `as_of_version` (a table version to read back).

-- COMMAND ----------

CREATE WIDGET TEXT warehouse DEFAULT "warehouse"

-- COMMAND ----------

CREATE WIDGET TEXT run_id DEFAULT ""

-- COMMAND ----------

CREATE WIDGET TEXT as_of_version DEFAULT "1"

-- COMMAND ----------

-- The selected run and the succeeded sweep before it, with what changed in between.
CREATE OR REPLACE TEMP VIEW run_pair AS
WITH runs AS (
  SELECT run_id, ended_at, conf_hash, catalog_hash, code_version, cells,
         lag(run_id) OVER (ORDER BY ended_at) AS previous_run,
         lag(conf_hash) OVER (ORDER BY ended_at) AS previous_conf_hash,
         lag(catalog_hash) OVER (ORDER BY ended_at) AS previous_catalog_hash,
         lag(code_version) OVER (ORDER BY ended_at) AS previous_code_version
  FROM delta.`${warehouse}/sweep_runs`
  WHERE job = 'sweep' AND status = 'succeeded')
SELECT * FROM runs
WHERE run_id = coalesce(nullif('${run_id}', ''), (SELECT max_by(run_id, ended_at) FROM runs));

SELECT run_id AS current_run, previous_run,
       previous_run IS NOT NULL AND conf_hash <> previous_conf_hash AS conf_changed,
       previous_run IS NOT NULL AND catalog_hash <> previous_catalog_hash AS catalogs_changed,
       previous_run IS NOT NULL AND code_version <> previous_code_version AS code_changed,
       cells
FROM run_pair

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Every run on record
-- MAGIC Failed and interrupted runs stay in the log; their rows were restored away, so readers never saw them.

-- COMMAND ----------

SELECT run_id, job, status, started_at, ended_at,
       round((unix_micros(ended_at) - unix_micros(started_at)) / 1e6, 1) AS seconds, cells, rows_written, conf_file, error
FROM delta.`${warehouse}/sweep_runs`
ORDER BY started_at DESC

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## The biggest movers
-- MAGIC Best SLO-meeting cost per model × hardware × workload in both runs; `change` = current / previous − 1. Slices served in only one of the two runs are listed with the other side empty.

-- COMMAND ----------

-- chart: bar x=slice y=change title="Largest changes of the best cost per token since the previous run" ylabel="current / previous - 1"
WITH best AS (
  SELECT run_id, model, hardware, workload, min(best_cost_usd_per_mtok_blended) AS cost_usd_per_mtok
  FROM delta.`${warehouse}/inference_frontier`
  WHERE meets_slo AND run_id IN (SELECT run_id FROM run_pair UNION ALL SELECT previous_run FROM run_pair)
  GROUP BY run_id, model, hardware, workload),
cur AS (SELECT * FROM best WHERE run_id = (SELECT run_id FROM run_pair)),
prev AS (SELECT * FROM best WHERE run_id = (SELECT previous_run FROM run_pair))
SELECT concat_ws(' / ', coalesce(c.model, p.model), coalesce(c.hardware, p.hardware), coalesce(c.workload, p.workload)) AS slice,
       p.cost_usd_per_mtok AS previous_usd_per_mtok, c.cost_usd_per_mtok AS current_usd_per_mtok,
       c.cost_usd_per_mtok / p.cost_usd_per_mtok - 1 AS change
FROM cur c FULL OUTER JOIN prev p ON c.model = p.model AND c.hardware = p.hardware AND c.workload = p.workload
WHERE (SELECT previous_run FROM run_pair) IS NOT NULL
ORDER BY abs(coalesce(c.cost_usd_per_mtok / p.cost_usd_per_mtok - 1, 1e9)) DESC
LIMIT 25

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Table history and time travel
-- MAGIC Each run is one atomic commit per table (`replaceWhere` on its `run_id`); a re-run of the same date replaces its own rows, and the old rows stay readable at the earlier version.

-- COMMAND ----------

DESCRIBE HISTORY delta.`${warehouse}/inference_frontier`

-- COMMAND ----------

-- Rows per run as of an earlier version (time travel).
SELECT run_id, count(*) AS frontier_rows
FROM delta.`${warehouse}/inference_frontier` VERSION AS OF ${as_of_version}
GROUP BY run_id
ORDER BY run_id
