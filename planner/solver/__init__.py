"""Stage 3, the solver: the model compiled to one matrix, HiGHS searches (one, a portfolio, or
HiGHS's parallel search), the plan loaded back, and no-plan explanations."""
