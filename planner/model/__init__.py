"""Stage 2, the model: the Pyomo MILP of MODEL.md sections 3-5 and 7, one module per concern,
with the decision windows (:mod:`.timing`) and money arithmetic (:mod:`.economics`) it is built on."""

from planner.model.build import FIRST_STAGE, STRATEGIC, build_model, first_stage_decisions

__all__ = ["FIRST_STAGE", "STRATEGIC", "build_model", "first_stage_decisions"]
