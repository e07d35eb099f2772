-- Databricks notebook source
-- MAGIC %md
-- MAGIC # How far can the engine's numbers be trusted?
-- MAGIC How close do the engine's throughput and latency come to published measurements — in-sample, and on vendors and regimes it was not fitted on?
-- MAGIC
-- MAGIC Every cost in the other notebooks comes from the engine's throughput and latency. Here the engine is set against published measurements it can be checked on — vendor performance pages, MLPerf, serving-engine benchmark tables, llama.cpp — across vendors and regimes (batch-1 latency, decode-heavy, prefill-heavy, large-batch offline): in-sample, and honestly held out (the kernel efficiencies refitted without one vendor, or without one regime, then that vendor's or regime's rows predicted).
-- MAGIC
-- MAGIC Source: `engine_validation` (one row per measurement and fold) of one calibrate run; the measurements are `datasets/calibration/reference-measurements.tsv`, each with its citation.
-- MAGIC
-- MAGIC Parameters: `warehouse`, `run_id` (empty, or a run without a validation = the latest succeeded calibrate run).

-- COMMAND ----------

CREATE WIDGET TEXT warehouse DEFAULT "warehouse"

-- COMMAND ----------

CREATE WIDGET TEXT run_id DEFAULT ""

-- COMMAND ----------

CREATE OR REPLACE TEMP VIEW selected_run AS
SELECT coalesce(
  (SELECT max(run_id) FROM delta.`${warehouse}/engine_validation` WHERE run_id = '${run_id}'),
  (SELECT max_by(run_id, ended_at) FROM delta.`${warehouse}/sweep_runs` WHERE job = 'calibrate' AND status = 'succeeded')) AS run_id;

CREATE OR REPLACE TEMP VIEW validation AS
SELECT *, greatest(try_divide(predicted, measured), try_divide(measured, predicted)) AS factor_off
FROM delta.`${warehouse}/engine_validation`
WHERE run_id = (SELECT run_id FROM selected_run);

SELECT run_id, count(DISTINCT row_id) AS measurements, count(DISTINCT vendor) AS vendors, count(DISTINCT hardware) AS accelerators,
       count(DISTINCT model) AS models
FROM validation GROUP BY run_id

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Accuracy in-sample and held out
-- MAGIC Median absolute error, the worst row (how many times off), and the share of rows within 15% and within 1.5x. The held-out folds are the honest figures: a vendor's rows predicted by efficiencies fitted on the other vendors only.

-- COMMAND ----------

SELECT fold_kind, count(*) AS rows,
       round(100 * percentile(abs(error), 0.5), 1) AS median_abs_error_pct,
       round(max(factor_off), 2) AS worst_factor_off,
       round(100 * avg(CASE WHEN abs(error) <= 0.15 THEN 1.0 ELSE 0.0 END), 1) AS pct_within_15pct,
       round(100 * avg(CASE WHEN factor_off <= 1.5 THEN 1.0 ELSE 0.0 END), 1) AS pct_within_1_5x
FROM validation GROUP BY fold_kind ORDER BY fold_kind

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Predicted against measured, in-sample
-- MAGIC One point per measurement (throughputs in tokens/s, latencies in ms), coloured by vendor; on the dashed y = x line the engine is exact.

-- COMMAND ----------

-- chart: scatter x=measured y=predicted series=vendor logx logy diagonal title="Predicted vs measured (in-sample)" xlabel="measured (tok/s or ms)" ylabel="predicted"
SELECT vendor, measured, predicted, row_id, model, hardware, regime, metric
FROM validation WHERE fold_kind = 'in-sample' AND predicted > 0
ORDER BY vendor, measured

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Predicted against measured, each vendor held out
-- MAGIC The same points when the vendor's own rows took no part in the fit: what a new accelerator's first numbers are worth.

-- COMMAND ----------

-- chart: scatter x=measured y=predicted series=vendor logx logy diagonal title="Predicted vs measured (leave one vendor out)" xlabel="measured (tok/s or ms)" ylabel="predicted, vendor held out"
SELECT vendor, measured, predicted, row_id, model, hardware, regime, metric
FROM validation WHERE fold_kind = 'leave-one-vendor-out' AND predicted > 0
ORDER BY vendor, measured

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Error per regime
-- MAGIC Median absolute error per regime, in-sample and with the regime (or the vendor) held out.

-- COMMAND ----------

-- chart: bar x=regime y=median_abs_error_pct series=fold_kind title="Median absolute error per regime" ylabel="median |error|, %"
SELECT regime, fold_kind, round(100 * percentile(abs(error), 0.5), 1) AS median_abs_error_pct, count(*) AS rows
FROM validation GROUP BY regime, fold_kind ORDER BY regime, fold_kind

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Error per vendor

-- COMMAND ----------

-- chart: bar x=vendor y=median_abs_error_pct series=fold_kind title="Median absolute error per vendor" ylabel="median |error|, %"
SELECT vendor, fold_kind, round(100 * percentile(abs(error), 0.5), 1) AS median_abs_error_pct, count(*) AS rows
FROM validation GROUP BY vendor, fold_kind ORDER BY vendor, fold_kind

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## The rows furthest off
-- MAGIC Where the engine is least to be trusted: read the source and the notes of each before drawing conclusions from its cells.

-- COMMAND ----------

SELECT fold, row_id, vendor, model, hardware, devices, weight_precision, runtime, input_tokens, output_tokens, batch, regime, metric,
       measured, round(predicted, 3) AS predicted, round(100 * error, 0) AS error_pct, bound, source
FROM validation WHERE fold_kind <> 'in-sample'
ORDER BY factor_off DESC LIMIT 25
