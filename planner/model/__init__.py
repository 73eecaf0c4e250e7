"""The Pyomo model of MODEL.md sections 3-5, one module per concern."""

from planner.model.build import build_model

__all__ = ["build_model"]
