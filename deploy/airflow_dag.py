"""Support ROI nightly run as an Airflow DAG (Airflow 2.x, apache-airflow-providers-apache-spark).

The shaded jar runs unchanged under spark-submit; the master comes from the Spark connection, never from code.
Exit codes of the job: 0 ok, 1 failed, 2 bad arguments, 3 data-quality gate failed (gold not published),
4 another run holds the warehouse (nothing done). Airflow treats any non-zero exit as a task failure; retries
cover code 4 (a run still in progress) and transient failures, and a re-run of a night is always safe.
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

JAR = "/opt/supportroi/supportroi-jobs-0.1.0-SNAPSHOT.jar"

with DAG(
    dag_id="supportroi_nightly",
    schedule="30 2 * * *",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 3, "retry_delay": timedelta(minutes=15)},
    tags=["support-roi"],
) as dag:
    nightly = SparkSubmitOperator(
        task_id="nightly",
        conn_id="spark_default",
        application=JAR,
        java_class="io.supportroi.cli.Main",
        application_args=[
            "nightly",
            "--conf", "/opt/supportroi/conf/cluster.conf",
            "--landing", "s3a://company-support-roi/landing",
            "--warehouse", "s3a://company-support-roi/warehouse",
            # The as-of date of a scheduled run is the day the interval covers: backfills recompute that day.
            "--as-of", "{{ data_interval_start | ds }}",
            "--wait", "600",
        ],
        conf={
            "spark.sql.shuffle.partitions": "64",
            "spark.executor.memory": "8g",
        },
    )
