"""Train your own model: any taxonomy task or your own label set, with the hybrid or transformer backend.

``train(TrainOptions(...))`` (or ``textcs train``) writes a model directory; ``textcs.load(path)``
gives back a :class:`TaskModel` whose results carry ``labels`` and ``p_<label>``.
"""

from .backend import BACKENDS, get_backend
from .data import TaskData, TaskDef, TrainingDataError, read_table, resolve_task, split_dev
from .metrics import Report, evaluate
from .options import TrainOptions
from .predictor import TaskModel, TaskResult, TaskSentence, is_task_model
from .train import TrainResult, train

__all__ = ["BACKENDS", "get_backend", "TaskData", "TaskDef", "TrainingDataError", "read_table", "resolve_task",
           "split_dev", "Report", "evaluate", "TrainOptions", "TaskModel", "TaskResult", "TaskSentence",
           "is_task_model", "TrainResult", "train"]
