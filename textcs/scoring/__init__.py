"""Scoring: the analyzer's comment and sentence frames in, the tables a service manager acts on out.

Every function takes the comment frame of :meth:`textcs.classify.analyzer.Analyzer.analyze_frame`
(and, for dimensions, its sentence frame), or any frame with the same columns, and returns a
DataFrame whose columns are documented in the ``*_COLUMNS`` dicts. Defaults (prior strength,
confidence level, alpha, minimum n) come from ``data/scoring.yaml`` through :class:`ScoringSettings`;
every function also takes them as keyword options.

- :func:`satisfaction_index`: index 0-100 per group with interval and empirical-Bayes shrinkage;
- :func:`dimension_index`: the same per group x SERVQUAL dimension, from sentence evidence;
- :func:`touchpoint_index`: per group x touchpoint from the sentences that mention the touchpoint;
- :func:`failure_rates`, :func:`recovery_rates`, :func:`recovery_paradox`: failures and recovery;
- :func:`period_index`: index per day/week/month with tested change flags;
- :func:`driver_importance`, :func:`importance_performance`, :func:`contact_rollup`: what matters most;
- :mod:`textcs.scoring.plots`: matplotlib figures of those tables.

>>> import pandas as pd
>>> from textcs import scoring
>>> comments = pd.DataFrame({"status": ["ok", "ok", "ok"], "score": [0.9, -0.5, 0.1],
...                          "touchpoints": ["app", "app;shop", "shop"], "contact_levels": ["low", "low;high", "high"]})
>>> scoring.satisfaction_index(comments, prior_strength=0)[["touchpoint", "n", "index"]]
  touchpoint  n  index
0        app  2   60.0
1       shop  2   40.0
"""

from .dimensions import DIMENSION_COLUMNS, dimension_index, dimensions, sentence_touchpoints, touchpoint_index
from .failures import (FAILURE_COLUMNS, OUTCOMES, PARADOX_COLUMNS, RECOVERY_COLUMNS, failure_rates,
                       recovery_paradox, recovery_rates)
from .drivers import (DRIVER_COLUMNS, IPA_COLUMNS, QUADRANTS, contact_rollup, decompose_r2, driver_features,
                      driver_importance, importance_performance)
from .frames import comment_satisfaction, scoring_rows
from .index import INDEX_COLUMNS, satisfaction_index
from .periods import FREQUENCIES, PERIOD_COLUMNS, period_index
from .settings import ScoringSettings
from . import plots

__all__ = [
    "ScoringSettings",
    "plots",
    "comment_satisfaction",
    "scoring_rows",
    "satisfaction_index",
    "INDEX_COLUMNS",
    "dimension_index",
    "touchpoint_index",
    "sentence_touchpoints",
    "dimensions",
    "DIMENSION_COLUMNS",
    "failure_rates",
    "recovery_rates",
    "recovery_paradox",
    "FAILURE_COLUMNS",
    "RECOVERY_COLUMNS",
    "PARADOX_COLUMNS",
    "OUTCOMES",
    "period_index",
    "PERIOD_COLUMNS",
    "FREQUENCIES",
    "driver_features",
    "decompose_r2",
    "driver_importance",
    "importance_performance",
    "contact_rollup",
    "DRIVER_COLUMNS",
    "IPA_COLUMNS",
    "QUADRANTS",
]
