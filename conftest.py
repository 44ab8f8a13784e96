"""Root pytest settings: the doctests of modules whose optional extra is absent are not collected."""

import importlib.util

# textcs.spark's examples need pyspark (the spark and dev extras); without it they cannot run.
collect_ignore = [] if importlib.util.find_spec("pyspark") else ["textcs/spark.py"]
