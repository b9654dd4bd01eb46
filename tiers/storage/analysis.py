"""What an analysis is: everything a user builds on one roster, as plain JSON-able settings.

The file itself is stored apart (by content hash) and so is its parsed roster; `Settings` holds the
choices made on it. Stored and imported settings are checked against one schema (pydantic, from the
field annotations below: every value's type, length and range), so a bad value never reaches a
page: an import with one is refused (`Settings.from_dict`), and a stored one opens with that setting
back at its default (`Settings.readable`, which says which). An unknown key is ignored and a missing
one takes its default, so settings saved by an older version still open.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import math
from dataclasses import dataclass, field
from typing import Annotated, Literal, NotRequired

from pydantic import AfterValidator, Field, StrictBool, StrictFloat, StrictInt, StrictStr, TypeAdapter, ValidationError
from typing_extensions import TypedDict

from tiers.analysis.engagement import DEFAULT_NORMS, all_norm_sets, validate_norms
from tiers.analysis.schemes import DEFAULT_SCHEME, all_schemes
from tiers.presenting.i18n import LANGUAGES
from tiers.reading.columns import CURRENCIES, CURRENCY_OF_ALL, PLATFORM_OF_ALL, PLATFORMS

DEFAULT_ACCENT = "#219ebc"
MAIN = "main"  # the id of an analysis's own roster among its snapshots
CUSTOM_NORMS = "custom"  # the norm set id of the user's own set
NAME_LENGTH = 200  # brand, agency, analysis and norm set names
MAX_ROWS = 10_000_000  # row keys in a shortlist, tags or planner list: more than any roster holds
LOGO_FORMATS = ("PNG", "JPEG")
MAX_LOGO_PIXELS = 4096 * 4096


class SettingsError(ValueError):
    """Settings that do not fit the schema; the message names the first bad setting, `fields` all."""

    def __init__(self, message: str, fields: tuple[str, ...]):
        super().__init__(message)
        self.fields = fields


def _date(text: str) -> str:
    dt.date.fromisoformat(text)  # ValueError: not an ISO date
    return text


def _one_of(choices):
    def check(value: str) -> str:
        if value not in choices():
            raise ValueError(f"'{value[:40]}' is not one of {', '.join(choices())}")
        return value
    return AfterValidator(check)


def _mapping(mapping: dict[str, str]) -> dict[str, str]:
    """A column mapping's own settings (not headers) name what Tierscope knows."""
    if mapping.get(PLATFORM_OF_ALL, PLATFORMS[0]) not in PLATFORMS:
        raise ValueError(f"{PLATFORM_OF_ALL} must be one of {', '.join(PLATFORMS)}")
    if mapping.get(CURRENCY_OF_ALL, CURRENCIES[0]) not in CURRENCIES:
        raise ValueError(f"{CURRENCY_OF_ALL} must be one of {', '.join(CURRENCIES)}")
    return mapping


def _norm_set(data: dict) -> dict:
    try:
        validate_norms(data, "custom norms")
    except (TypeError, KeyError, AttributeError) as error:
        raise ValueError(f"custom norms: {error}") from None
    return data


Name = Annotated[StrictStr, Field(max_length=NAME_LENGTH)]
Text = Annotated[StrictStr, Field(max_length=2_000)]
Key = Annotated[StrictStr, Field(max_length=1_000)]  # a header, a sheet name, a row key
Digest = Annotated[StrictStr, Field(pattern=r"^[0-9a-f]{64}$")]
IsoDate = Annotated[StrictStr, Field(max_length=10), AfterValidator(_date)]
Count = Annotated[StrictInt, Field(ge=0, le=MAX_ROWS)]
Money = Annotated[StrictFloat, Field(ge=0, le=1e15, allow_inf_nan=False)]
Mapping = Annotated[dict[Key, Key], Field(max_length=500), AfterValidator(_mapping)]
Keys = Annotated[list[Key], Field(max_length=MAX_ROWS)]


class Band(TypedDict):
    platform: Annotated[StrictStr, Field(max_length=40)]
    min_followers: Annotated[StrictFloat, Field(ge=0, le=1e13, allow_inf_nan=False)]
    low: Annotated[StrictFloat, Field(ge=0, le=1, allow_inf_nan=False)]
    high: Annotated[StrictFloat, Field(ge=0, le=1, allow_inf_nan=False)]


class NormSetData(TypedDict):
    """A custom norm set, shaped like tiers/norms/*.toml (`NormSet.to_dict`)."""

    id: Name
    name: Name
    source: Text
    year: Annotated[StrictInt, Field(ge=1900, le=2200)]
    er_definition: Text
    basis: Literal["followers", "views"]
    components: Annotated[list[Literal["likes", "comments", "shares", "saves"]], Field(max_length=10)]
    note: NotRequired[Text]
    bands: Annotated[list[Band], Field(min_length=1, max_length=1_000)]


class Filters(TypedDict):
    platforms: Annotated[list[Key], Field(max_length=1_000)]
    niches: Annotated[list[Key], Field(max_length=10_000)]
    cities: Annotated[list[Key], Field(max_length=10_000)]


class PlannerInputs(TypedDict, total=False):
    """The budget planner's last inputs (tiers.analysis.planner.constraints_to_dict)."""

    budget: Money
    objective: Literal["expected_engagements", "reach"]
    tier_min: Annotated[dict[Key, Count], Field(max_length=100)]
    tier_max: Annotated[dict[Key, Count], Field(max_length=100)]
    platform_min: Annotated[dict[Key, Count], Field(max_length=100)]
    platform_max: Annotated[dict[Key, Count], Field(max_length=100)]
    max_share: Annotated[StrictFloat, Field(gt=0, le=1)] | None
    must_include: Keys
    must_exclude: Keys
    by_creator: StrictBool


class Snapshot(TypedDict):
    """A further roster of the same creators at another date, read like the analysis's own."""

    id: Key
    file_name: Annotated[StrictStr, Field(max_length=500)]
    digest: Digest  # of the stored file
    sheet: Key | None
    mapping: Mapping | None
    date: IsoDate


class Results(TypedDict):
    """A campaign's results sheet (one row per post), read by tiers.reading.posts from this sheet."""

    file_name: Annotated[StrictStr, Field(max_length=500)]
    digest: Digest  # of the stored file
    sheet: Key | None


class Compare(TypedDict, total=False):
    before: Key
    after: Key


@dataclass
class Settings:
    sheet: Key | None = None  # None until the file is first read: then the sheet holding the roster
    mapping: Mapping | None = None  # field -> header (every correction), None until first guessed
    scheme: Annotated[StrictStr, _one_of(lambda: list(all_schemes()))] = DEFAULT_SCHEME
    norms: Annotated[StrictStr, _one_of(lambda: [*all_norm_sets(), CUSTOM_NORMS])] = DEFAULT_NORMS
    # A norm set shaped like tiers/norms/*.toml, when the user made one
    custom_norms: Annotated[NormSetData, AfterValidator(_norm_set)] | None = None
    filters: Filters = field(default_factory=lambda: {"platforms": [], "niches": [], "cities": []})
    nano_tags: Annotated[dict[Key, Literal["native", "non-native"]], Field(max_length=MAX_ROWS)] = field(
        default_factory=dict)  # row key -> native / non-native
    # Rupiah per unit of the roster's currency for the rate card, when the user changed it
    idr_per_unit: Annotated[StrictFloat, Field(gt=0, le=1e7, allow_inf_nan=False)] | None = None
    planner: PlannerInputs = field(default_factory=dict)  # the budget planner's last inputs
    shortlist: Keys = field(default_factory=list)  # row keys, in the order chosen
    brand: Name = ""  # the client
    agency: Name = ""
    accent: Annotated[StrictStr, Field(pattern=r"^#[0-9A-Fa-f]{6}$")] = DEFAULT_ACCENT
    logo: Digest | None = None  # SHA-256 of the agency logo's bytes, stored as a file
    lang: Literal[tuple(LANGUAGES)] = "en"  # type: ignore[valid-type]
    roster_date: IsoDate | None = None  # ISO date of the analysis's own roster (None: from its file name)
    # Further rosters of the same creators at other dates, each read like the analysis's own roster.
    snapshots: Annotated[list[Snapshot], Field(max_length=1_000)] = field(default_factory=list)
    compare: Compare = field(default_factory=dict)  # {"before": id, "after": id}; MAIN is the own roster
    declined_matches: Keys = field(default_factory=list)  # name matches the user said are not one account
    results: Results | None = None  # the campaign's results sheet, once one is added

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_dict(cls, data: object) -> Settings:
        """Settings from stored or imported JSON; SettingsError naming a setting that does not fit the
        schema (a wrong type, a string too long, a number out of range, a colour that is not #RRGGBB)."""
        if not isinstance(data, dict):
            raise SettingsError("the settings are not a JSON object", ("settings",))
        try:
            return _SCHEMA.validate_python({k: v for k, v in data.items() if v is not None})
        except ValidationError as error:
            problems = error.errors(include_url=False, include_input=False)
            fields = tuple(dict.fromkeys(str(p["loc"][0]) for p in problems if p["loc"]))
            first = problems[0]
            where = ".".join(str(part) for part in first["loc"][:3])
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise SettingsError(f"the setting '{where}' is not valid: {first['msg'][:200]}{more}", fields) from None

    @classmethod
    def readable(cls, data: object) -> tuple[Settings, tuple[str, ...]]:
        """Stored settings as far as they fit the schema: (settings, the names of the settings that
        did not and are back at their defaults)."""
        try:
            return cls.from_dict(data), ()
        except SettingsError as error:
            if not isinstance(data, dict):
                return cls(), error.fields
            kept = {k: v for k, v in data.items() if k not in error.fields}
            try:
                return cls.from_dict(kept), error.fields
            except SettingsError:
                return cls(), ("settings",)

    @classmethod
    def from_json(cls, text: str) -> Settings:
        return cls.from_dict(json.loads(text))


_SCHEMA = TypeAdapter(Settings)


def check_logo(data: bytes, where: str) -> None:
    """ValueError (meant for the user) unless `data` is a PNG or JPEG image Pillow can open whole,
    of at most MAX_LOGO_PIXELS pixels (checked from its header, before it is decoded)."""
    from PIL import Image, UnidentifiedImageError  # here: opening settings needs no imaging library

    try:
        with Image.open(io.BytesIO(data), formats=LOGO_FORMATS) as image:
            width, height = image.size
            if width * height > MAX_LOGO_PIXELS:
                raise ValueError(f"{where}: the logo is {width} x {height} pixels; at most "
                                 f"{math.isqrt(MAX_LOGO_PIXELS)} x {math.isqrt(MAX_LOGO_PIXELS)} are used")
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValueError(f"{where}: the logo is not a PNG or JPEG image") from None


@dataclass(frozen=True)
class Analysis:
    """A saved analysis: its settings, the file it reads and the version its last save made."""

    id: str
    name: str
    file_name: str
    file_digest: str
    settings: Settings
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    created_by: str = ""  # the signed-in member's email ("" in single-user mode)
    updated_by: str = ""
    reset: tuple[str, ...] = ()  # stored settings that did not fit the schema and were opened at their defaults

    @property
    def client(self) -> str:
        return self.settings.brand


@dataclass(frozen=True)
class Summary:
    """One line of the list of saved work (no settings, no bytes)."""

    id: str
    name: str
    client: str
    file_name: str
    created_at: dt.datetime
    updated_at: dt.datetime
    updated_by: str = ""


def by_client(summaries: list[Summary]) -> list[tuple[str, list[Summary]]]:
    """Analyses grouped by client, each group newest first, the group with the newest work first."""
    groups: dict[str, list[Summary]] = {}
    for summary in sorted(summaries, key=lambda s: s.updated_at, reverse=True):
        groups.setdefault(summary.client, []).append(summary)
    return list(groups.items())
