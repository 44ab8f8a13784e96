"""Classifiers: heads over sentence features, the trained model, and the analyzer."""
