"""Weekly tokencost runs on a Spark cluster (Apache Airflow 2.x, apache-airflow-providers-apache-spark).

The logical date of the DAG run is the tokencost --run-date: clearing or back-filling a week re-runs that week's
run id and replaces its rows; it never duplicates them.
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

APP_JAR = "s3a://my-bucket/tokencost/tokencost-app.jar"   # jobs/target/tokencost-app.jar from `mvn package`
CONF = "/opt/tokencost/conf/cluster.conf"                 # shipped with --files below, read by the driver

COMMON = dict(
    conn_id="spark_default",            # spark://..., yarn or k8s://... in the connection
    application=APP_JAR,
    java_class="tokencost.cli.Main",
    files=CONF,
    conf={
        "spark.sql.extensions": "io.delta.sql.DeltaSparkSessionExtension",
        "spark.sql.catalog.spark_catalog": "org.apache.spark.sql.delta.catalog.DeltaCatalog",
        # job settings: spark-submit only forwards spark.* keys
        "spark.tokencost.warehouse.path": "s3a://my-bucket/tokencost/warehouse",
    },
    retries=2,
    retry_delay=timedelta(minutes=10),
)

with DAG(
    dag_id="tokencost_weekly",
    schedule="0 2 * * 1",
    start_date=datetime(2026, 1, 5),
    catchup=True,                       # back-fill missed weeks: each is its own run id
    max_active_runs=1,
    tags=["tokencost", "finops"],
) as dag:
    sweep = SparkSubmitOperator(
        task_id="sweep",
        application_args=["sweep", "--conf", "cluster.conf", "--strict", "--run-date", "{{ ds }}"],
        **COMMON,
    )
    lifecycle = SparkSubmitOperator(
        task_id="lifecycle",
        application_args=["lifecycle", "--conf", "cluster.conf", "--strict", "--run-date", "{{ ds }}"],
        **COMMON,
    )
    sweep >> lifecycle
