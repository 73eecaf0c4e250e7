"""Stage 5, analysis over many solves: the value of planning for risk (VSS, EVPI) and sweeps."""
