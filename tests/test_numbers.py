import datetime as dt
import math
import warnings

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiers.reading.numbers import (
    CURRENCY_MARKERS,
    header_currency,
    header_unit,
    parse_count,
    parse_money,
    parse_ratio,
    scientific_cells,
)

COUNTS = [
    ("12.5K", 12_500), ("12,5K", 12_500), ("1.2M", 1_200_000), ("12,5rb", 12_500), ("12,5 rb", 12_500),
    ("1,2 jt", 1_200_000), ("1,2jt", 1_200_000), ("93 ribu", 93_000), ("4.876", 4_876), ("4,876", 4_876),
    ("12.500", 12_500), ("12,500", 12_500), ("1.234.567", 1_234_567), ("1,234,567", 1_234_567),
    ("10K+", 10_000), ("±8rb", 8_000), ("~5K", 5_000), ("2 juta", 2_000_000), ("1.5 juta", 1_500_000),
    ("3B", 3_000_000_000), ("  7 ", 7), ("12500.0", 12_500), ("1.234,5K", 1_234_500), ("12 500", 12_500),
    ("500", 500), ("0", 0), ("1,5M", 1_500_000), ("850k", 850_000), ("12.5K followers", 12_500),
    ("1,2 jt pengikut", 1_200_000), ("90K subs", 90_000), (",5K", 500), (".5K", 500),
]


@pytest.mark.parametrize(("text", "expected"), COUNTS)
def test_counts(text, expected):
    parsed = parse_count(pd.Series([text], dtype="object"))
    assert parsed["value"].iloc[0] == expected
    assert pd.isna(parsed["error"].iloc[0])


@pytest.mark.parametrize(("text", "reason"), [
    ("abc", "'abc' is not a number"), ("", "empty"), (None, "empty"), ("12 xyz", "unknown unit 'xyz'"),
    ("n/a", "'n/a' is not a number"), ("-", "'-' is not a number"),
])
def test_unreadable_counts_say_why(text, reason):
    parsed = parse_count(pd.Series([text], dtype="object"))
    assert math.isnan(parsed["value"].iloc[0])
    assert parsed["error"].iloc[0] == reason


@pytest.mark.parametrize(("header", "unit"), [
    ("Followers (K)", 1e3), ("Pengikut (rb)", 1e3), ("Views ('000)", 1e3), ("Followers (000s)", 1e3),
    ("Fee in thousands", 1e3), ("Pengikut (dalam ribuan)", 1e3), ("Subscribers x1.000", 1e3),
    ("Followers (in K)", 1e3), ("Followers [jt]", 1e6), ("Subscribers (M)", 1e6), ("Harga (Rp juta)", 1e6),
    ("Rate card (IDR 000)", 1e3), ("Followers", 1), ("Followers (IG)", 1), ("Gender (M/F)", 1),
    ("Views (30 days)", 1), ("Harga (Rp)", 1), ("Followers ()", 1), ("Akun (link)", 1),
    ("Subscribers ×1.000", 1e3), ("Views (x000)", 1e3), ("Views (×000)", 1e3),  # a multiplication sign, an x
])
def test_units_stated_by_headers(header, unit):
    assert header_unit(header) == unit


@pytest.mark.parametrize(("header", "currency"), [
    ("Rate (RM)", "MYR"), ("Harga (Rp)", "IDR"), ("Harga Rp.", "IDR"), ("Fee USD", "USD"), ("Fee ($)", "USD"),
    ("Rate (S$)", "SGD"), ("Fee in EUR", "EUR"), ("Harga (₫)", "VND"),
    ("Followers", None), ("Perform rate", None), ("Gender (M/F)", None), (None, None),  # "rm" inside a word
])
def test_the_currency_a_header_names(header, currency):
    assert currency is None or currency in CURRENCY_MARKERS.values()
    assert header_currency(header) == currency


def test_scientific_cells_are_told_from_counts_written_out():
    cells = ["1.2E+06", "1,2e+06", " 3e5 ", "-4.5E-02", "12.5K", "1200", "e5", "1.2E+123", None]
    assert scientific_cells(pd.Series(cells, dtype="str")).tolist() == [True] * 4 + [False] * 5
    assert scientific_cells(pd.Series(cells, dtype="object")).tolist() == [True] * 4 + [False] * 5
    typed = scientific_cells(pd.Series([1.2e6, 3.0]))  # typed numbers are numbers
    assert typed.dtype == bool and not typed.any()  # a mask, as for text


@pytest.mark.parametrize(("text", "mantissa", "exponent"), [
    ("1.2E+06", 1.2, 6), ("1,2e+06", 1.2, 6), (" 3e5 ", 3, 5), ("2.5e3", 2.5, 3), ("7E0", 7, 0), ("1.25E+2", 1.25, 2),
    ("-1.5e3", -1.5, 3), ("12.34E-1", 12.34, -1), ("8.75e01", 8.75, 1),
])
def test_counts_in_scientific_notation_are_read_and_marked_as_rounded(text, mantissa, exponent):
    parsed = parse_count(pd.Series([text, "500"], dtype="str"))
    assert parsed["value"].iloc[0] == round(mantissa * 10**exponent) and parsed["error"].isna().all()
    assert parsed["scaled"].tolist() == [True, False]  # Excel kept a few significant digits: not an exact count
    in_thousands = parse_count(pd.Series([text], dtype="str"), unit=1000)["value"].iloc[0]
    assert in_thousands == round(mantissa * 10**exponent * 1000)


def test_a_column_of_plain_integers_is_scaled_only_by_a_header_unit_and_keeps_its_index():
    cells = pd.Series(["125", "7"], index=[10, 11], dtype="str")
    assert parse_count(cells)["scaled"].tolist() == [False, False]
    assert parse_count(cells, unit=1000)["scaled"].tolist() == [True, True]
    mixed = pd.Series(["1.234.567", "12", "13", "12,5K"], index=[5, 6, 7, 8], dtype="str")  # half plain integers
    parsed = parse_count(mixed)
    assert list(parsed.index) == [5, 6, 7, 8] and list(parsed.columns) == ["value", "error", "scaled"]
    assert parsed["value"].tolist() == [1_234_567, 12, 13, 12_500]
    assert parsed["scaled"].tolist() == [False, False, False, True]  # only the cell with a unit
    typed = parse_count(pd.Series([4876.0, "12", "13", "14"], dtype="object"))  # an Excel number among plain text
    assert typed["value"].tolist() == [4876, 12, 13, 14] and list(typed.columns) == ["value", "error", "scaled"]


def test_the_column_decimal_mark_is_voted_by_readable_cells_only():
    # "1.234,5K" writes decimals with a comma, so "2,500K" is 2.5K; and the other way round.
    assert parse_count(pd.Series(["1.234,5K", "2,500K"]))["value"].tolist() == [1_234_500, 2_500]
    assert parse_count(pd.Series(["1,234.5K", "2.500K"]))["value"].tolist() == [1_234_500, 2_500]
    # Unreadable cells have no decimal mark: "12,5K" alone decides, so "1.500K" groups thousands.
    parsed = parse_count(pd.Series(["n/a", "abc", "12,5K", "1.500K"]))["value"].tolist()
    assert parsed[2:] == [12_500, 1_500_000] and all(math.isnan(v) for v in parsed[:2])


def test_a_formula_a_date_and_a_long_cell_say_what_they_are():
    parsed = parse_count(pd.Series(["=SUM(A1:A3)", "x" * 50, dt.datetime(2024, 1, 5), "500"], dtype="object"))
    assert parsed["value"].iloc[:3].isna().all() and parsed["value"].iloc[3] == 500
    formula, long, date = parsed["error"].iloc[:3]
    assert formula.startswith("holds a formula (=SUM(A1:A3)) whose result was never saved") and "LibreOffice" in formula
    assert long == f"'{'x' * 40}' is not a number"  # the first 40 characters of a long cell
    days = (dt.datetime(2024, 1, 5) - dt.datetime(1899, 12, 30)).days  # Excel's day number of that date
    assert date.startswith(f"formatted as a date (2024-01-05): the cell stores the number {days:,}")


def test_numbers_from_15_digits_up_and_excel_errors_are_not_read():
    parsed = parse_count(pd.Series(["1000000000000000", "999999999999999", "#DIV/0!", "12.5K"], dtype="str"))
    assert parsed["value"].iloc[[1, 3]].tolist() == [999_999_999_999_999, 12_500]
    assert parsed["error"].iloc[0] == "too large to be a number (more than 15 digits)"  # MAX_NUMBER is 10^15
    assert parsed["error"].iloc[2] == "'#DIV/0!' is an Excel error value (the formula failed)"


def test_a_column_of_typed_numbers_is_read_as_numbers_by_every_parser():
    numbers = pd.Series([4876.0, 12.0])  # float64, as Excel number columns arrive
    assert parse_count(numbers)["value"].tolist() == [4876, 12]
    assert parse_money(numbers)["value"].tolist() == [4876, 12]
    assert parse_ratio(pd.Series([0.035, 0.1]))["value"].tolist() == pytest.approx([0.035, 0.1])


def test_a_header_m_is_miliar_in_rupiah_as_in_cells():
    assert header_unit("Harga (M)", rupiah=True) == 1e9 and header_unit("Harga (M)") == 1e6


@pytest.mark.parametrize("dtype", ["object", "str"])
def test_counts_in_the_header_unit_unless_a_cell_writes_its_own(dtype):
    cells = pd.Series(["125", "12,5", "12.5K", None, "7"], dtype=dtype)
    parsed = parse_count(cells, unit=1000)
    assert parsed["value"].tolist()[:3] == [125_000, 12_500, 12_500] and parsed["value"].iloc[4] == 7_000
    assert parsed["error"].iloc[3] == "empty" and parsed["scaled"].all()
    assert parse_count(pd.Series(["125", "7"], dtype="str"), unit=1000)["value"].tolist() == [125_000, 7_000]
    assert parse_count(pd.Series([12.5, 3], dtype="object"), unit=1000)["value"].tolist() == [12_500, 3_000]


def test_a_header_unit_makes_a_lone_three_digit_group_follow_the_column_decimal_mark():
    dotted = parse_count(pd.Series(["12.5", "4.876", "3.25"], dtype="str"), unit=1000)["value"]
    commas = parse_count(pd.Series(["12,5", "4.876", "3,25"], dtype="str"), unit=1000)["value"]
    assert dotted.tolist() == [12_500, 4_876, 3_250] and commas.tolist() == [12_500, 4_876_000, 3_250]


@pytest.mark.parametrize(("text", "value", "currency"), [
    ("1-1,5jt", 1_250_000, "IDR"), ("Rp 1.500.000 - 2.000.000", 1_750_000, "IDR"), ("Rp 1jt - 2jt", 1_500_000, "IDR"),
    ("500rb s/d 1jt", 750_000, "IDR"), ("Rp 2.000.000 – Rp 3.000.000", 2_500_000, "IDR"), ("$100-200", 150, "USD"),
])
def test_price_ranges_are_read_at_their_midpoint(text, value, currency):
    parsed = parse_money(pd.Series([text, "Rp 1.500.000,-"], dtype="str"))
    assert parsed["value"].tolist() == [value, 1_500_000] and parsed["currency"].iloc[0] == currency
    assert parsed["range"].tolist() == [True, False] and parsed["error"].isna().all()


def test_an_amount_in_an_unknown_unit_names_it():
    parsed = parse_money(pd.Series(["12 xyz", "Rp 5"], dtype="str"))
    assert math.isnan(parsed["value"].iloc[0]) and parsed["error"].iloc[0] == "unknown unit 'xyz'"
    assert parsed["value"].iloc[1] == 5 and pd.isna(parsed["error"].iloc[1])


@pytest.mark.parametrize(("text", "reason"), [
    ("-500", "negative amount"), ("2jt - 1jt", "'2jt - 1jt' is not an amount")])
def test_a_negative_amount_or_a_backwards_range_is_not_read(text, reason):
    parsed = parse_money(pd.Series([text], dtype="str"))
    assert math.isnan(parsed["value"].iloc[0]) and parsed["error"].iloc[0] == reason


def test_amounts_in_the_header_unit():
    parsed = parse_money(pd.Series(["2,5", "Rp 3", "500rb"], dtype="str"), unit=1e6)
    assert parsed["value"].tolist() == [2_500_000, 3_000_000, 500_000]


def test_excel_number_cells_are_never_reread_as_text():
    parsed = parse_count(pd.Series([4876.0, 1234.567, "4.876", 12500], dtype="object"))
    assert parsed["value"].tolist() == [4876.0, 1234.567, 4876.0, 12500.0]


def test_decimal_mark_follows_the_column_with_a_unit():
    # In a column that writes decimals with a dot (12.5K), "1.500K" is 1.5K; elsewhere it groups thousands.
    with_dot_decimals = parse_count(pd.Series(["12.5K", "1.500K", "2.25K"]))["value"].tolist()
    assert with_dot_decimals == [12_500, 1_500, 2_250]
    assert parse_count(pd.Series(["1.500rb", "12,5rb"]))["value"].tolist() == [1_500_000, 12_500]


@pytest.mark.parametrize(("text", "expected"), [
    ("3,5%", 0.035), ("3.5%", 0.035), ("0.035", 0.035), ("0,035", 0.035), ("12%", 0.12), ("100%", 1.0),
])
def test_ratios(text, expected):
    assert parse_ratio(pd.Series([text]))["value"].iloc[0] == pytest.approx(expected)


def test_ratio_cells_that_are_no_rate_say_so():
    parsed = parse_ratio(pd.Series(["abc", "5K", None, "3%"], dtype="object"))
    assert parsed["value"].iloc[:3].isna().all() and parsed["value"].iloc[3] == pytest.approx(0.03)
    assert parsed["error"].iloc[:3].tolist() == ["'abc' is not a rate", "'5k' is not a rate", "empty"]
    with warnings.catch_warnings():  # a column with nothing to read has no median: no numpy warning either
        warnings.simplefilter("error")
        unreadable = parse_ratio(pd.Series(["abc", "n/a"]))
    assert unreadable["error"].tolist() == ["'abc' is not a rate", "'n/a' is not a rate"]


def test_a_rate_has_no_thousands_and_signs_decide_for_the_column():
    assert parse_ratio(pd.Series(["1.250%", "2,5%"]))["value"].tolist() == pytest.approx([0.0125, 0.025])
    # With a "%" in the column, a cell without one is a fraction, whatever the median of all cells.
    assert parse_ratio(pd.Series(["3.5%", "0.035"]))["value"].tolist() == pytest.approx([0.035, 0.035])
    # An empty cell is no "%" sign: the column's only number, 3.5, is read as a percentage.
    assert parse_ratio(pd.Series([None, "3.5"], dtype="object"))["value"].iloc[1] == pytest.approx(0.035)


@pytest.mark.parametrize(("cells", "expected"), [
    (["3.5"], [0.035]), (["1.5"], [0.015]),  # one cell is evidence enough; a median of 1.5 is above 1
    (["0.5", "1", "1.5"], [0.5, 1.0, 1.5]),  # median exactly 1: not above it, so fractions as written
])
def test_the_median_above_one_reads_a_column_as_percentages(cells, expected):
    assert parse_ratio(pd.Series(cells))["value"].tolist() == pytest.approx(expected, rel=1e-12)


def test_excel_numbers_in_a_rate_column():
    # Typed cells with a median above 1 are percentages, all of them (0.5 is 0.5%).
    assert parse_ratio(pd.Series([3.5, 2.1], dtype="object"))["value"].tolist() == pytest.approx([0.035, 0.021],
                                                                                                 rel=1e-12)
    assert parse_ratio(pd.Series([3.5, 0.5], dtype="object"))["value"].tolist() == pytest.approx([0.035, 0.005],
                                                                                                 rel=1e-12)
    # Under a "%" header an Excel percent cell (a fraction, 1.0 = 100%) stays; a number above 1 is a percentage.
    parsed = parse_ratio(pd.Series([1.5, 1.0, 0.035], dtype="object"), percent_header=True)
    assert parsed["value"].tolist() == pytest.approx([0.015, 1.0, 0.035], rel=1e-12)


def test_ratio_column_without_signs_is_read_by_its_evidence():
    assert parse_ratio(pd.Series(["3.5", "2,1", "1"]))["value"].tolist() == pytest.approx([0.035, 0.021, 0.01])
    assert parse_ratio(pd.Series(["0.035", "0.021"]))["value"].tolist() == pytest.approx([0.035, 0.021])
    assert parse_ratio(pd.Series(["0.5", "0.8"]), percent_header=True)["value"].tolist() == pytest.approx(
        [0.005, 0.008])
    # Excel percent cells arrive as fractions.
    assert parse_ratio(pd.Series([0.035, 0.1], dtype="object"))["value"].tolist() == pytest.approx([0.035, 0.1])


@pytest.mark.parametrize(("text", "amount", "currency"), [
    ("Rp 1.500.000", 1_500_000, "IDR"), ("Rp1,5jt", 1_500_000, "IDR"), ("IDR 750K", 750_000, "IDR"),
    ("$1,200", 1_200, "USD"), ("Rp 2 M", 2_000_000_000, "IDR"), ("Rp 2 miliar", 2_000_000_000, "IDR"),
    ("Rp 1.500.000,00", 1_500_000, "IDR"), ("USD 1.5M", 1_500_000, "USD"), ("Rp. 250.000", 250_000, "IDR"),
    ("750rb", 750_000, "IDR"),
])
def test_money(text, amount, currency):
    parsed = parse_money(pd.Series([text]))
    assert parsed["value"].iloc[0] == amount
    assert parsed["currency"].iloc[0] == currency


def test_money_without_marker_takes_the_column_currency():
    parsed = parse_money(pd.Series(["$1,200", "800"], index=[3, 4]))
    assert parsed["currency"].tolist() == ["USD", "USD"] and list(parsed.index) == [3, 4]
    # Empty cells name no currency, so they do not outvote the one that does.
    parsed = parse_money(pd.Series(["$1,200", None, None, "800"], dtype="str"))
    assert parsed["currency"].iloc[[0, 3]].tolist() == ["USD", "USD"] and parsed["currency"].iloc[1:3].isna().all()


def test_a_lone_three_digit_group_in_money_groups_thousands_unless_the_header_states_a_unit():
    # No unit anywhere: "1.500" is 1,500 rupiah even beside "12.5" (a price has no third decimal).
    assert parse_money(pd.Series(["12.5", "1.500"], dtype="str"))["value"].tolist() == [12.5, 1_500]
    # "Harga (juta)": the header's unit counts as written, so the dot is the column's decimal mark, as in "2.5".
    assert parse_money(pd.Series(["1.250", "2.5"], dtype="str"), unit=1e6)["value"].tolist() == [1_250_000, 2_500_000]


def test_price_ranges_in_the_header_unit_with_rupiah_miliar_and_equal_ends():
    ranged = parse_money(pd.Series(["1-1,5", "2"], dtype="str"), unit=1e6)  # "Harga (juta)"
    assert ranged["value"].tolist() == [1_250_000, 2_000_000] and ranged["range"].tolist() == [True, False]
    # The ends are read in the cell's currency: in rupiah "M" is miliar, even with the marker after the numbers.
    assert parse_money(pd.Series(["1M - 2M IDR"], dtype="str"))["value"].iloc[0] == 1.5e9
    assert parse_money(pd.Series(["$1M - 2M"], dtype="str"))["value"].iloc[0] == 1.5e6
    assert parse_money(pd.Series(["1M - 2M"], dtype="str"))["value"].iloc[0] == 1.5e9  # rupiah by default
    same = parse_money(pd.Series(["1jt - 1jt"], dtype="str"))  # a range of one price is that price
    assert same["value"].iloc[0] == 1_000_000 and bool(same["range"].iloc[0]) and same["error"].isna().all()


# The same examples every run (a failure is found again, never one run in ten), and no time limits: on a loaded
# machine (or under mutation testing, where every call goes through mutmut's trampoline) an example may take
# longer than Hypothesis's 200 ms deadline, or its inputs longer than its too-slow health check allows.
STEADY = settings(derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def english(n: int) -> str:
    return f"{n:,}"


def indonesian(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@STEADY
@given(st.lists(st.integers(min_value=1, max_value=9_999_999_999), min_size=1, max_size=30),
       st.sampled_from([english, indonesian, str]))
def test_whole_numbers_read_back_exactly_in_either_style(numbers, style):
    parsed = parse_count(pd.Series([style(n) for n in numbers]))
    assert parsed["value"].tolist() == [float(n) for n in numbers]


@STEADY
@given(st.integers(min_value=1, max_value=9_999), st.integers(min_value=1, max_value=9),
       st.sampled_from([("rb", 1_000), ("K", 1_000), ("jt", 1_000_000), ("M", 1_000_000)]),
       st.sampled_from([",", "."]))
def test_one_decimal_with_unit_reads_back_exactly(whole, tenth, unit, mark):
    text = f"{whole}{mark}{tenth}{unit[0]}"
    expected = (whole * 10 + tenth) * unit[1] / 10
    if whole >= 1000:  # written without grouping, e.g. "1234,5rb"
        assert parse_count(pd.Series([text]))["value"].iloc[0] == pytest.approx(expected)
    else:
        assert parse_count(pd.Series([text]))["value"].iloc[0] == expected


@STEADY
@given(st.lists(st.one_of(st.text(max_size=12), st.floats(allow_nan=True), st.integers(), st.none()), max_size=20))
def test_parsers_never_raise_and_account_for_every_cell(cells):
    series = pd.Series(cells, dtype="object")
    for parse in (parse_count, parse_ratio, parse_money):
        parsed = parse(series)
        assert len(parsed) == len(series)
        assert (parsed["value"].notna() != parsed["error"].notna()).all()
