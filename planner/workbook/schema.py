"""The one declaration of the input workbook (MODEL.md section 2).

Every sheet and column with its type, unit, default and meaning. The reader,
the validator, ``planner template`` and the README's table of sheets are all
derived from :data:`SHEETS` and :data:`SETTINGS`.

Column kinds:

* ``name``      text key or reference to a key of another sheet (``ref``)
* ``choice``    one of ``choices``
* ``quarter``   ``YYYYQn`` text or an Excel date
* ``number``    real number >= ``minimum``
* ``integer``   whole number >= ``minimum``
* ``fraction``  real number in 0..1
* ``year``      calendar year (whole number)
* ``text``      free text (a comma-separated list, a setting value)
"""

from __future__ import annotations

from dataclasses import dataclass

#: Sentinel default of a quarter column: the first / last horizon quarter.
START = "start_quarter"
END = "end_quarter"


@dataclass(frozen=True)
class Column:
    """One column of a sheet (or one setting of the Settings sheet)."""

    name: str
    kind: str
    unit: str
    description: str
    required: bool = True
    default: object = None
    minimum: float = 0.0
    ref: str | None = None
    choices: tuple[str, ...] = ()

    @property
    def is_key_like(self) -> bool:
        """True for text columns (keys and references)."""
        return self.kind in ("name", "choice")


@dataclass(frozen=True)
class Sheet:
    """One sheet: its fixed columns, and whether one column per workload follows."""

    name: str
    row_is: str
    columns: tuple[Column, ...]
    optional: bool = False
    key: str | None = None
    workload_columns: Column | None = None
    every_workload: bool = True  # every workload needs a column (else a missing one takes its default)
    description: str = ""
    other_columns: bool = False  # columns not declared here are read as they are (a plan's report columns)

    def column(self, name: str) -> Column:
        """The fixed column called ``name``."""
        return next(c for c in self.columns if c.name == name)


def _c(name: str, kind: str, unit: str, description: str, **kw: object) -> Column:
    return Column(name, kind, unit, description, **kw)  # type: ignore[arg-type]


SETTINGS: tuple[Column, ...] = (
    _c("start_quarter", "quarter", "quarter", "First quarter of the horizon (q = 0)."),
    _c("end_quarter", "quarter", "quarter", "Last quarter of the horizon."),
    _c("discount_rate", "number", "1/year", "Annual discount rate r.", required=False, default=0.08),
    _c("hours_per_quarter", "number", "h", "Hours in a quarter, for energy.", required=False,
       default=2190.0, minimum=1e-9),
    _c("mip_gap", "number", "fraction", "Relative MIP gap at which the solver stops.",
       required=False, default=0.001),
    _c("time_limit_s", "number", "s", "Solver time limit in seconds.", required=False,
       default=600.0, minimum=1e-9),
    _c("solver_workers", "integer", "searches",
       "HiGHS searches run at once, sharing plans and bounds (blank: one per core, at most 2; "
       "1: one repeatable search).", required=False, default=None, minimum=1),
    _c("solver_mode", "choice", "",
       "fast: the searches share plans and bounds, and two runs may return different plans within "
       "the gap; repeatable: HiGHS's own parallel search on solver_workers threads, the same plan "
       "every run; relax-and-fix: as fast, but search 1 first solves the plan with only phases and "
       "funding whole, then with those fixed (often a better bound on large deterministic plans, "
       "slower on small ones and on trees).", required=False, default="fast",
       choices=("fast", "repeatable", "relax-and-fix")),
    _c("risk_aversion", "fraction", "fraction",
       "Weight lambda of CVaR in the objective (1 - lambda) E[cost] + lambda CVaR (with Scenarios).",
       required=False, default=0.0),
    _c("cvar_alpha", "fraction", "fraction", "CVaR level alpha (0 <= alpha < 1): the worst 1 - alpha of outcomes.",
       required=False, default=0.9),
    _c("value_of_risk", "choice", "",
       "vss and evpi (with Scenarios): 2 more MIPs than there are scenarios, run as Dask cases after the plan's report "
       "is written. auto: computed when the tree has at most 10 scenarios and the plan reached its target "
       "gap (when they cost less than the plan itself); on: always; off: never.", required=False,
       default="auto", choices=("auto", "on", "off")),
)

SHEETS: tuple[Sheet, ...] = (
    Sheet("Settings", "setting", (
        _c("setting", "name", "", "Setting name (see the Settings table)."),
        _c("value", "text", "", "Setting value."),
    ), description="Horizon, discount rate and solver settings."),
    Sheet("Workloads", "workload", (
        _c("workload", "name", "", "Workload name, e.g. training, inference, ranking."),
        _c("reserve_margin", "fraction", "fraction", "Capacity held above demand.",
           required=False, default=0.0),
        _c("unmet_penalty", "number", "$/du", "Cost of one du of required capacity not served in a quarter."),
        _c("asic_share_max", "fraction", "fraction",
           "Largest share of required capacity that kind asic may serve.", required=False, default=1.0),
    ), key="workload", description="Workloads and their service rules."),
    Sheet("Demand", "quarter", (
        _c("quarter", "quarter", "quarter", "Quarter of the horizon."),
    ), key="quarter", workload_columns=_c(
        "<workload>", "number", "du", "Demand of that workload in demand units (du)."),
        description="Demand per quarter, one column per workload."),
    Sheet("Hardware", "accelerator type", (
        _c("hardware", "name", "", "Accelerator type name."),
        _c("kind", "choice", "", "gpu or asic.", choices=("gpu", "asic")),
        _c("power_kw", "number", "kW", "IT power per accelerator, host and network share included."),
        _c("unit_capex", "number", "$", "Purchase price per accelerator."),
        _c("life", "integer", "quarters", "Quarters in service.", minimum=1),
        _c("lead_time", "integer", "quarters", "Quarters from order to service."),
        _c("available_from", "quarter", "quarter", "First quarter it can be ordered.",
           required=False, default=START),
        _c("order_block", "integer", "accelerators", "Accelerators per order block.", minimum=1),
        _c("max_order_per_quarter", "number", "accelerators",
           "Most accelerators ordered in one quarter, all sites together (blank = no limit).",
           required=False),
        _c("program", "name", "", "ASIC program the type belongs to (blank for none).",
           required=False, ref="AsicPrograms"),
    ), key="hardware", description="Accelerator types that can be bought or leased."),
    Sheet("Throughput", "accelerator type", (
        _c("hardware", "name", "", "Accelerator type.", ref="Hardware"),
    ), key="hardware", workload_columns=_c(
        "<workload>", "number", "du per accelerator-quarter",
        "du delivered by one accelerator in one quarter (0 or blank = cannot run it).",
        required=False, default=0.0),
        description="What each accelerator delivers on each workload."),
    Sheet("Sites", "site", (
        _c("site", "name", "", "Data-centre site name."),
        _c("existing_mw", "number", "MW", "IT MW online from q = 0.", required=False, default=0.0),
        _c("phase_mw", "number", "MW", "IT MW added by one build phase.", required=False, default=0.0),
        _c("max_phases", "integer", "phases", "Most phases that can be built.", required=False, default=0),
        _c("capex_per_phase", "number", "$", "Construction cost of one phase.", required=False, default=0.0),
        _c("facility_life", "integer", "quarters", "Life over which phase capex is annuitised.", minimum=1),
        _c("lead_time", "integer", "quarters", "Quarters from start of a phase to online.",
           required=False, default=0),
        _c("earliest_start", "quarter", "quarter", "First quarter a phase can start.",
           required=False, default=START),
        _c("opex_per_mw_quarter", "number", "$/MW-quarter", "Fixed opex per online IT MW.",
           required=False, default=0.0),
        _c("pue", "number", "ratio", "Power usage effectiveness (>= 1).", minimum=1.0),
        _c("power_price", "number", "$/MWh", "Electricity price."),
    ), key="site", description="Owned data-centre sites, their power and build phases."),
    Sheet("Providers", "provider", (
        _c("provider", "name", "", "Cloud provider name."),
        _c("max_share", "fraction", "fraction",
           "Largest share of total required capacity its leases may serve.", required=False, default=1.0),
    ), key="provider", description="Cloud providers."),
    Sheet("LeaseOffers", "contract offer", (
        _c("offer", "name", "", "Offer name."),
        _c("provider", "name", "", "Provider offering it.", ref="Providers"),
        _c("hardware", "name", "", "Accelerator type leased.", ref="Hardware"),
        _c("block_units", "integer", "accelerators", "Accelerators per block.", minimum=1),
        _c("price_per_unit_quarter", "number", "$/accelerator-quarter", "Take-or-pay price."),
        _c("term", "integer", "quarters", "Contract length.", minimum=1),
        _c("lead_time", "integer", "quarters", "Quarters from signing to start.", required=False, default=0),
        _c("first_sign", "quarter", "quarter", "First quarter it can be signed.",
           required=False, default=START),
        _c("last_sign", "quarter", "quarter", "Last quarter it can be signed.",
           required=False, default=END),
        _c("max_blocks_per_quarter", "integer", "blocks", "Most blocks signed in one quarter (blank = no limit).",
           required=False),
    ), key="offer", description="Lease contracts that can be signed."),
    Sheet("AsicPrograms", "ASIC program", (
        _c("program", "name", "", "In-house ASIC program name."),
        _c("nre_cost", "number", "$", "Program cost, paid at q = 0 if funded."),
        _c("slip_quarters", "integer", "quarters", "Delay of the program's availability.",
           required=False, default=0),
        _c("delivery_confidence", "fraction", "fraction",
           "Share of nominal throughput counted on.", required=False, default=1.0),
        _c("funded", "choice", "", "yes: already funded (commit = 1; its NRE is neither charged nor budgeted).",
           required=False, default="no", choices=("yes", "no")),
    ), optional=True, key="program", description="In-house ASIC programs."),
    Sheet("ExistingFleet", "owned batch", (
        _c("hardware", "name", "", "Accelerator type.", ref="Hardware"),
        _c("site", "name", "", "Site where it runs.", ref="Sites"),
        _c("units", "number", "accelerators", "Accelerators in the batch."),
        _c("first_quarter", "quarter", "quarter",
           "First quarter in service (blank: in service since before start_quarter; later: ordered, "
           "not yet delivered).", required=False),
        _c("last_quarter", "quarter", "quarter", "Last quarter in service."),
        _c("resale_value", "number", "$ per accelerator",
           "Resale value of one accelerator sold in start_quarter, falling in a straight line to 0 after "
           "last_quarter (blank: not for sale; 0: may be retired for nothing). Only for a batch in "
           "service at start_quarter.", required=False),
    ), optional=True, description="Accelerators already owned or ordered (no capital charge); "
                                  "they may be powered down and sold (MODEL.md 11)."),
    Sheet("ExistingLeases", "signed contract", (
        _c("provider", "name", "", "Provider.", ref="Providers"),
        _c("hardware", "name", "", "Accelerator type.", ref="Hardware"),
        _c("units", "number", "accelerators", "Accelerators leased."),
        _c("price_per_unit_quarter", "number", "$/accelerator-quarter", "Contract price."),
        _c("first_quarter", "quarter", "quarter", "First quarter of the contract."),
        _c("last_quarter", "quarter", "quarter", "Last quarter of the contract."),
    ), optional=True, description="Lease contracts already signed (they may start after start_quarter)."),
    Sheet("CommittedPhases", "batch of phases under construction", (
        _c("site", "name", "", "Site being built.", ref="Sites"),
        _c("phases", "integer", "phases", "Phases of the site's phase_mw in this batch.", minimum=1),
        _c("online_quarter", "quarter", "quarter", "First quarter the phases are online."),
    ), optional=True, description="Build phases already started (no capital charge, not counted in "
                                  "max_phases; opex is paid on their MW)."),
    Sheet("Scenarios", "scenario", (
        _c("scenario", "name", "", "Scenario name."),
        _c("probability", "fraction", "fraction", "Probability; all scenarios sum to 1."),
        _c("asic_slip_quarters", "integer", "quarters", "Extra slip of every ASIC program in this scenario.",
           required=False, default=0),
        _c("branch_of", "name", "", "Scenario whose decisions this one takes until branch_quarter "
           "(blank: the first scenario).", required=False, ref="Scenarios"),
        _c("branch_quarter", "quarter", "quarter", "First quarter this scenario decides on its own "
           "(blank: never; at or before start_quarter: from the start).", required=False),
        _c("build_slip_quarters", "integer", "quarters", "Quarters every build phase comes online late.",
           required=False, default=0),
        _c("delivery_slip_quarters", "integer", "quarters",
           "Quarters every order of hardware without a program arrives late.", required=False, default=0),
        _c("lease_slip_quarters", "integer", "quarters", "Quarters every lease starts (and is paid) late.",
           required=False, default=0),
        _c("failed_programs", "text", "", "ASIC programs that fail in this scenario, comma-separated: "
           "their ordered hardware gives nothing but is paid for (blank: none).", required=False),
    ), optional=True, key="scenario", workload_columns=_c(
        "<workload>", "number", "multiplier", "Multiplier on that workload's Demand (blank or no column = 1).",
        required=False, default=1.0), every_workload=False,
        description="Scenarios for a plan that hedges (MODEL.md section 7) and adapts as they branch "
                    "(section 10)."),
    Sheet("ScenarioDemand", "scenario and quarter", (
        _c("scenario", "name", "", "Scenario.", ref="Scenarios"),
        _c("quarter", "quarter", "quarter", "Quarter of the horizon."),
    ), optional=True, workload_columns=_c(
        "<workload>", "number", "du", "Demand in this scenario and quarter (replaces Demand x multiplier; "
        "blank keeps it).", required=False, default=None), every_workload=False,
        description="Demand of one scenario in one quarter, where a multiplier is not enough."),
    Sheet("OnDemand", "source of on-demand capacity", (
        _c("provider", "name", "", "Cloud provider renting it.", ref="Providers"),
        _c("hardware", "name", "", "Accelerator type rented (not of an ASIC program).", ref="Hardware"),
        _c("price_per_unit_quarter", "number", "$/accelerator-quarter", "On-demand price, paid only for "
           "the accelerators rented in a quarter."),
        _c("max_units", "number", "accelerators", "Most accelerators that can be rented in any one quarter "
           "(blank = no limit).", required=False),
        _c("first_quarter", "quarter", "quarter", "First quarter it can be rented.", required=False,
           default=START),
        _c("last_quarter", "quarter", "quarter", "Last quarter it can be rented.", required=False, default=END),
    ), optional=True, description="Capacity rented by the quarter without commitment (MODEL.md 11): "
                                  "no lead time, no term, decided per scenario and quarter."),
    Sheet("LeaseOptions", "lease expansion option", (
        _c("option", "name", "", "Option contract name."),
        _c("offer", "name", "", "Lease offer a block becomes when exercised (its provider, hardware, "
           "block_units, price, term and lead_time).", ref="LeaseOffers"),
        _c("fee_per_block", "number", "$ per block", "Fee paid in the quarter a block of the option is "
           "bought (not capex)."),
        _c("buy_first", "quarter", "quarter", "First quarter blocks may be bought.", required=False, default=START),
        _c("buy_last", "quarter", "quarter", "Last quarter blocks may be bought.", required=False, default=END),
        _c("exercise_first", "quarter", "quarter", "First quarter bought blocks may be exercised.",
           required=False, default=START),
        _c("exercise_last", "quarter", "quarter", "Last quarter bought blocks may be exercised.",
           required=False, default=END),
        _c("max_blocks", "integer", "blocks", "Most blocks bought over the horizon (blank = no limit).",
           required=False),
    ), optional=True, key="option", description="The right, bought now, to sign blocks of an offer later "
                                                 "(MODEL.md 12): beyond the offer's window and block limit."),
    Sheet("ProgramGates", "gate of an ASIC program after funding", (
        _c("program", "name", "", "ASIC program.", ref="AsicPrograms"),
        _c("gate", "name", "", "Gate name, e.g. small-scale test, mass production."),
        _c("quarter", "quarter", "quarter", "Quarter the gate is decided (inside the horizon)."),
        _c("cost", "number", "$", "Paid in that quarter if the program goes through the gate (capex of its "
           "year)."),
    ), optional=True, description="A program funded gate by gate (MODEL.md 12): its hardware is ordered only "
                                  "from its last gate on, and a gate not passed stops the spending."),
    Sheet("Budget", "calendar year", (
        _c("year", "year", "year", "Calendar year."),
        _c("capex_max", "number", "$", "Most cash capex (orders, phases, NRE, programme gates) in that year."),
    ), optional=True, key="year", description="Annual capex budget."),
)

SHEET_BY_NAME: dict[str, Sheet] = {s.name.lower(): s for s in SHEETS}


#: The decisions a plan's Actions sheet can hold (``planner run`` writes them; ``roll`` and ``--previous`` read them).
PLAN_ACTIONS = ("fund ASIC program", "start build phase", "order hardware", "sign lease", "sell existing fleet",
                "buy lease option", "exercise lease option", "pass programme gate")

#: A previous plan's sheets as ``roll`` and ``--previous`` read them: the columns they use are declared and
#: checked; the report's other columns are read as they are.
PLAN_SHEETS: tuple[Sheet, ...] = (
    Sheet("Actions", "a decision of the plan", (
        _c("quarter", "quarter", "quarter", "Quarter the decision is taken."),
        _c("action", "choice", "-", "What is done.", choices=tuple(a.lower() for a in PLAN_ACTIONS)),
        _c("what", "name", "-", "Program, site, hardware or lease offer."),
        _c("where", "name", "-", "Site or provider.", required=False),
        _c("quantity", "integer", "units", "Whole programs, phases, blocks or accelerators.", minimum=0),
        _c("scenarios", "text", "-", "all, or the scenarios that take it.", required=False, default="all"),
    ), other_columns=True),
    Sheet("Summary", "a metric of the plan", (
        _c("metric", "name", "-", "Metric."),
        _c("value", "text", "-", "Its value.", required=False),
    ), other_columns=True),
    Sheet("Costs", "a quarter's costs", (
        _c("quarter", "text", "-", "Quarter (the first is the plan's start_quarter)."),
    ), optional=True, other_columns=True),
)
