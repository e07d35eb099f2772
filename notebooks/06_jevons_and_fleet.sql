-- Databricks notebook source
-- MAGIC %md
-- MAGIC # Jevons: total spend vs cost per token, and the fleet it takes
-- MAGIC Does total inference spend grow even while the cost of a token falls — how do demand growth and price elasticity play against falling hardware and software costs — and what fleet (devices, capex, megawatts) does serving need month by month?
-- MAGIC
-- MAGIC Source: `lifecycle_curves`, `crossover` and `fleet_forecast` of one lifecycle run. With constant elasticity e, monthly growth g and a monthly price factor d < 1, spend grows iff e > 1 + ln(1+g)/ln(d): `elasticity_spend_turns_up` in the crossover table.
-- MAGIC
-- MAGIC Parameters: `warehouse`, `run_id` (empty = the latest succeeded lifecycle run).

-- COMMAND ----------

CREATE WIDGET TEXT warehouse DEFAULT "warehouse"

-- COMMAND ----------

CREATE WIDGET TEXT run_id DEFAULT ""

-- COMMAND ----------

CREATE OR REPLACE TEMP VIEW selected_run AS
SELECT coalesce(nullif('${run_id}', ''), max_by(run_id, ended_at)) AS run_id
FROM delta.`${warehouse}/sweep_runs`
WHERE job = 'lifecycle' AND status = 'succeeded';

CREATE OR REPLACE TEMP VIEW det AS
SELECT * FROM delta.`${warehouse}/lifecycle_curves`
WHERE run_id = (SELECT run_id FROM selected_run) AND statistic = 'deterministic' AND month >= 1;

SELECT run_id FROM selected_run

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## The outlook per scenario
-- MAGIC `spend_growth` is the last month's spend over the first month's, minus 1; `unit_cost_change` the same for cost per token. Spend rises while unit cost falls exactly when the demand's elasticity exceeds `elasticity_spend_turns_up`.

-- COMMAND ----------

-- chart: bar x=scenario y=spend_growth_x,unit_cost_x logy title="Last month over first month: total spend vs cost per token (deterministic)" ylabel="ratio (log)"
SELECT scenario, 1 + spend_growth AS spend_growth_x, 1 + unit_cost_change AS unit_cost_x, spend_growth, unit_cost_change,
       elasticity_spend_turns_up, serving_source
FROM delta.`${warehouse}/crossover`
WHERE run_id = (SELECT run_id FROM selected_run) AND statistic = 'deterministic'
ORDER BY scenario

-- COMMAND ----------

-- chart: line x=month y=spend_usd series=scenario logy title="Monthly spend on tokens (price x tokens)" xlabel="month" ylabel="USD per month"
SELECT scenario, month, spend_usd, tokens, price_usd_per_mtok FROM det ORDER BY scenario, month

-- COMMAND ----------

-- chart: line x=month y=cost_usd_per_mtok series=scenario logy title="Serving cost per million tokens" xlabel="month" ylabel="USD per million tokens"
SELECT scenario, month, cost_usd_per_mtok FROM det ORDER BY scenario, month

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## The fleet
-- MAGIC Devices in whole serving replicas, sized for the month's demand at the scenario's utilisation; owned devices are bought as demand grows and replaced at the end of their life (capex), rented ones cost their hourly price (opex).

-- COMMAND ----------

-- chart: line x=month y=devices series=scenario logy title="Serving devices" xlabel="month" ylabel="devices"
SELECT scenario, month, devices, devices_purchased, ownership, generation
FROM delta.`${warehouse}/fleet_forecast`
WHERE run_id = (SELECT run_id FROM selected_run)
ORDER BY scenario, month

-- COMMAND ----------

-- chart: line x=month y=power_mw series=scenario logy title="Fleet power, PUE included" xlabel="month" ylabel="MW"
SELECT scenario, month, power_mw
FROM delta.`${warehouse}/fleet_forecast`
WHERE run_id = (SELECT run_id FROM selected_run)
ORDER BY scenario, month

-- COMMAND ----------

-- chart: bar x=scenario y=capex_usd,opex_usd logy title="Capex and opex over the horizon" ylabel="USD"
SELECT scenario, first(hardware) AS hardware, first(ownership) AS ownership, sum(capex_usd) AS capex_usd, sum(opex_usd) AS opex_usd,
       max(devices) AS peak_devices, max(power_mw) AS peak_mw, sum(devices_purchased) AS devices_bought
FROM delta.`${warehouse}/fleet_forecast`
WHERE run_id = (SELECT run_id FROM selected_run)
GROUP BY scenario
ORDER BY scenario
