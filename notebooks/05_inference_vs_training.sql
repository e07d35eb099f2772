-- Databricks notebook source
-- MAGIC %md
-- MAGIC # Inference vs training: cumulative compute, cost and energy
-- MAGIC When does serving a model overtake what training it took — in compute, in dollars, in energy — and how sure is that month, given uncertain demand, prices and successors?
-- MAGIC
-- MAGIC Source: `lifecycle_curves` (per scenario and month: the deterministic run and the P10/P50/P90 of the Monte Carlo draws) and `crossover` of one lifecycle run. Training counts the model's own run with its experiments overhead and, where the scenario trains next generations, their runs as they happen.
-- MAGIC
-- MAGIC Parameters: `warehouse`, `run_id` (empty = the latest succeeded lifecycle run), `scenario` (the focus of the detailed charts).

-- COMMAND ----------

CREATE WIDGET TEXT warehouse DEFAULT "warehouse"

-- COMMAND ----------

CREATE WIDGET TEXT run_id DEFAULT ""

-- COMMAND ----------

CREATE WIDGET TEXT scenario DEFAULT "llama-405b-chat-uncertain"

-- COMMAND ----------

CREATE OR REPLACE TEMP VIEW selected_run AS
SELECT coalesce(nullif('${run_id}', ''), max_by(run_id, ended_at)) AS run_id
FROM delta.`${warehouse}/sweep_runs`
WHERE job = 'lifecycle' AND status = 'succeeded';

-- one row per scenario and month: the deterministic run and the percentiles side by side
CREATE OR REPLACE TEMP VIEW curves AS
SELECT scenario, month,
       max(CASE WHEN statistic = 'deterministic' THEN cum_inference_flop END) AS inference_flop,
       max(CASE WHEN statistic = 'p10' THEN cum_inference_flop END) AS inference_flop_p10,
       max(CASE WHEN statistic = 'p50' THEN cum_inference_flop END) AS inference_flop_p50,
       max(CASE WHEN statistic = 'p90' THEN cum_inference_flop END) AS inference_flop_p90,
       max(CASE WHEN statistic = 'deterministic' THEN cum_training_flop END) AS training_flop,
       max(CASE WHEN statistic = 'deterministic' THEN cum_inference_cost_usd END) AS inference_cost_usd,
       max(CASE WHEN statistic = 'p10' THEN cum_inference_cost_usd END) AS inference_cost_usd_p10,
       max(CASE WHEN statistic = 'p50' THEN cum_inference_cost_usd END) AS inference_cost_usd_p50,
       max(CASE WHEN statistic = 'p90' THEN cum_inference_cost_usd END) AS inference_cost_usd_p90,
       max(CASE WHEN statistic = 'deterministic' THEN cum_training_cost_usd END) AS training_cost_usd,
       max(CASE WHEN statistic = 'deterministic' THEN cum_inference_energy_mwh END) AS inference_energy_mwh,
       max(CASE WHEN statistic = 'deterministic' THEN cum_training_energy_mwh END) AS training_energy_mwh
FROM delta.`${warehouse}/lifecycle_curves`
WHERE run_id = (SELECT run_id FROM selected_run)
GROUP BY scenario, month;

SELECT run_id, (SELECT count(DISTINCT scenario) FROM curves) AS scenarios FROM selected_run

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## All scenarios: cumulative inference over training compute
-- MAGIC Above 1, serving has used more compute than training (dashed: the deterministic crossover month). A scenario that trains ever larger successors can fall back below 1.

-- COMMAND ----------

-- chart: line x=month y=inference_over_training series=scenario marker=crossover_compute_month logy title="Cumulative inference FLOP / cumulative training FLOP (deterministic)" xlabel="month (<= 0: training)" ylabel="inference / training compute"
SELECT c.scenario, c.month, c.inference_flop / c.training_flop AS inference_over_training, x.crossover_compute_month
FROM curves c
JOIN delta.`${warehouse}/crossover` x ON x.run_id = (SELECT run_id FROM selected_run) AND x.scenario = c.scenario AND x.statistic = 'deterministic'
WHERE c.month >= 1
ORDER BY c.scenario, c.month

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## One scenario in detail, with its uncertainty
-- MAGIC The band is P10–P90 of the Monte Carlo draws (the line is their median); the dashed line marks the deterministic crossover month.

-- COMMAND ----------

-- chart: line x=month y=flop series=curve band=p10:p90 marker=crossover_month logy title="Cumulative compute: inference (P10-P90) vs training (scenario widget)" xlabel="month" ylabel="FLOP"
SELECT 'inference (P50)' AS curve, month, inference_flop_p50 AS flop, inference_flop_p10 AS p10, inference_flop_p90 AS p90,
       (SELECT crossover_compute_month FROM delta.`${warehouse}/crossover`
         WHERE run_id = (SELECT run_id FROM selected_run) AND scenario = '${scenario}' AND statistic = 'deterministic') AS crossover_month
FROM curves WHERE scenario = '${scenario}' AND month >= 1
UNION ALL
SELECT 'training', month, training_flop, NULL, NULL, NULL
FROM curves WHERE scenario = '${scenario}'
ORDER BY curve, month

-- COMMAND ----------

-- chart: line x=month y=usd series=curve band=p10:p90 marker=crossover_month logy title="Cumulative cost: serving (P10-P90) vs training (scenario widget)" xlabel="month" ylabel="USD"
SELECT 'serving (P50)' AS curve, month, inference_cost_usd_p50 AS usd, inference_cost_usd_p10 AS p10, inference_cost_usd_p90 AS p90,
       (SELECT crossover_cost_month FROM delta.`${warehouse}/crossover`
         WHERE run_id = (SELECT run_id FROM selected_run) AND scenario = '${scenario}' AND statistic = 'deterministic') AS crossover_month
FROM curves WHERE scenario = '${scenario}' AND month >= 1
UNION ALL
SELECT 'training', month, training_cost_usd, NULL, NULL, NULL
FROM curves WHERE scenario = '${scenario}'
ORDER BY curve, month

-- COMMAND ----------

-- chart: line x=month y=mwh series=curve logy title="Cumulative energy: serving vs training (scenario widget, deterministic)" xlabel="month" ylabel="MWh"
SELECT 'serving' AS curve, month, inference_energy_mwh AS mwh FROM curves WHERE scenario = '${scenario}' AND month >= 1
UNION ALL
SELECT 'training', month, training_energy_mwh FROM curves WHERE scenario = '${scenario}'
ORDER BY curve, month

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Crossover months and lifetime ratios
-- MAGIC Empty months: not within the horizon. `share_of_draws_crossing_compute` is the share of Monte Carlo draws whose compute crossover happens at all. Lifetime ratios are over the whole horizon (inference / training).

-- COMMAND ----------

SELECT scenario, statistic, crossover_compute_month, crossover_cost_month, crossover_energy_month, share_of_draws_crossing_compute,
       lifetime_inference_to_training_flop, lifetime_inference_to_training_cost, lifetime_inference_to_training_energy, serving_source
FROM delta.`${warehouse}/crossover`
WHERE run_id = (SELECT run_id FROM selected_run)
ORDER BY scenario, CASE statistic WHEN 'deterministic' THEN 0 WHEN 'p10' THEN 1 WHEN 'p50' THEN 2 ELSE 3 END
