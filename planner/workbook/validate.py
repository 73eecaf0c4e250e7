"""Give the raw tables meaning: typed, checked :class:`~planner.workbook.inputs.Inputs`.

Each sheet has its own checker in :mod:`planner.workbook.checks`; they share one
:class:`~planner.workbook.checks.cells.Checker`, which collects every problem of the
workbook (sheet, Excel row, column, value). All are raised together in one
:class:`~planner.workbook.errors.InputError`; no model is built from a workbook with problems.
"""

from __future__ import annotations

from pathlib import Path

from planner.workbook import inputs as I
from planner.workbook.checks.budget import check_budget
from planner.workbook.checks.cells import Checker, parse_cell
from planner.workbook.checks.committed import check_committed
from planner.workbook.checks.demand import check_demand
from planner.workbook.checks.existing_leases import check_existing_leases
from planner.workbook.checks.fleet import check_fleet, warn_fleet_power
from planner.workbook.checks.gates import check_gates
from planner.workbook.checks.hardware import check_hardware
from planner.workbook.checks.offers import check_offers
from planner.workbook.checks.ondemand import check_ondemand
from planner.workbook.checks.options import check_options
from planner.workbook.checks.programs import check_programs
from planner.workbook.checks.providers import check_providers
from planner.workbook.checks.scenario_demand import check_scenario_demand
from planner.workbook.checks.scenarios import check_scenarios
from planner.workbook.checks.settings import check_settings
from planner.workbook.checks.sites import check_sites
from planner.workbook.checks.throughput import check_throughput
from planner.workbook.checks.workloads import check_workloads
from planner.workbook.errors import InputError, Problem
from planner.workbook.reader import RawTable, read_workbook

#: Sheets of fixed columns, typed row by row before their checkers run.
_FIXED = ("Workloads", "Hardware", "Sites", "Providers", "LeaseOffers", "AsicPrograms", "ExistingFleet",
          "ExistingLeases", "CommittedPhases", "Budget", "OnDemand", "LeaseOptions", "ProgramGates")


def validate(tables: dict[str, RawTable], problems: list[Problem]) -> I.Inputs:
    """Typed inputs from raw tables; raises InputError with every problem found."""
    chk = Checker(problems)
    s = check_settings(tables.get("settings"), chk)
    horizon_ok = (isinstance(s.get("start_quarter"), int) and isinstance(s.get("end_quarter"), int)
                  and s["end_quarter"] >= s["start_quarter"])  # a reversed horizon is reported once, above
    if horizon_ok:
        chk.start, chk.end = s["start_quarter"], s["end_quarter"]  # type: ignore[assignment]
    recs = {name: chk.records(tables.get(name.lower())) for name in _FIXED}

    workloads = check_workloads(recs["Workloads"], tables.get("workloads") is not None, chk)
    programs = check_programs(recs["AsicPrograms"], chk)
    hardware = check_hardware(recs["Hardware"], programs, chk)
    hardware_names = {r["hardware"] for _, r in recs["Hardware"] if r["hardware"]}
    sites = check_sites(recs["Sites"], chk)
    site_names = {r["site"] for _, r in recs["Sites"] if r["site"]}
    providers = check_providers(recs["Providers"], chk)
    offers = check_offers(recs["LeaseOffers"], providers, hardware, hardware_names, chk)
    fleet = check_fleet(recs["ExistingFleet"], hardware_names, site_names, chk)
    existing = check_existing_leases(recs["ExistingLeases"], providers, hardware_names, chk)
    committed = check_committed(recs["CommittedPhases"], sites, site_names, chk)
    budget = check_budget(recs["Budget"], chk)
    ondemand = check_ondemand(recs["OnDemand"], providers, hardware, hardware_names, chk)
    options = check_options(recs["LeaseOptions"], {r["offer"] for _, r in recs["LeaseOffers"] if r["offer"]}, chk)
    gates = check_gates(recs["ProgramGates"], {r["program"] for _, r in recs["AsicPrograms"] if r["program"]},
                        horizon_ok, chk)
    demand = check_demand(tables["demand"], workloads, horizon_ok, chk) if "demand" in tables and workloads else {}
    throughput = (check_throughput(tables["throughput"], workloads, hardware, hardware_names, chk)
                  if "throughput" in tables and workloads else {})
    scenarios = check_scenarios(tables.get("scenarios"), workloads, programs, chk)
    scenario_demand = check_scenario_demand(tables.get("scenariodemand"), workloads, _names(tables.get("scenarios")),
                                            horizon_ok, chk)

    if problems:
        raise InputError(problems)
    settings = I.Settings(chk.start, chk.end, s["discount_rate"], s["hours_per_quarter"],  # type: ignore[arg-type]
                          s["mip_gap"], s["time_limit_s"], s["risk_aversion"], s["cvar_alpha"],  # type: ignore[arg-type]
                          s["solver_workers"], s["solver_mode"], s["value_of_risk"])  # type: ignore[arg-type]
    extra = {"scenarios": scenarios, "has_scenario_sheet": True} if scenarios else {}
    inp = I.Inputs(settings, workloads, demand, hardware, throughput, sites, providers, offers,
                   programs, tuple(fleet), tuple(existing), budget, committed=tuple(committed),
                   scenario_demand_du=scenario_demand, ondemand=tuple(ondemand), options=options,
                   gates=gates, **extra)
    warn_fleet_power(inp)
    return inp


def _names(table: RawTable | None) -> set[str]:
    """Scenario names typed in the Scenarios sheet (a row with a problem still defines its name)."""
    if table is None:
        return set()
    column = table.sheet.column("scenario")
    names = (parse_cell(column, raw["scenario"])[0] for _, raw in table.rows if raw.get("scenario") is not None)
    return {name for name in names if isinstance(name, str)}


def load_inputs(path: Path) -> I.Inputs:
    """Read and validate a workbook; raises InputError with every problem found."""
    problems: list[Problem] = []
    tables = read_workbook(path, problems)
    return validate(tables, problems)
