"""MODEL.md section 9, the committed pipeline: hand-checked optima.

All cases start from ``helpers.base_case()``: r = 0, demand 1000 du of inference in each of
2026Q3..2027Q2, penalty 1e6 $/du, H100 40,000 $ life 4 lead 0, 1 kW, block 1000, one site with
1 MW, a 4-quarter lease of H100 at 12,000 $ per unit-quarter. An owned H100-quarter costs
10,000 annuity + 219 energy (1 kW x 2190 h x 100 $/MWh / 1000) = 10,219 $.
"""

from __future__ import annotations

import pytest

from tests.helpers import add_row, base_case, setcell, total_cost

FLEET = ["hardware", "site", "units", "first_quarter", "last_quarter"]
COMMITTED = ["site", "phases", "online_quarter"]
PROGRAMS = ["program", "nre_cost", "slip_quarters", "delivery_confidence", "funded"]


def test_fleet_that_arrives_later(tmp_path):
    """1000 H100 ordered earlier arrive in 2026Q4 (in service to 2027Q3) on the 1 MW site.

    Before MODEL.md 11, 2026Q3 could not be owned (an H100 bought then would still be in service in
    2026Q4, when the site is full), so it was leased: 48,000,000 + the fleet's energy 3 x 1000 x 219
    = 48,657,000. Since section 11 delivered hardware may wait unpowered: buy 1000 H100 in 2026Q3
    and power them all four quarters (1000 x 10,219 x 4 = 40,876,000); the arriving batch carries no
    capital charge and, unpowered, no energy. Total 40,876,000 (the issue's figure).
    """
    s = base_case()
    add_row(s, "ExistingFleet", "H100", "dc1", 1000, "2026Q4", "2027Q3", header=FLEET)
    assert total_cost(s, tmp_path) == pytest.approx(40_876_000, rel=1e-9)


def test_committed_phase_online_later(tmp_path):
    """No MW at q = 0; a committed 1 MW phase online in 2026Q4; the lease is 1-quarter at 12,000.

    2026Q3: lease 1000 x 12,000 = 12,000,000 (nothing can be owned without power). From 2026Q4:
    own 1000 H100 (in service 2026Q4..2027Q3, 3 horizon quarters) = 3 x 1000 x 10,219 = 30,657,000.
    The committed phase carries no capital charge (opex 0 here). Total 42,657,000.
    """
    s = setcell(base_case(), "Sites", "dc1", "existing_mw", 0)
    setcell(s, "Sites", "dc1", "phase_mw", 1)
    setcell(s, "LeaseOffers", "lease1", "term", 1)
    add_row(s, "CommittedPhases", "dc1", 1, "2026Q4", header=COMMITTED)
    assert total_cost(s, tmp_path) == pytest.approx(42_657_000, rel=1e-9)


def test_committed_phase_pays_opex_and_is_not_a_max_phase(tmp_path):
    """As above with opex 1,000 $ per MW-quarter and max_phases 0 (no phase may be started).

    The committed MW pays opex from 2026Q4: 3 quarters x 1 MW x 1,000 = 3,000, so 42,660,000:
    max_phases counts only phases still to start, so the committed phase does not break it.
    """
    s = setcell(base_case(), "Sites", "dc1", "existing_mw", 0)
    setcell(s, "Sites", "dc1", "phase_mw", 1)
    setcell(s, "Sites", "dc1", "opex_per_mw_quarter", 1000)
    setcell(s, "LeaseOffers", "lease1", "term", 1)
    add_row(s, "CommittedPhases", "dc1", 1, "2026Q4", header=COMMITTED)
    assert total_cost(s, tmp_path) == pytest.approx(42_660_000, rel=1e-9)


def _asic(s, funded: str):
    """ASIC A1 of program P1 (NRE 5,000,000): 1 kW, 20,000 $, life 4, block 1000, throughput 1."""
    add_row(s, "AsicPrograms", "P1", 5_000_000, 0, 1, funded, header=PROGRAMS)
    s["Hardware"].append(["A1", "asic", 1, 20000, 4, 0, "2026Q3", 1000, None, "P1"])
    s["Throughput"].append(["A1", 1])
    return s


def test_funded_program_pays_no_nre(tmp_path):
    """A1 already funded: 1000 x (5,000 + 219) x 4 = 20,876,000 (cheaper than H100 at 40,876,000)."""
    assert total_cost(_asic(base_case(), "yes"), tmp_path) == pytest.approx(20_876_000, rel=1e-9)


def test_unfunded_program_pays_its_nre(tmp_path):
    """The same program not funded: 20,876,000 + its NRE 5,000,000 = 25,876,000."""
    assert total_cost(_asic(base_case(), "no"), tmp_path) == pytest.approx(25_876_000, rel=1e-9)


def test_funded_program_nre_is_not_budgeted(tmp_path):
    """A 2026 budget of 20,000,000 fits A1's 1000 x 20,000 = 20,000,000 of capex only if the NRE
    is not counted: funded, the optimum stays 20,876,000. Unfunded, A1 needs 25,000,000 and one
    block of H100 40,000,000, both over the budget, so the lease is all that is left:
    1000 x 12,000 x 4 = 48,000,000."""
    for funded, expected in (("yes", 20_876_000), ("no", 48_000_000)):
        s = _asic(base_case(), funded)
        add_row(s, "Budget", 2026, 20_000_000, header=["year", "capex_max"])
        assert total_cost(s, tmp_path) == pytest.approx(expected, rel=1e-9)
