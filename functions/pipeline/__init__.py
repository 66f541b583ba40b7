"""The evaluation pipeline's HTTP functions: `evaluate` (Cloud Tasks target) and `sweep` (scheduled)."""
