"""Creator base: a platform's whole creator base (folders of Parquet, one per month) through DuckDB:
tiers per platform and country, ER against the norms, top creators, tier flow, and a shortlist drawn
into an ordinary analysis. Every chart is drawn from aggregates (tiers.engines.base)."""

from ui.base import base_page
from ui.state import guard_entry

guard_entry(__file__)
base_page()
