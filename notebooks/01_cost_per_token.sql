-- Databricks notebook source
-- MAGIC %md
-- MAGIC # Cost per million tokens across the hardware landscape
-- MAGIC What does a million tokens cost on each accelerator, per model and workload, when each runs its cheapest configuration (optimization stack, devices, batch) that still meets the workload's latency SLO?
-- MAGIC
-- MAGIC Source: `inference_frontier` of one sweep run: per model × hardware × workload × optimization stack, the cheapest cell of the grid that meets the SLO. Here the stacks are collapsed to the best one.
-- MAGIC
-- MAGIC Parameters: `warehouse` (the folder of the Delta tables), `run_id` (empty = the latest succeeded sweep), `model` (the focus of the second chart).
-- MAGIC
-- MAGIC Pricing follows the sweep's conf (`tokencost.economics.pricing`, default `auto`): accelerators with an hourly cloud price are priced at it; those without one (Gaudi 3, Groq, edge devices) at their purchase price written off over the amortisation years plus electricity, which is typically several times cheaper per hour than renting — compare like with like.

-- COMMAND ----------

CREATE WIDGET TEXT warehouse DEFAULT "warehouse"

-- COMMAND ----------

CREATE WIDGET TEXT run_id DEFAULT ""

-- COMMAND ----------

CREATE WIDGET TEXT model DEFAULT "llama-3.1-70b"

-- COMMAND ----------

-- The run shown: the one asked for, else the latest succeeded sweep.
CREATE OR REPLACE TEMP VIEW selected_run AS
SELECT coalesce(nullif('${run_id}', ''), max_by(run_id, ended_at)) AS run_id
FROM delta.`${warehouse}/sweep_runs`
WHERE job = 'sweep' AND status = 'succeeded';

SELECT r.run_id, s.run_date, s.ended_at, s.cells, s.conf_file
FROM selected_run r LEFT JOIN delta.`${warehouse}/sweep_runs` s ON s.run_id = r.run_id AND s.job = 'sweep'

-- COMMAND ----------

-- The best SLO-meeting configuration per model x hardware x workload (ties: fewer devices).
CREATE OR REPLACE TEMP VIEW best_config AS
SELECT model, hardware, workload,
       min_by(optimization_stack, struct(best_cost_usd_per_mtok_blended, best_devices)) AS optimization_stack,
       min_by(best_devices, struct(best_cost_usd_per_mtok_blended, best_devices)) AS devices,
       min_by(best_batch, struct(best_cost_usd_per_mtok_blended, best_devices)) AS batch,
       min(best_cost_usd_per_mtok_blended) AS cost_usd_per_mtok,
       min_by(best_ttft_ms, struct(best_cost_usd_per_mtok_blended, best_devices)) AS ttft_ms,
       min_by(best_tpot_ms, struct(best_cost_usd_per_mtok_blended, best_devices)) AS tpot_ms,
       min_by(best_energy_j_per_tok, struct(best_cost_usd_per_mtok_blended, best_devices)) AS energy_j_per_tok
FROM delta.`${warehouse}/inference_frontier`
WHERE run_id = (SELECT run_id FROM selected_run) AND meets_slo
GROUP BY model, hardware, workload;

SELECT count(*) AS slices_served, count(DISTINCT model) AS models, count(DISTINCT hardware) AS hardware,
       count(DISTINCT workload) AS workloads
FROM best_config

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Chat on every accelerator, Llama 3.1 at three sizes
-- MAGIC Bars are missing where no configuration of the sweep meets the chat SLO (450 ms to first token, 40 ms per output token) — usually because the model does not fit in the devices swept.

-- COMMAND ----------

-- chart: bar x=hardware y=cost_usd_per_mtok series=model logy title="Chat: USD per million tokens at the cheapest SLO-meeting configuration" ylabel="USD per million tokens (blended)"
SELECT hardware, model, cost_usd_per_mtok, optimization_stack, devices, batch
FROM best_config
WHERE workload = 'chat' AND model IN ('llama-3.1-8b', 'llama-3.1-70b', 'llama-3.1-405b')
ORDER BY hardware, model

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## One model across workloads
-- MAGIC The same model costs very different amounts per token depending on the prompt/response shape and the SLO: long prompts (RAG, agentic) are prefill-heavy, tight TTFT SLOs force smaller batches.

-- COMMAND ----------

-- chart: bar x=hardware y=cost_usd_per_mtok series=workload logy title="USD per million tokens by workload (model widget)" ylabel="USD per million tokens (blended)"
SELECT hardware, workload, cost_usd_per_mtok
FROM best_config
WHERE model = '${model}'
ORDER BY hardware, workload

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## The cheapest accelerator per model and workload
-- MAGIC `spread_x` is how many times the most expensive SLO-meeting accelerator costs over the cheapest.

-- COMMAND ----------

SELECT model, workload,
       min_by(hardware, cost_usd_per_mtok) AS cheapest_hardware,
       min_by(optimization_stack, cost_usd_per_mtok) AS its_stack,
       min_by(devices, cost_usd_per_mtok) AS its_devices,
       min(cost_usd_per_mtok) AS cost_usd_per_mtok,
       max(cost_usd_per_mtok) / min(cost_usd_per_mtok) AS spread_x,
       count(*) AS hardware_meeting_slo
FROM best_config
GROUP BY model, workload
ORDER BY model, workload
