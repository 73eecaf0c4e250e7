"""The Pyomo model of MODEL.md sections 3-5, one module per concern."""

from planner.model.build import FIRST_STAGE, build_model, first_stage_decisions

__all__ = ["FIRST_STAGE", "build_model", "first_stage_decisions"]
