-- Databricks notebook source
-- MAGIC %md
-- MAGIC # What each software lever buys, alone and stacked
-- MAGIC How much cheaper does a token get on the same hardware from each serving optimization (quantization, continuous batching, FlashAttention, paged KV cache, speculative decoding) on its own, and from stacking them — is "2–10× on the same hardware" real?
-- MAGIC
-- MAGIC Source: `optimization_impact` (per model × hardware × workload: the bare BF16 baseline, each lever alone on it, and the sweep's best stack, each at its cheapest SLO-meeting devices × batch) and `inference_frontier` for the cumulative stacking.
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
-- MAGIC ## Each lever alone, and the best stack
-- MAGIC `speedup_x` = baseline cost / the variant's cost (> 1: cheaper tokens). A lever can be worth nothing alone (paged KV without continuous batching has little to pack) and a lot in a stack.

-- COMMAND ----------

-- chart: bar x=variant y=speedup_x series=hardware logy title="Cost reduction over the BF16 baseline, per lever and for the best stack" ylabel="baseline cost / variant cost (x)"
SELECT variant, hardware, cost_vs_baseline AS speedup_x, optimization_stack, devices, batch,
       cost_usd_per_mtok_blended
FROM delta.`${warehouse}/optimization_impact`
WHERE run_id = (SELECT run_id FROM selected_run) AND model = '${model}' AND workload = '${workload}' AND cost_vs_baseline IS NOT NULL
  AND array_contains(split('${hardware}', ','), hardware)
ORDER BY CASE variant WHEN 'baseline' THEN 0 WHEN 'best-stack' THEN 2 ELSE 1 END, variant, hardware

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Stacking, step by step
-- MAGIC The cost per token as levers are added one after another (a waterfall read left to right), at the cheapest SLO-meeting devices × batch of each step. Steps the sweep did not cover are absent.

-- COMMAND ----------

-- chart: bar x=step y=cost_usd_per_mtok series=hardware logy title="Cumulative stacking: USD per million tokens after each lever" ylabel="USD per million tokens (blended)"
WITH steps AS (
  SELECT * FROM VALUES
    (1, '1 bf16 baseline', 'bf16'),
    (2, '2 + continuous batching', 'bf16+continuous-batching'),
    (3, '3 + FlashAttention', 'bf16+continuous-batching+flash-attention'),
    (4, '4 + paged KV', 'bf16+continuous-batching+flash-attention+paged-kv'),
    (5, '5 + FP8 weights', 'fp8+continuous-batching+flash-attention+paged-kv'),
    (6, '6 + speculative decoding', 'fp8+continuous-batching+flash-attention+paged-kv+speculative-decoding')
    AS steps(n, step, optimization_stack))
SELECT s.step, f.hardware, f.best_cost_usd_per_mtok_blended AS cost_usd_per_mtok, f.best_devices AS devices, f.best_batch AS batch
FROM steps s
JOIN delta.`${warehouse}/inference_frontier` f ON f.optimization_stack = s.optimization_stack
WHERE f.run_id = (SELECT run_id FROM selected_run) AND f.model = '${model}' AND f.workload = '${workload}' AND f.meets_slo
  AND array_contains(split('${hardware}', ','), f.hardware)
ORDER BY s.n, f.hardware

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## The claim, across every model and workload
-- MAGIC Best stack over baseline per accelerator: the median and the range over all model × workload slices where both meet the SLO.

-- COMMAND ----------

-- chart: bar x=hardware y=median_x,max_x logy title="Best stack over BF16 baseline: median and best case per accelerator" ylabel="baseline cost / best-stack cost (x)"
SELECT hardware, percentile(cost_vs_baseline, 0.5) AS median_x, min(cost_vs_baseline) AS min_x, max(cost_vs_baseline) AS max_x,
       count(*) AS slices
FROM delta.`${warehouse}/optimization_impact`
WHERE run_id = (SELECT run_id FROM selected_run) AND variant = 'best-stack' AND cost_vs_baseline IS NOT NULL
GROUP BY hardware
ORDER BY hardware
