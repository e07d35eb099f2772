-- Databricks notebook source
-- MAGIC %md
-- MAGIC # Latency vs throughput vs cost: the batching trade-off
-- MAGIC How much throughput (and how low a cost per token) does each accelerator reach at a given per-user speed — where is the Pareto frontier between interactivity and cost, and what does a larger batch buy?
-- MAGIC
-- MAGIC Source: `inference_pareto` (per model × hardware × workload, the cells no other cell beats on both time per output token and throughput per device) and `inference_grid` (every cell) of one sweep run.
-- MAGIC
-- MAGIC Parameters: `warehouse`, `run_id` (empty = the latest succeeded sweep), `model`, `workload`, `hardware` (the accelerators drawn, comma-separated).

-- COMMAND ----------

CREATE WIDGET TEXT warehouse DEFAULT "warehouse"

-- COMMAND ----------

CREATE WIDGET TEXT run_id DEFAULT ""

-- COMMAND ----------

CREATE WIDGET TEXT model DEFAULT "llama-3.1-70b"

-- COMMAND ----------

CREATE WIDGET TEXT workload DEFAULT "chat"

-- COMMAND ----------

CREATE WIDGET TEXT hardware DEFAULT "a100-sxm-80gb,h100-sxm,h200-sxm,b200,mi300x,tpu-v6e,gaudi3,l40s"

-- COMMAND ----------

CREATE OR REPLACE TEMP VIEW selected_run AS
SELECT coalesce(nullif('${run_id}', ''), max_by(run_id, ended_at)) AS run_id
FROM delta.`${warehouse}/sweep_runs`
WHERE job = 'sweep' AND status = 'succeeded';

SELECT run_id, '${model}' AS model, '${workload}' AS workload FROM selected_run

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## The Pareto frontier per accelerator
-- MAGIC Each point is a configuration no other beats on both axes. Left = faster for each user (lower time per output token); up = more tokens per second per device (cheaper). Moving right along a curve is batching: more users share each weight read, each waits longer.

-- COMMAND ----------

-- chart: scatter x=tpot_ms y=output_tok_s_per_device series=hardware logx logy title="Pareto frontier: time per output token vs throughput per device" xlabel="time per output token, ms" ylabel="output tokens/s per device"
SELECT hardware, tpot_ms, output_tok_s_per_device, cost_usd_per_mtok_blended, optimization_stack, devices, batch, slo_met
FROM delta.`${warehouse}/inference_pareto`
WHERE run_id = (SELECT run_id FROM selected_run) AND model = '${model}' AND workload = '${workload}'
  AND array_contains(split('${hardware}', ','), hardware)
ORDER BY hardware, tpot_ms

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Cost per token against per-user speed
-- MAGIC The same frontier priced: how much cheaper a token gets when users accept slower streaming. The workload's TPOT SLO is the rightmost speed a product can accept.

-- COMMAND ----------

-- chart: scatter x=tpot_ms y=cost_usd_per_mtok_blended series=hardware logx logy title="Pareto frontier: time per output token vs USD per million tokens" xlabel="time per output token, ms" ylabel="USD per million tokens (blended)"
SELECT hardware, tpot_ms, cost_usd_per_mtok_blended
FROM delta.`${warehouse}/inference_pareto`
WHERE run_id = (SELECT run_id FROM selected_run) AND model = '${model}' AND workload = '${workload}'
  AND array_contains(split('${hardware}', ','), hardware)
ORDER BY hardware, tpot_ms

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## What a bigger batch buys
-- MAGIC For each accelerator, the optimization stack and device count of its cheapest SLO-meeting configuration, swept over the batch: cost falls steeply while decode is memory-bound, then flattens once it becomes compute-bound or the KV cache fills memory (cells that do not fit are absent).

-- COMMAND ----------

-- The optimization stack and device count of each accelerator's cheapest SLO-meeting configuration.
CREATE OR REPLACE TEMP VIEW best_per_hardware AS
SELECT hardware, min_by(optimization_stack, best_cost_usd_per_mtok_blended) AS optimization_stack,
       min_by(best_devices, best_cost_usd_per_mtok_blended) AS devices
FROM delta.`${warehouse}/inference_frontier`
WHERE run_id = (SELECT run_id FROM selected_run) AND model = '${model}' AND workload = '${workload}' AND meets_slo
  AND array_contains(split('${hardware}', ','), hardware)
GROUP BY hardware;

-- chart: line x=batch y=cost_usd_per_mtok_blended series=hardware logx logy title="Cost per token vs batch (best stack and devices per accelerator)" xlabel="batch (concurrent sequences)" ylabel="USD per million tokens (blended)"
SELECT g.hardware, g.batch, g.cost_usd_per_mtok_blended, g.tpot_ms, g.ttft_ms, g.slo_met, g.bound
FROM delta.`${warehouse}/inference_grid` g
JOIN best_per_hardware b ON g.hardware = b.hardware AND g.optimization_stack = b.optimization_stack AND g.devices = b.devices
WHERE g.run_id = (SELECT run_id FROM selected_run) AND g.model = '${model}' AND g.workload = '${workload}' AND g.fits
ORDER BY g.hardware, g.batch

-- COMMAND ----------

-- chart: line x=batch y=tpot_ms series=hardware logx logy title="Time per output token vs batch (same configurations)" xlabel="batch (concurrent sequences)" ylabel="time per output token, ms"
SELECT g.hardware, g.batch, g.tpot_ms, w.tpot_slo_ms
FROM delta.`${warehouse}/inference_grid` g
JOIN best_per_hardware b ON g.hardware = b.hardware AND g.optimization_stack = b.optimization_stack AND g.devices = b.devices
JOIN delta.`${warehouse}/dim_workload` w ON w.run_id = g.run_id AND w.workload = g.workload
WHERE g.run_id = (SELECT run_id FROM selected_run) AND g.model = '${model}' AND g.workload = '${workload}' AND g.fits
ORDER BY g.hardware, g.batch
