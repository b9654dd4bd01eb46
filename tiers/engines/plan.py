"""The creator-base plan: tiers, engagement rates, norm bands, verdicts, grades, anomaly flags and the
changes between two snapshots, written once as ibis expressions and run by DuckDB or Spark.

The same rules as the pandas path (tiers/analysis/*), built from the same data files: every tier
bound comes from tiers/schemes/*.toml, every norm band from tiers/norms/*.toml and every flag threshold
from tiers/flags.toml, through their loaders. A scheme or norm file added there is a CASE arm here.
Each expression keeps the pandas path's order of arithmetic, so rates come out bit for bit the same.

The input is a *canonical* table (see `CANONICAL`): the columns a roster's mapping names, typed
(numbers as numbers), with `source_file` and `source_row` telling where each row came from.
"""

from __future__ import annotations

import string

import ibis
import ibis.expr.types as ir

from tiers.analysis.changes import CHANGE_FLAGS, CHANGES, MOVES
from tiers.analysis.engagement import INTERACTIONS, VIEW_PLATFORMS, NormSet
from tiers.analysis.flags import FLAG_RULES, GRADES, rules
from tiers.analysis.schemes import TierScheme
from tiers.reading.columns import _PROFILE_URL, PLATFORMS
from tiers.reading.roster import COUNT_FIELDS, MAX_FOLLOWERS

TEXT = ("platform", "handle", "name", "country")  # country: optional, carried through for the summaries
NUMBERS = ("followers", *COUNT_FIELDS, "engagement_rate")
# The columns every engine reads a creator base into (absent ones are typed nulls).
CANONICAL = {"source_file": "string", "source_row": "int64", **dict.fromkeys(TEXT, "string"),
             **dict.fromkeys(NUMBERS, "float64")}
# A profile link's account, as the spreadsheet path reads it (RE2 and Java regex have no named groups).
PROFILE_URL = _PROFILE_URL.replace("(?P<handle>", "(")
CLASSIFIED = ("source_file", "source_row", "platform", "handle", "name", "country", "followers", *COUNT_FIELDS,
              "engagement_rate_roster", "tier", "engagement_rate", "engagement_rate_computed", "er_basis",
              "er_vs_norm", "norm_low", "norm_high", "verdict", "grade", *FLAG_RULES, "expected_engagements",
              "status", "reason")
QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9)


def _null(kind: str) -> ir.Value:
    return ibis.null(kind)


def _positive(value: ir.NumericValue) -> ir.NumericValue:
    """The value where it is above 0, else null (no denominator is "no data", never 0%)."""
    return ibis.ifelse(value > 0, value, _null("float64"))


def tier_of(followers: ir.NumericValue, scheme: TierScheme) -> ir.StringValue:
    """The scheme's tier of each follower count (lower bounds inclusive; null stays null)."""
    arms = [(followers >= t.min_followers, t.id) for t in reversed(scheme.tiers)]
    return ibis.cases(*arms, else_=_null("string"))


def tier_rank(tier: ir.StringValue, scheme: TierScheme) -> ir.IntegerValue:
    return ibis.cases(*[(tier == t.id, i) for i, t in enumerate(scheme.tiers)], else_=_null("int64"))


def stripped(text: ir.StringValue) -> ir.StringValue:
    """`text.strip()` (Python's whitespace off both ends), run only on the text that has some there: an
    engine's trim reads every character, and most cells have nothing to take off."""
    padded = ibis.or_(*[text.startswith(c) | text.endswith(c) for c in string.whitespace])
    return ibis.ifelse(padded, text.strip(), text)


def clean_handles(t: ir.Table) -> ir.Table:
    """`handle`: '@Rina.id', 'https://instagram.com/rina.id/?hl=en' -> 'rina.id' (case kept); null where
    nothing is left. One step per table projection, so an engine works out each step once a row (an
    expression naming the step before several times would have it worked out as often)."""
    t = t.mutate(handle=stripped(t.handle))
    linked = t.handle.re_extract(PROFILE_URL, 1).nullif("")
    t = t.mutate(handle=ibis.ifelse(t.handle.contains("/"), linked.fill_null(t.handle), t.handle))
    # only a handle written with '@' has one to take off: no regular expression on every other row
    return t.mutate(handle=ibis.ifelse(t.handle.startswith("@"), t.handle.re_replace("^@+", "").strip(),
                                       t.handle).nullif(""))


def interactions(t: ir.Table, components: tuple[str, ...] = INTERACTIONS) -> ir.NumericValue:
    """Sum of the interaction counts present (null when none is), else the row's total engagements."""
    present = ibis.coalesce(*[t[c] for c in components]).notnull()
    total = t[components[0]].fill_null(0)
    for c in components[1:]:
        total = total + t[c].fill_null(0)
    return ibis.ifelse(present, total, _null("float64")).fill_null(t["engagements"])


def _band_case(t: ir.Table, norms: NormSet, column: str) -> ir.NumericValue:
    """`low` or `high` of each row's norm band: its platform's bands, else the set's "all" bands."""
    bands = norms.bands

    def by_followers(rows) -> ir.NumericValue:
        arms = [(t.followers >= float(b.min_followers), float(getattr(b, column)))
                for b in rows.sort_values("min_followers", ascending=False).itertuples()]
        return ibis.cases(*arms, else_=_null("float64"))

    own = [p for p in bands["platform"].unique() if p != "all"]
    general = bands[bands["platform"] == "all"]
    fallback = by_followers(general) if len(general) else _null("float64")
    arms = [(t.platform == p, by_followers(bands[bands["platform"] == p])) for p in own]
    return ibis.cases(*arms, else_=fallback) if arms else fallback


def _reasons(t: ir.Table) -> ir.StringValue:
    """Why a row is not a creator, the first that applies (the spreadsheet path's order), else null."""
    f = t.followers
    arms = [
        (f.isnull(), "column 'followers': no follower count"),
        (f < 0, "column 'followers': negative follower count"),
        (f == 0, "column 'followers': zero followers"),
        (f > MAX_FOLLOWERS, "column 'followers': more than 10 billion followers"),
        (f % 1 != 0, "column 'followers': not a whole number of followers"),
        (~t.platform_text.isin(PLATFORMS),
         "column 'platform': '" + t.platform_text + "' is not one of " + ", ".join(PLATFORMS)),
        (t.handle.isnull() & t.name.isnull(), "no handle or name"),
    ]
    return ibis.cases(*arms, else_=_null("string"))


def _cleaned(t: ir.Table) -> ir.Table:
    """Canonical rows -> cleaned platform and handle, each row's rejection reason (duplicates not yet)
    and `who`, the platform's key of the account (lower-case handle, else name)."""
    text = t.platform.strip().lower().fill_null("other")  # no platform: "other", as a sheet without one
    t = clean_handles(t.mutate(platform_text=text, name=stripped(t.name).nullif(""),
                               country=stripped(t.country).nullif("")))
    return t.mutate(reason=_reasons(t), who=t.handle.fill_null(t.name).lower(),
                    platform=ibis.ifelse(text.isin(PLATFORMS), text, "other"))  # an unknown one is named in the reason


def first_rows(t: ir.Table, keep=lambda small: small) -> ir.Table:
    """Of each platform and handle (or name) that more than one creator row of the canonical rows `t`
    names, the first row in file order (`_file`, `_row`). Never a sort of the whole base: a hash
    aggregate counts the rows of each account (a count is cheap to keep per account), and only the rows
    of the few repeated accounts are compared by (file, row). `keep` holds that small table of repeated
    accounts (an engine's `keep`), so the rows are read again for the second step, never held whole."""
    cleaned = _cleaned(t)
    valid = cleaned.filter(cleaned.reason.isnull())  # a creator row has a handle or name: a `who`
    counted = valid.group_by(["platform", "who"]).agg(_n=valid.count())
    repeated = keep(counted.filter(counted._n > 1).select("platform", "who"))
    rows = valid.select("platform", "who", "source_file", "source_row").semi_join(repeated, ["platform", "who"])
    first = rows.group_by(["platform", "who"]).agg(_first=ibis.struct({"file": rows.source_file,
                                                                       "row": rows.source_row}).min())
    return first.select("platform", "who", _file=first._first["file"], _row=first._first["row"])


def prepare(t: ir.Table, repeated: ir.Table | None = None) -> ir.Table:
    """Canonical rows -> cleaned platform and handle, each row's rejection reason (duplicates too).

    `repeated` is `first_rows(t)`, computed by the caller (an engine keeps that small table, so the
    base is read again, never held whole); without it, it is part of this expression."""
    repeated = first_rows(t) if repeated is None else repeated
    t = _cleaned(t)
    t = t.left_join(repeated, ["platform", "who"]).drop("platform_right", "who_right")
    duplicate = t.reason.isnull() & t._row.notnull() & ((t.source_file != t._file) | (t.source_row != t._row))
    return t.mutate(reason=ibis.ifelse(duplicate, "duplicate of an earlier row (same handle and platform)",
                                       t.reason)).drop("who", "_file", "_row", "platform_text")


def classify(t: ir.Table, scheme: TierScheme, norms: NormSet, repeated: ir.Table | None = None) -> ir.Table:
    """Every canonical row with status, reason, tier, rates, norm band, verdict, grade and flags.

    Rejected rows keep their columns and reason, with no tier or rate (nothing is dropped).
    `repeated`: `first_rows(t)` kept by the engine (see `prepare`)."""
    spec = rules()
    t = prepare(t, repeated).rename(engagement_rate_roster="engagement_rate")
    ok = t.reason.isnull()
    total = interactions(t)
    video = t.platform.isin(VIEW_PLATFORMS)
    per_view = video & (t.views > 0).fill_null(False)
    by_view, by_follower = total / _positive(t.views), total / _positive(t.followers)
    computed = ibis.ifelse(per_view, by_view, by_follower)
    rate = t.engagement_rate_roster.fill_null(computed)
    norm_er = (interactions(t, norms.components) / _positive(t[norms.basis])).fill_null(rate)
    t = t.mutate(
        status=ibis.ifelse(ok, "ok", "rejected"),
        tier=ibis.ifelse(ok, tier_of(t.followers, scheme), _null("string")),
        engagement_rate=ibis.ifelse(ok, rate, _null("float64")),
        engagement_rate_computed=ibis.ifelse(ok, computed, _null("float64")),
        er_basis=ibis.cases((~ok | computed.isnull(), _null("string")), (per_view, "views"), else_="followers"),
        er_vs_norm=ibis.ifelse(ok, norm_er, _null("float64")),
        norm_low=ibis.ifelse(ok, _band_case(t, norms, "low"), _null("float64")),
        norm_high=ibis.ifelse(ok, _band_case(t, norms, "high"), _null("float64")),
        expected_engagements=ibis.ifelse(
            ok, total.fill_null(ibis.ifelse(per_view, t.views, t.followers) * rate), _null("float64")),
        _total=total, _by_view=by_view, _by_follower=by_follower, _ok=ok)
    er, low, high = t.er_vs_norm, t.norm_low, t.norm_high
    factor = spec["grades"]["excellent_factor"]
    own, gap = t.engagement_rate_roster, spec["er_disagrees"]["max_relative_gap"]

    def disagrees(c: ir.NumericValue) -> ir.BooleanValue:
        return ibis.ifelse(c.notnull() & own.notnull(), (own - c).abs() > gap * c, True)

    few = spec["few_comments"]
    flags = {
        "er_far_above_norm": er > spec["er_far_above_norm"]["factor"] * high,
        "few_comments": (t.likes >= few["min_likes"])
        & (t.comments.fill_null(0) < t.likes * few["max_comments_per_1000_likes"] / 1000) & t.comments.notnull(),
        "low_views": t.platform.isin(VIEW_PLATFORMS) & (t.views < spec["low_views"]["max_views_share"] * t.followers),
        "er_disagrees": own.notnull() & (t._by_follower.notnull() | t._by_view.notnull())
        & disagrees(t._by_follower) & disagrees(t._by_view),
    }
    t = t.mutate(
        verdict=ibis.cases((~t._ok, _null("string")), (er.isnull(), "no data"), (low.isnull(), "no norm"),
                           (er < low, "below"), (er > high, "above"), else_="within"),
        grade=ibis.cases((~t._ok | er.isnull() | low.isnull(), _null("string")), (er < low, GRADES[0]),
                         (er <= high, GRADES[1]), (er <= high * factor, GRADES[2]), else_=GRADES[3]),
        **{name: (rule & t._ok).fill_null(False) for name, rule in flags.items()})
    return t.select(*CLASSIFIED)


def tier_summary(classified: ir.Table) -> ir.Table:
    """Per platform and tier: creators, followers, expected engagements and ER quantiles (exact, without
    holding the rates: see `quantiles_of`)."""
    ok = classified.filter(classified.status == "ok")
    sums = ok.group_by(["platform", "tier"]).agg(
        creators=ok.count(), followers=ok.followers.sum(), expected_engagements=ok.expected_engagements.sum())
    er = quantiles_of(ok, ["platform", "tier"], "engagement_rate",
                      {f"er_p{round(q * 100)}": q for q in QUANTILES}).drop("_count")
    return sums.left_join(er, ["platform", "tier"]).drop("platform_right", "tier_right").order_by(["platform", "tier"])


def _accounts(classified: ir.Table) -> ir.Table:
    """A snapshot's creators keyed by platform and lower-case handle (`key`); one without a handle has
    no key, so it is listed (new or dropped) and never matched."""
    ok = classified.filter(classified.status == "ok")
    return ok.select(platform=ok.platform, key=ok.handle.lower(), handle=ok.handle,
                     name=ok.name, followers=ok.followers, er=ok.engagement_rate, source_row=ok.source_row)


# An order statistic's first pass counts values per bucket of 1/BUCKETS (a power of two: scaling is exact)
BUCKETS = 2 ** 14


def _at_ranks(rows: ir.Table, keys: list[str], value: str, ranks: dict) -> ir.Table:
    """Per `keys`: `_count` of the non-null `value` and, for each name in `ranks` (a function of the
    count giving a rank from 0), the value at that rank in ascending order: exact, without holding the
    values (an engine's exact quantile keeps every value of a group in memory). A first pass counts
    the values per bucket (`value` * BUCKETS rounded down, which keeps their order); the small table
    of counts names the buckets holding the ranks; a second pass ranks only the values in those."""
    v = rows.filter(rows[value].notnull())
    v = v.select(*keys, _v=v[value], _b=(v[value] * BUCKETS).floor())
    counts = v.group_by([*keys, "_b"]).agg(_c=v.count())
    running = ibis.cumulative_window(group_by=[counts[k] for k in keys], order_by=counts._b)
    counts = counts.mutate(_before=counts._c.sum().over(running) - counts._c,
                           _count=counts._c.sum().over(group_by=[counts[k] for k in keys]))
    holds = [(counts._before <= rank(counts._count)) & (rank(counts._count) < counts._before + counts._c)
             for rank in ranks.values()]
    wanted = counts.filter(ibis.or_(*holds)).select(*keys, "_b", "_before", "_count")
    picked = v.inner_join(wanted, [*keys, "_b"])
    order = ibis.row_number().over(group_by=[picked[k] for k in (*keys, "_b")], order_by=picked._v)
    picked = picked.mutate(_rank=picked._before + order)
    return picked.group_by(keys).agg(_count=picked._count.max(), **{
        name: picked._v.max(where=picked._rank == rank(picked._count)) for name, rank in ranks.items()})


def median_of(rows: ir.Table, keys: list[str], value: str) -> ir.Table:
    """Per `keys`: `_median` of the non-null `value` (the mean of the two middle values when their
    count is even, as pandas takes it) and `_count`, exactly (see `_at_ranks`)."""
    middle = _at_ranks(rows, keys, value, {"_low": lambda n: (n - 1) // 2, "_high": lambda n: n // 2})
    return middle.select(*keys, "_count", _median=(middle._low + middle._high) / 2)


def quantiles_of(rows: ir.Table, keys: list[str], value: str, quantiles: dict[str, float]) -> ir.Table:
    """Per `keys`: each named quantile of the non-null `value`, interpolated linearly between the values
    at ranks floor(h) and floor(h) + 1, h = q (count - 1) (pandas' default), and `_count`; exact (see
    `_at_ranks`)."""
    def position(n: ir.IntegerValue, q: float) -> ir.FloatingValue:
        return (n - 1).cast("float64") * q

    ranks = {}
    for name, q in quantiles.items():
        ranks[f"{name}_lo"] = lambda n, q=q: position(n, q).floor()
        ranks[f"{name}_hi"] = lambda n, q=q: position(n, q).ceil()
    at = _at_ranks(rows, keys, value, ranks)
    values = {}
    for name, q in quantiles.items():
        low, high = at[f"{name}_lo"], at[f"{name}_hi"]
        values[name] = low + (high - low) * (position(at._count, q) - position(at._count, q).floor())
    return at.select(*keys, "_count", **values)


def _robust_z(accounts: ir.Table, spike: dict) -> ir.Table:
    """`z`: (growth - median) / (1.4826 MAD) within tier and platform, else platform, else all, the
    first grouping with `min_group` kept accounts; the MAD never below `mad_floor`."""
    accounts = accounts.mutate(_all=ibis.literal(0))  # the grouping of all accounts
    kept = accounts.filter(accounts.growth.notnull())
    out = accounts
    levels = [["tier_before", "platform"], ["platform"], ["_all"]]
    for i, keys in enumerate(levels):
        median = median_of(kept, keys, "growth").rename(**{f"_m{i}": "_median", f"_n{i}": "_count"})
        spread = kept.inner_join(median, keys)
        spread = spread.mutate(_d=(spread.growth - spread[f"_m{i}"]).abs())
        mad = median_of(spread, keys, "_d").select(*keys, **{f"_mad{i}": "_median"})
        stats = median.inner_join(mad, keys)
        out = out.left_join(stats, keys, rname="{name}_s").drop(*[f"{k}_s" for k in keys])
        z = (out.growth - out[f"_m{i}"]) / (1.4826 * ibis.greatest(out[f"_mad{i}"], spike["mad_floor"]))
        out = out.mutate(**{f"_z{i}": ibis.ifelse(out[f"_n{i}"] >= spike["min_group"], z, _null("float64"))})
    z = ibis.coalesce(*[out[f"_z{i}"] for i in range(len(levels))])
    return out.mutate(z=z).drop("_all", *[f"_{s}{i}" for i in range(len(levels)) for s in ("m", "n", "mad", "z")])


def changes(before: ir.Table, after: ir.Table, scheme: TierScheme) -> ir.Table:
    """One row per account in either classified snapshot, matched by platform and lower-case handle:
    followers before and after, growth, ER change, tiers, move, kept / new / dropped and the flags."""
    spec = rules()
    b, a = _accounts(before), _accounts(after)
    joined = b.outer_join(a, [b.platform == a.platform, b.key == a.key], lname="{name}_b", rname="{name}_a")
    before, after = joined.source_row_b.notnull(), joined.source_row_a.notnull()  # every creator has a row
    kept = before & after
    rows = joined.select(
        platform=joined.platform_a.fill_null(joined.platform_b), handle=joined.handle_a.fill_null(joined.handle_b),
        name=joined.name_a.fill_null(joined.name_b),
        followers_before=joined.followers_b, followers_after=joined.followers_a,
        er_before=joined.er_b, er_after=joined.er_a,
        change=ibis.cases((kept, CHANGES[0]), (~before, CHANGES[1]), else_=CHANGES[2]),
        row_before=joined.source_row_b, row_after=joined.source_row_a)
    growth = (rows.followers_after - rows.followers_before) / rows.followers_before  # as tiers.analysis.changes
    rows = rows.mutate(growth=ibis.ifelse(rows.change == CHANGES[0], growth, _null("float64")),
                       er_change=rows.er_after - rows.er_before,
                       tier_before=tier_of(rows.followers_before, scheme),
                       tier_after=tier_of(rows.followers_after, scheme))
    step = tier_rank(rows.tier_after, scheme) - tier_rank(rows.tier_before, scheme)
    rows = rows.mutate(move=ibis.cases((rows.change != CHANGES[0], _null("string")), (step > 0, MOVES[0]),
                                       (step == 0, MOVES[1]), else_=MOVES[2]))
    rows = _robust_z(rows, spec["follower_spike"])
    spike, falling, loss = spec["follower_spike"], spec["spike_falling_er"], spec["large_loss"]
    # an account no group is big enough to judge against is judged against no growth, by a fixed bar
    alone = rows.z.isnull() & rows.growth.notnull() & (rows.growth >= spike["alone_min_growth"])
    spiked = (((rows.z > spike["min_z"]) & (rows.growth >= spike["min_growth"])).fill_null(False)
              | alone.fill_null(False))
    er_ratio = rows.er_after / _positive(rows.er_before)
    flags = {"follower_spike": spiked,
             "spike_falling_er": (spiked & (er_ratio <= 1 - falling["min_er_drop"])).fill_null(False),
             "large_loss": (rows.growth <= -loss["min_loss"]).fill_null(False)}
    assert tuple(flags) == CHANGE_FLAGS
    return rows.mutate(**flags)


def tier_flow(accounts: ir.Table) -> ir.Table:
    """Accounts per platform and (tier before, tier after), with 'new' and 'dropped' as the missing side."""
    flow = accounts.select(platform=accounts.platform, source=accounts.tier_before.fill_null("new"),
                           target=accounts.tier_after.fill_null("dropped"))
    return flow.group_by(["platform", "source", "target"]).agg(accounts=flow.count()).order_by(
        ["platform", "source", "target"])
