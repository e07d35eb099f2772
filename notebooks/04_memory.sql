-- Databricks notebook source
-- MAGIC %md
-- MAGIC # Memory: where HBM runs out
-- MAGIC How large is the KV cache of one request as the context grows, per model, and how many concurrent users fit on one device beside the weights — where does memory, not compute, cap the batch?
-- MAGIC
-- MAGIC Source: `inference_grid` of one sweep run (`kv_bytes_per_token` and `max_batch` come from the engine: layers × KV heads × head size × KV precision, with grouped-query, multi-head latent and sliding-window attention) and `dim_hardware`.
-- MAGIC
-- MAGIC Parameters: `warehouse`, `run_id` (empty = the latest succeeded sweep), `model`, `workload`.

-- COMMAND ----------

CREATE WIDGET TEXT warehouse DEFAULT "warehouse"

-- COMMAND ----------

CREATE WIDGET TEXT run_id DEFAULT ""

-- COMMAND ----------

CREATE WIDGET TEXT model DEFAULT "llama-3.1-70b"

-- COMMAND ----------

CREATE WIDGET TEXT workload DEFAULT "chat"

-- COMMAND ----------

CREATE OR REPLACE TEMP VIEW selected_run AS
SELECT coalesce(nullif('${run_id}', ''), max_by(run_id, ended_at)) AS run_id
FROM delta.`${warehouse}/sweep_runs`
WHERE job = 'sweep' AND status = 'succeeded';

-- KV bytes per token per model at 16-bit KV (stacks without FP8/INT4 KV) and at the precisions swept
CREATE OR REPLACE TEMP VIEW kv_per_token AS
SELECT model, optimization_stack, first(kv_bytes_per_token) AS kv_bytes_per_token
FROM delta.`${warehouse}/inference_grid`
WHERE run_id = (SELECT run_id FROM selected_run) AND devices = 1 AND batch = 1
GROUP BY model, optimization_stack;

SELECT model, min(kv_bytes_per_token) AS kv_bytes_per_token_min, max(kv_bytes_per_token) AS kv_bytes_per_token_16bit,
       max(kv_bytes_per_token) / 1024 AS kib_per_token
FROM kv_per_token
GROUP BY model
ORDER BY kv_bytes_per_token_16bit DESC

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## KV cache per request vs context length
-- MAGIC One request's cache grows linearly with its context (prompt + generated tokens). Models with fewer KV heads (grouped-query attention), latent KV (DeepSeek's MLA) or sliding windows hold far less per token.

-- COMMAND ----------

-- chart: line x=context_tokens y=kv_gib_per_request series=model logx logy title="KV cache of one request vs context length (16-bit KV)" xlabel="context tokens" ylabel="GiB per request"
SELECT m.model, pow(2, e) AS context_tokens, m.kv_bytes_per_token * pow(2, e) / pow(2, 30) AS kv_gib_per_request
FROM (SELECT model, max(kv_bytes_per_token) AS kv_bytes_per_token FROM kv_per_token GROUP BY model) m
LATERAL VIEW explode(sequence(10, 17)) t AS e
WHERE m.model IN ('llama-3.1-8b', 'llama-3.1-70b', 'llama-3.1-405b', 'deepseek-v3', 'mixtral-8x7b', 'gemma-2-27b', 'qwen2.5-72b', 'gpt-oss-120b')
ORDER BY m.model, context_tokens

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Concurrent users per device
-- MAGIC At the workload's sequence length, the most sequences that fit beside the weights on the fewest devices that hold the model, per device — per weight precision. Where this is small, memory caps the batch and with it the cost per token; lower-bit weights and KV buy room.

-- COMMAND ----------

-- chart: bar x=hardware y=users_per_device series=weights logy title="Concurrent sequences per device beside the weights (model, workload widgets)" ylabel="sequences per device"
SELECT g.hardware, split(g.optimization_stack, '[+]')[0] AS weights,
       min_by(g.max_batch / g.devices, g.devices) AS users_per_device,
       min(g.devices) AS devices, min_by(g.weights_gb_per_device, g.devices) AS weights_gb_per_device,
       first(h.memory_gib) AS memory_gib, first(g.kv_gb_per_request) AS kv_gb_per_request
FROM delta.`${warehouse}/inference_grid` g
JOIN delta.`${warehouse}/dim_hardware` h ON h.run_id = g.run_id AND h.hardware = g.hardware
WHERE g.run_id = (SELECT run_id FROM selected_run) AND g.model = '${model}' AND g.workload = '${workload}' AND g.batch = 1 AND g.fits
  AND g.optimization_stack IN ('bf16+continuous-batching+paged-kv', 'fp8+continuous-batching+paged-kv', 'int4+continuous-batching+paged-kv')
GROUP BY g.hardware, split(g.optimization_stack, '[+]')[0]
ORDER BY g.hardware, weights

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Where it does not fit
-- MAGIC Why cells of this model fail, per accelerator: the reasons the engine gives (weights alone too large, or no room for even one request's KV cache).

-- COMMAND ----------

SELECT hardware, reason, count(*) AS cells, min(devices) AS min_devices_tried, max(devices) AS max_devices_tried
FROM delta.`${warehouse}/inference_grid`
WHERE run_id = (SELECT run_id FROM selected_run) AND model = '${model}' AND workload = '${workload}' AND NOT fits
GROUP BY hardware, reason
ORDER BY hardware, cells DESC
