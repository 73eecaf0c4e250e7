"""Broken, odd and hostile workbooks: one located message each, exit 2, no traceback, nothing written."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from planner.pipeline import plan
from planner.workbook.errors import InputError
from planner.workbook.validate import load_inputs
from tests.helpers import add_row, base_case, setcell, write_workbook
from tests.test_cli import planner


def _problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as err:
        load_inputs(path)
    return [str(p) for p in err.value.problems]


def _rewrite_member(src: Path, dst: Path, member: str, edit) -> Path:
    """Copy an .xlsx, passing one zip member's text through ``edit``."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == member:
                data = edit(data.decode()).encode()
            zout.writestr(info, data)
    return dst


@pytest.fixture
def good(tmp_path) -> Path:
    return write_workbook(base_case(), tmp_path / "good.xlsx")


# --- not a workbook ---------------------------------------------------------------------------

def _not_a_workbook_cases(tmp_path: Path, good: Path) -> dict[str, tuple[Path, str]]:
    cases = {}
    (tmp_path / "empty.xlsx").write_bytes(b"")
    cases["empty"] = (tmp_path / "empty.xlsx", "empty")
    (tmp_path / "csv.xlsx").write_text("quarter,inference\n2026Q3,1000\n")
    cases["csv"] = (tmp_path / "csv.xlsx", "text (CSV?)")
    (tmp_path / "truncated.xlsx").write_bytes(good.read_bytes()[:700])
    cases["truncated"] = (tmp_path / "truncated.xlsx", "damaged or truncated")
    with zipfile.ZipFile(tmp_path / "nozip.xlsx", "w") as z:
        z.writestr("notes.txt", "hello")
    cases["zip without workbook"] = (tmp_path / "nozip.xlsx", "without an Excel workbook")
    (tmp_path / "legacy.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    cases["xls or password"] = (tmp_path / "legacy.xlsx", "remove the password")
    with zipfile.ZipFile(tmp_path / "sheet.ods", "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<x/>")
    cases["ods"] = (tmp_path / "sheet.ods", "OpenDocument")
    return cases


def test_not_a_workbook(tmp_path, good):
    for name, (path, words) in _not_a_workbook_cases(tmp_path, good).items():
        problems = _problems(path)
        assert len(problems) == 1 and words in problems[0], (name, problems)


def test_not_a_workbook_cli(tmp_path, good):
    path, words = _not_a_workbook_cases(tmp_path, good)["xls or password"]
    proc = planner("run", str(path), "--out", str(tmp_path / "out"))
    assert proc.returncode == 2 and words in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()


# --- hostile files ----------------------------------------------------------------------------

def test_xml_entity_bomb_and_external_entity(tmp_path, good):
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>')
    xxe = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    for name, doctype in (("bomb", bomb), ("xxe", xxe)):
        path = _rewrite_member(good, tmp_path / f"{name}.xlsx", "xl/worksheets/sheet1.xml",
                               lambda text, d=doctype: d + (text.split("?>", 1)[1] if "?>" in text else text))
        problems = _problems(path)
        assert len(problems) == 1 and "refused" in problems[0], problems


def test_zip_bomb(tmp_path, good):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info.filename))
        zout.writestr("xl/media/padding.bin", b"\0" * (20 * 1024 * 1024))
    problems = _problems(path)
    assert len(problems) == 1 and "zip bomb" in problems[0]


def test_stray_cell_far_below(tmp_path):
    s = base_case()
    path = write_workbook(s, tmp_path / "stray.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["Demand"]["A1048576"] = "oops"
    wb.save(path)
    problems = _problems(path)
    assert any("Demand row 1048576" in p and "stray" in p for p in problems), problems


# --- Excel realities --------------------------------------------------------------------------

def test_formula_without_saved_value_and_error_cells(tmp_path):
    s = setcell(base_case(), "Demand", "2026Q4", "inference", "=B2*2")
    setcell(s, "Hardware", "H100", "unit_capex", "#DIV/0!")
    problems = _problems(write_workbook(s, tmp_path / "f.xlsx"))
    assert any("Demand row 3, column 'inference (B)'" in p and "open it in Excel and save it" in p
               for p in problems), problems
    assert any("Hardware row 2, column 'unit_capex (D)'" in p and "#DIV/0!" in p for p in problems), problems
    assert len(problems) == 2  # each cell once, not again as 'missing'


def test_lenient_readings(tmp_path):
    """Numbers as text, '20%', dates for quarters, odd spaces and case in names and headers are read."""
    s = base_case()
    s["Hardware"][0] = [" Hardware\u00a0"] + s["Hardware"][0][1:]
    s["Hardware"][0][4] = "\u200bLIFE "
    s["Hardware"][1][0] = " H100\u00a0"
    setcell(s, "Hardware", " H100\u00a0", "unit_capex", "40,000")
    setcell(s, "Workloads", "inference", "reserve_margin", "20%")
    s["Demand"][1][0] = dt.datetime(2026, 8, 15)
    s["Workloads\u00a0"] = s.pop("Workloads")
    inp = load_inputs(write_workbook(s, tmp_path / "lenient.xlsx"))
    assert inp.hardware["H100"].unit_capex == 40000 and inp.hardware["H100"].life == 4
    assert inp.workloads["inference"].reserve_margin == pytest.approx(0.2)
    assert inp.demand[("inference", 0)] == 1000


def test_duplicate_headers_and_merged_cells(tmp_path):
    s = base_case()
    s["Providers"][0].append("max_share")
    s["Providers"][1].append(1)
    path = write_workbook(s, tmp_path / "dup.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["Demand"].merge_cells("B2:B3")
    wb.save(path)
    problems = _problems(path)
    assert any("Providers row 1, column 'max_share'" in p and "twice" in p for p in problems), problems
    assert any("Demand row 2" in p and "B2:B3" in p and "merged" in p for p in problems), problems


def test_hidden_sheet_is_read_with_a_warning(tmp_path, caplog):
    path = write_workbook(base_case(), tmp_path / "hidden.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["Providers"].sheet_state = "hidden"
    wb.save(path)
    inp = load_inputs(path)
    assert "cloud" in inp.providers
    assert any("hidden" in r.message for r in caplog.records)


def test_blank_rows_keep_excel_row_numbers(tmp_path):
    s = base_case()
    s["Hardware"] += [[None] * 10, [None] * 10, ["B200", "gpu", 1, -5, 4, 0, "2026Q3", 1000, None, None]]
    s["Throughput"].append(["B200", 2])
    problems = _problems(write_workbook(s, tmp_path / "blank.xlsx"))
    assert problems == ["Hardware row 5, column 'unit_capex': must be at least 0 (value -5)"]


# --- meaning ----------------------------------------------------------------------------------

def test_every_meaning_error_at_once(tmp_path):
    s = base_case()
    setcell(s, "Settings", "discount_rate", "value", "eight")                     # wrong setting type
    s["Settings"].append(["colour", "blue"])                                       # unknown setting
    setcell(s, "Workloads", "inference", "asic_share_max", 1.5)                    # fraction outside 0..1
    setcell(s, "Hardware", "H100", "lead_time", 1.5)                               # non-integer lead time
    setcell(s, "Hardware", "H100", "kind", "tpu")                                  # not gpu/asic
    setcell(s, "Sites", "dc1", "pue", 0.8)                                         # PUE < 1
    setcell(s, "LeaseOffers", "lease1", "first_sign", "2027Q2")                    # window reversed
    setcell(s, "LeaseOffers", "lease1", "last_sign", "2026Q4")
    setcell(s, "LeaseOffers", "lease1", "hardware", "H200")                        # unknown name
    s["Providers"].append(["cloud", 0.5])                                          # duplicate
    s["Demand"] = [["quarter", "inference"], ["2026Q3", 1000], ["2026Q4", None], ["2027Q1", 1000]]  # missing
    s["Throughput"][0].append("training")                                          # unknown workload column
    s["Throughput"][1].append(1)
    s["Budget"] = [["year", "capex_max", "notes"], [2026, -1, "x"]]               # unknown column, negative
    s["Extras"] = [["a"], [1]]                                                     # unknown sheet
    problems = _problems(write_workbook(s, tmp_path / "meaning.xlsx"))
    expected = [
        ("Settings row 4, column 'value'", "'eight'"),
        ("Settings row 6, column 'setting'", "'colour'"),
        ("Workloads row 2, column 'asic_share_max'", "1.5"),
        ("Hardware row 2, column 'lead_time'", "1.5"),
        ("Hardware row 2, column 'kind'", "'tpu'"),
        ("Sites row 2, column 'pue'", "0.8"),
        ("LeaseOffers row 2, column 'first_sign'", "2027Q2"),
        ("LeaseOffers row 2, column 'hardware'", "'H200'"),
        ("Providers row 3, column 'provider'", "'cloud'"),
        ("Demand row 3, column 'inference'", "required"),
        ("Demand, column 'quarter'", "2027Q2"),
        ("Throughput row 1, column 'training'", "unknown column"),
        ("Budget row 1, column 'notes'", "unknown column"),
        ("Budget row 2, column 'capex_max'", "-1"),
        ("Extras", "unknown sheet"),
    ]
    for where, what in expected:
        assert any(where in p and what in p for p in problems), (where, what, problems)


def test_missing_workload_column_and_sheet(tmp_path):
    s = base_case()
    s["Workloads"].append(["training", 0, 1000, 0])
    del s["Providers"]
    problems = _problems(write_workbook(s, tmp_path / "missing.xlsx"))
    assert any("Demand row 1, column 'training'" in p and "no column" in p for p in problems), problems
    assert any("Throughput row 1, column 'training'" in p for p in problems), problems
    assert any(p.startswith("Providers: required sheet is missing") for p in problems), problems


def test_scenario_probabilities_must_sum_to_one(tmp_path):
    s = add_row(base_case(), "Scenarios", "a", 0.5, 1, header=["scenario", "probability", "inference"])
    add_row(s, "Scenarios", "b", 0.4, 2)
    problems = _problems(write_workbook(s, tmp_path / "p.xlsx"))
    assert any("Scenarios, column 'probability'" in p and "sum to 1" in p for p in problems), problems


def test_a_bad_probability_is_named_without_a_misleading_sum(tmp_path):
    """Probabilities 0.5 and 'half': the bad cell is named (row 3); the sum of the rest (0.5) is
    not reported as a second error."""
    s = add_row(base_case(), "Scenarios", "a", 0.5, 1, header=["scenario", "probability", "inference"])
    add_row(s, "Scenarios", "b", "half", 2)
    problems = _problems(write_workbook(s, tmp_path / "p.xlsx"))
    assert any(p.startswith("Scenarios row 3, column 'probability'") and "half" in p for p in problems), problems
    assert not any("sum to 1" in p for p in problems), problems


def test_program_hardware_cannot_be_leased(tmp_path):
    s = add_row(base_case(), "AsicPrograms", "P", 0, 0, 1,
                header=["program", "nre_cost", "slip_quarters", "delivery_confidence"])
    setcell(s, "Hardware", "H100", "program", "P")
    problems = _problems(write_workbook(s, tmp_path / "prog.xlsx"))
    assert any("LeaseOffers row 2, column 'hardware'" in p and "in-house" in p for p in problems), problems


def test_unknown_program_reference(tmp_path):
    s = setcell(base_case(), "Hardware", "H100", "program", "Ghost")
    problems = _problems(write_workbook(s, tmp_path / "ghost.xlsx"))
    assert any("Hardware row 2, column 'program'" in p and "'Ghost'" in p for p in problems), problems


def test_good_file_still_solves(good):
    assert plan(good, mip_gap=1e-9).solution.objective == pytest.approx(40_876_000, rel=1e-9)




def test_damaged_bytes_never_give_a_traceback(tmp_path, good):
    """Seeded byte flips and truncations of a valid workbook: each is read or rejected as InputError."""
    import random

    rnd = random.Random(7)
    src = good.read_bytes()
    for i in range(60):
        data = bytearray(src)
        for _ in range(rnd.choice([1, 5, 50])):
            data[rnd.randrange(len(data))] = rnd.randrange(256)
        if i % 5 == 0:
            data = data[: rnd.randrange(len(data))]
        path = tmp_path / f"fuzz{i}.xlsx"
        path.write_bytes(bytes(data))
        try:
            load_inputs(path)
        except InputError as err:
            assert err.problems and all(str(p) for p in err.problems)


def test_reversed_horizon_is_one_error(tmp_path, caplog):
    s = setcell(base_case(), "Settings", "end_quarter", "value", "2026Q2")
    problems = _problems(write_workbook(s, tmp_path / "rev.xlsx"))
    assert problems == ["Settings row 3, column 'value': end_quarter is before start_quarter 2026Q3 (value '2026Q2')"]
    assert not any("outside the horizon" in r.message for r in caplog.records)


def test_solver_workers_must_be_a_whole_number_of_at_least_one(tmp_path):
    for value, message in ((0, "must be at least 1"), (1.5, "expected a whole number")):
        s = base_case()
        s["Settings"].append(["solver_workers", value])
        row = len(s["Settings"])
        problems = _problems(write_workbook(s, tmp_path / "w.xlsx"))
        assert problems == [f"Settings row {row}, column 'value': solver_workers: {message} (value {value!r})"]


def test_solver_mode_must_be_one_of_its_choices(tmp_path):
    s = base_case()
    s["Settings"].append(["solver_mode", "fastest"])
    row = len(s["Settings"])
    problems = _problems(write_workbook(s, tmp_path / "w.xlsx"))
    assert problems == [f"Settings row {row}, column 'value': solver_mode: expected one of fast, repeatable, "
                        "relax-and-fix (value 'fastest')"]
