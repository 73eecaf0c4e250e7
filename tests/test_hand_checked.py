"""One small case per constraint family, each optimum worked out by hand.

All cases start from ``helpers.base_case()`` (see its docstring): r = 0, demand
1000 du in each of 4 quarters, penalty 1e6 $/du, an owned H100-quarter costs
10,000 annuity + 219 energy = 10,219 $, a lease H100-quarter 12,000 $.
"""

from __future__ import annotations

import pytest

from tests.helpers import add_row, base_case, setcell, total_cost

NO_LEASE = "LeaseOffers"


def _no_leases(s):
    s[NO_LEASE] = s[NO_LEASE][:1]
    return s


def _no_owned(s):
    return setcell(s, "Hardware", "H100", "max_order_per_quarter", 0)


def _program(s, nre=0.0, slip=0, confidence=1.0, block=500, throughput=2.0):
    """ASIC M1 of program P: 1 kW, capex 20,000, life 4, lead 0 -> 5,000 + 219 = 5,219 $ per unit-quarter."""
    add_row(s, "AsicPrograms", "P", nre, slip, confidence,
            header=["program", "nre_cost", "slip_quarters", "delivery_confidence"])
    s["Hardware"].append(["M1", "asic", 1, 20000, 4, 0, "2026Q3", block, None, "P"])
    s["Throughput"].append(["M1", throughput])
    return s


def test_a_owning_beats_leasing(tmp_path):
    """1000 x 10,219 x 4 = 40,876,000 < leasing 1000 x 12,000 x 4 = 48,000,000."""
    assert total_cost(base_case(), tmp_path) == pytest.approx(40_876_000, rel=1e-9)


def test_b_lead_time_forces_a_lease(tmp_path):
    """H100 lead 1: q0 can only be leased and a lease runs 4 quarters: 1000 x 12,000 x 4 = 48,000,000."""
    s = setcell(base_case(), "Hardware", "H100", "lead_time", 1)
    assert total_cost(s, tmp_path) == pytest.approx(48_000_000, rel=1e-9)


def test_c_cheap_lease_wins(tmp_path):
    """Lease price 9,000: 1000 x 9,000 x 4 = 36,000,000 < 40,876,000."""
    s = setcell(base_case(), "LeaseOffers", "lease1", "price_per_unit_quarter", 9000)
    assert total_cost(s, tmp_path) == pytest.approx(36_000_000, rel=1e-9)


def test_lease_term_lead_time_and_horizon_clip(tmp_path):
    """H100 life 1 (40,000 + 219 = 40,219 $/unit-quarter); lease lead 1, term 2, 9,000 $.

    q0 cannot be leased (lead 1): own 1000 for q0 = 40,219,000. Signed in q0 a
    lease is active q1-q2; signed in q2 it is active q3 (q4 is past the horizon
    and not charged). 3 x 1000 x 9,000 = 27,000,000. Total 67,219,000.
    """
    s = setcell(base_case(), "Hardware", "H100", "life", 1)
    setcell(s, "LeaseOffers", "lease1", "price_per_unit_quarter", 9000)
    setcell(s, "LeaseOffers", "lease1", "lead_time", 1)
    setcell(s, "LeaseOffers", "lease1", "term", 2)
    assert total_cost(s, tmp_path) == pytest.approx(67_219_000, rel=1e-9)


def test_block_rounding(tmp_path):
    """Blocks of 300, no owning: ceil(1000 / 300) = 4 blocks = 1200 units x 12,000 x 4 = 57,600,000."""
    s = _no_owned(setcell(base_case(), "LeaseOffers", "lease1", "block_units", 300))
    assert total_cost(s, tmp_path) == pytest.approx(57_600_000, rel=1e-9)


def test_signing_limit(tmp_path):
    """Blocks of 250, at most 2 per quarter, no owning.

    q0: 2 blocks (500 units, q0-q3) = 500 x 12,000 x 4 = 24,000,000 and 500 du unmet = 500,000,000;
    q1: 2 more blocks (q1-q3 inside the horizon) = 500 x 12,000 x 3 = 18,000,000. Total 542,000,000.
    """
    s = _no_owned(setcell(base_case(), "LeaseOffers", "lease1", "block_units", 250))
    setcell(s, "LeaseOffers", "lease1", "max_blocks_per_quarter", 2)
    assert total_cost(s, tmp_path) == pytest.approx(542_000_000, rel=1e-9)


def test_hardware_availability_and_lead_time(tmp_path):
    """H100 orderable from 2026Q4 (q1), lead 1, no leases: service from q2.

    Unmet q0, q1: 2000 du x 1e6 = 2,000,000,000; order in q1 serves q2-q3:
    1000 x 2 x 10,219 = 20,438,000. Total 2,020,438,000.
    """
    s = _no_leases(setcell(base_case(), "Hardware", "H100", "available_from", "2026Q4"))
    setcell(s, "Hardware", "H100", "lead_time", 1)
    assert total_cost(s, tmp_path) == pytest.approx(2_020_438_000, rel=1e-9)


def test_life_and_retirement(tmp_path):
    """H100 life 2 (crf 1/2: 20,000 + 219 = 20,219), no leases: orders in q0 and q2.

    1000 x 4 x 20,219 = 80,876,000.
    """
    s = _no_leases(setcell(base_case(), "Hardware", "H100", "life", 2))
    assert total_cost(s, tmp_path) == pytest.approx(80_876_000, rel=1e-9)


def test_site_phase_and_power(tmp_path):
    """0.5 MW existing, one 0.5 MW phase (1,000,000 $, life 4 -> 250,000 per quarter online, lead 1).

    Orders in blocks of 500, no leases. q0: 500 H100 fit (0.5 MW), 500 du unmet = 500,000,000.
    Phase started q0 is online q1-q3: 3 x 250,000 = 750,000. H100: 500 x 4 x 10,219 = 20,438,000
    + 500 x 3 x 10,219 = 15,328,500. Total 536,516,500.
    With max_phases 0: 500 du unmet each quarter, 2,000,000,000 + 20,438,000 = 2,020,438,000.
    """
    s = _no_leases(setcell(base_case(), "Hardware", "H100", "order_block", 500))
    s["Sites"][1] = ["dc1", 0.5, 0.5, 1, 1_000_000, 4, 1, "2026Q3", 0, 1, 100]
    assert total_cost(s, tmp_path) == pytest.approx(536_516_500, rel=1e-9)
    setcell(s, "Sites", "dc1", "max_phases", 0)
    assert total_cost(s, tmp_path) == pytest.approx(2_020_438_000, rel=1e-9)


def test_supply_limit(tmp_path):
    """Blocks of 100, at most 650 per quarter (6 blocks), no leases.

    q0: 600 (q0-q3) = 600 x 4 x 10,219 = 24,525,600 and 400 du unmet = 400,000,000;
    q1: 400 (q1-q3) = 400 x 3 x 10,219 = 12,262,800. Total 436,788,400.
    """
    s = _no_leases(setcell(base_case(), "Hardware", "H100", "order_block", 100))
    setcell(s, "Hardware", "H100", "max_order_per_quarter", 650)
    assert total_cost(s, tmp_path) == pytest.approx(436_788_400, rel=1e-9)


def test_program_commitment_and_nre(tmp_path):
    """ASIC M1 (2 du per unit, blocks of 500): 500 x 4 x 5,219 = 10,438,000 + NRE.

    NRE 10,000,000: 20,438,000 < H100 40,876,000, so fund. NRE 31,000,000: 41,438,000 > 40,876,000,
    so keep H100 (and M1 cannot be ordered without funding, or the cost would be 10,438,000).
    """
    assert total_cost(_program(base_case(), nre=10e6), tmp_path) == pytest.approx(20_438_000, rel=1e-9)
    assert total_cost(_program(base_case(), nre=31e6), tmp_path) == pytest.approx(40_876_000, rel=1e-9)


def test_delivery_confidence_and_slip(tmp_path):
    """H100 life 1 (40,219 $/unit-quarter), no leases; M1 slips 1 quarter, confidence 0.5.

    q0: 1000 H100 = 40,219,000. From q1: M1 gives 2 x 0.5 = 1 du per unit, so 1000 units (2 blocks)
    ordered in q1, charged q1-q3: 1000 x 3 x 5,219 = 15,657,000. Total 55,876,000.
    """
    s = _no_leases(setcell(base_case(), "Hardware", "H100", "life", 1))
    assert total_cost(_program(s, slip=1, confidence=0.5), tmp_path) == pytest.approx(55_876_000, rel=1e-9)


def test_asic_share(tmp_path):
    """asic_share_max 0.5: M1 (blocks of 250) serves at most 500 du = 250 units: 250 x 4 x 5,219 = 5,219,000;
    H100 in blocks of 500: 500 x 4 x 10,219 = 20,438,000. Total 25,657,000."""
    s = setcell(base_case(), "Workloads", "inference", "asic_share_max", 0.5)
    setcell(s, "Hardware", "H100", "order_block", 500)
    assert total_cost(_program(s, block=250), tmp_path) == pytest.approx(25_657_000, rel=1e-9)


def test_provider_share(tmp_path):
    """Cheap provider p1 (5,000 $) capped at 50 %, p2 at 8,000 $; blocks of 100, no owning.

    500 x 4 x 5,000 + 500 x 4 x 8,000 = 10,000,000 + 16,000,000 = 26,000,000.
    """
    s = _no_owned(base_case())
    s["Providers"] = [["provider", "max_share"], ["p1", 0.5], ["p2", 1]]
    s["LeaseOffers"] = s["LeaseOffers"][:1] + [
        ["o1", "p1", "H100", 100, 5000, 4, 0, "2026Q3", "2027Q2", None],
        ["o2", "p2", "H100", 100, 8000, 4, 0, "2026Q3", "2027Q2", None]]
    assert total_cost(s, tmp_path) == pytest.approx(26_000_000, rel=1e-9)


def test_reserve_margin(tmp_path):
    """reserve 20 %: 1200 du required; leases of 100 at 11,000, no owning: 1200 x 4 x 11,000 = 52,800,000."""
    s = _no_owned(setcell(base_case(), "Workloads", "inference", "reserve_margin", 0.2))
    setcell(s, "LeaseOffers", "lease1", "block_units", 100)
    setcell(s, "LeaseOffers", "lease1", "price_per_unit_quarter", 11000)
    assert total_cost(s, tmp_path) == pytest.approx(52_800_000, rel=1e-9)


def test_budget(tmp_path):
    """2026 capex at most 20,000,000 (500 H100); blocks of 100; one-quarter leases at 12,000.

    q0: buy 500 (q0-q3) = 500 x 4 x 10,219 = 20,438,000; lease 500 in q0 and q1 = 12,000,000;
    q2 (2027, no budget row): buy 500 (q2-q3) = 500 x 2 x 10,219 = 10,219,000. Total 42,657,000.
    """
    s = setcell(base_case(), "Hardware", "H100", "order_block", 100)
    setcell(s, "LeaseOffers", "lease1", "block_units", 100)
    setcell(s, "LeaseOffers", "lease1", "term", 1)
    add_row(s, "Budget", 2026, 20_000_000, header=["year", "capex_max"])
    assert total_cost(s, tmp_path) == pytest.approx(42_657_000, rel=1e-9)


def test_existing_fleet_and_leases(tmp_path):
    """400 H100 owned to 2026Q4; 300 leased at 5,000 from 2026Q1 (clipped to q0) to 2027Q2; blocks of 100.

    Fleet energy 400 x 219 x 2 = 175,200; existing lease 300 x 5,000 x 4 = 6,000,000;
    buy 300 in q0 (q0-q3) = 300 x 4 x 10,219 = 12,262,800 and 400 in q2 = 400 x 2 x 10,219 = 8,175,200.
    Total 26,613,200.
    """
    s = setcell(base_case(), "Hardware", "H100", "order_block", 100)
    add_row(s, "ExistingFleet", "H100", "dc1", 400, "2026Q4", header=["hardware", "site", "units", "last_quarter"])
    add_row(s, "ExistingLeases", "cloud", "H100", 300, 5000, "2026Q1", "2027Q2",
            header=["provider", "hardware", "units", "price_per_unit_quarter", "first_quarter", "last_quarter"])
    assert total_cost(s, tmp_path) == pytest.approx(26_613_200, rel=1e-9)


def test_discounting_and_annuity(tmp_path):
    """r = 8 %: rq = 1.08 ** 0.25 - 1 = 0.01942655, crf(4) = rq / (1 - 1.08 ** -1) = 0.01942655 / 0.07407407
    = 0.2622584, owned H100-quarter 40,000 x 0.2622584 + 219 = 10,709.34 < 12,000 lease;
    d(q) = 1.08 ** (-q / 4) = 1, 0.980944, 0.962250, 0.943913, sum 3.887108.
    Cost 1000 x 10,709.34 x 3.887108 = about 41,628,300."""
    s = setcell(base_case(), "Settings", "discount_rate", "value", 0.08)
    rq = 1.08 ** 0.25 - 1
    crf = rq / (1 - (1 + rq) ** -4)
    expected = 1000 * (40000 * crf + 219) * sum(1.08 ** (-q / 4) for q in range(4))
    assert expected == pytest.approx(41_628_300, rel=1e-5)
    assert total_cost(s, tmp_path) == pytest.approx(expected, rel=1e-9)


def test_unmet_penalty(tmp_path):
    """Nothing can be bought or leased, penalty 100 $/du: 4 x 1000 x 100 = 400,000 at r = 0;
    at r = 8 %: 100,000 x 3.887100 = 388,710."""
    s = _no_leases(_no_owned(setcell(base_case(), "Workloads", "inference", "unmet_penalty", 100)))
    assert total_cost(s, tmp_path) == pytest.approx(400_000, rel=1e-9)
    setcell(s, "Settings", "discount_rate", "value", 0.08)
    assert total_cost(s, tmp_path) == pytest.approx(100_000 * sum(1.08 ** (-q / 4) for q in range(4)), rel=1e-9)
