"""Where the plan runs: DuckDB on this machine (out of core, under a memory limit) or Spark (local mode,
or a cluster by its master URL). Each engine reads Parquet or CSV files, folders or globs into the
plan's canonical table, and writes results as Parquet (partitioned where asked)."""

from __future__ import annotations

import glob
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import ibis
import ibis.expr.types as ir

from tiers.engines.plan import CANONICAL, NUMBERS
from tiers.reading.columns import PLATFORM_OF_ALL, guess_mapping
from tiers.reading.read import RosterError

ENGINES = ("duckdb", "spark")
COUNTRY_HEADERS = ("country", "negara", "country_code", "country code")  # no roster field: a base's own column


def source_files(source: str) -> tuple[list[str], str]:
    """The files a source names (a file, a folder of them or a glob) and their format. A cluster's URL
    (hdfs://, s3a://, ...) is left to Spark to list: CSV when it ends in .csv, else Parquet."""
    if "://" in source:
        return [source], "csv" if source.lower().rstrip("/").endswith(".csv") else "parquet"
    path = Path(source)
    if path.is_dir():
        files = sorted(str(p) for p in path.rglob("*") if p.suffix.lower() in (".parquet", ".csv"))
    else:
        files = sorted(glob.glob(source, recursive=True))
    if not files:
        raise RosterError(f"{source}: no Parquet or CSV file found there")
    kinds = {Path(f).suffix.lower() for f in files}
    if len(kinds) != 1 or not kinds <= {".parquet", ".csv"}:
        raise RosterError(f"{source}: give Parquet files or CSV files (found {', '.join(sorted(kinds))})")
    return files, kinds.pop().lstrip(".")


def canonical(table: ir.Table, mapping: dict[str, str], where: str) -> ir.Table:
    """Rename a read table's columns to the plan's fields (the mapping, else guessed from the column
    names as for a roster's headers) and cast them; an absent field is a typed null column."""
    columns = [c for c in table.columns if c not in ("source_file", "source_row")]
    guessed = {f: header for f, (header, _) in guess_mapping(columns).items()}
    chosen = {**guessed, **{f: h for f, h in mapping.items() if f in CANONICAL}}
    country = next((c for c in columns if c.strip().lower() in COUNTRY_HEADERS), None)
    if "country" not in chosen and country is not None:
        chosen["country"] = country
    missing = [h for f, h in chosen.items() if h not in columns and f in mapping]
    if missing:
        raise RosterError(f"{where}: the mapping names column(s) {', '.join(missing)}, not in the files "
                          f"(columns: {', '.join(columns[:20])})")
    if "followers" not in chosen:
        raise RosterError(f"{where}: no follower column among {', '.join(columns[:20])}; name it with --mapping")
    for f, h in chosen.items():
        kind = table[h].type() if h in columns else None
        if f in NUMBERS and kind is not None and not (kind.is_numeric() or kind.is_null()):
            raise RosterError(f"{where}: column '{h}' ({f}) holds {kind}, not numbers; messy spreadsheet "
                              "text is read by `classify` without --engine")
    values = {}
    for f, kind in CANONICAL.items():
        if f in ("source_file", "source_row"):
            values[f] = table[f].cast(kind)
        elif f in chosen and chosen[f] in columns:
            values[f] = table[chosen[f]].cast(kind)
        elif f == "platform" and mapping.get(PLATFORM_OF_ALL):
            values[f] = ibis.literal(mapping[PLATFORM_OF_ALL], "string")
        else:
            values[f] = ibis.null(kind)
    return table.select(**values)


@dataclass
class Engine:
    """An ibis connection and how it reads and writes files."""

    name: str
    con: object
    session: object = field(default=None, repr=False)
    kept: int = field(default=0, repr=False)  # small tables kept so far (see `keep`)
    spill: str | None = None  # DuckDB's temporary folder (removed on close)

    def read(self, source: str, mapping: dict[str, str]) -> ir.Table:
        files, kind = source_files(source)
        return canonical(self._read(files, kind), mapping, source)

    def _read(self, files: list[str], kind: str) -> ir.Table:
        if self.name == "duckdb":
            listed = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
            if kind == "parquet":
                return self.con.sql(
                    f"SELECT * EXCLUDE (filename, file_row_number), filename AS source_file, "
                    f"file_row_number + 1 AS source_row FROM read_parquet([{listed}], filename = true, "
                    "file_row_number = true, union_by_name = true)")
            # CSV has no row number column: DuckDB reads in order when told to keep it
            return self.con.sql(
                f"SELECT * EXCLUDE (filename), filename AS source_file, "
                f"row_number() OVER (PARTITION BY filename) AS source_row FROM read_csv([{listed}], "
                "filename = true, union_by_name = true, parallel = false)")
        from pyspark.sql import Window
        from pyspark.sql import functions as F

        reader = self.session.read.option("mergeSchema", "true")
        frame = reader.parquet(*files) if kind == "parquet" else reader.csv(files, header=True, inferSchema=True)
        frame = frame.withColumn("source_file", F.input_file_name()).withColumn(
            "_order", F.monotonically_increasing_id())
        frame = frame.withColumn("source_row", F.row_number().over(
            Window.partitionBy("source_file").orderBy("_order"))).drop("_order")
        name = f"base_{abs(hash((tuple(files), kind)))}"
        frame.createOrReplaceTempView(name)
        return self.con.table(name)

    def write(self, expr: ir.Table, path: str, partition_by: tuple[str, ...] = ()) -> None:
        """Parquet: one file, or a hive-partitioned folder (`platform=x/tier=y/...`)."""
        if self.name == "duckdb":
            options = {"partition_by": partition_by, "overwrite_or_ignore": True} if partition_by else {}
            self.con.to_parquet(expr, path, **options)
        else:
            self.con.to_parquet(expr, path, mode="overwrite", **(
                {"partitionBy": list(partition_by)} if partition_by else {}))

    def keep(self, expr: ir.Table) -> ir.Table:
        """A small intermediate table computed once and held by the engine (DuckDB: a temporary
        table; Spark: a cached frame), so the plan built on it reads its inputs again rather than
        holding them whole. It lives as long as the connection (or session)."""
        self.kept += 1
        name = f"kept_{id(self):x}_{self.kept}"
        if self.name == "duckdb":
            return self.con.create_table(name, expr, temp=True)
        self.session.sql(self.con.compile(expr)).cache().createOrReplaceTempView(name)
        return self.con.table(name)

    def fetch(self, expr: ir.Table):
        return self.con.to_pyarrow(expr)

    def written(self, path: str, schema: ibis.Schema | None = None) -> ir.Table:
        """A partitioned folder this engine wrote, with its partition columns; given the `schema` it
        was written with, a local folder of no rows (nothing to partition: no file) is an empty table."""
        if schema is not None and "://" not in path and not any(Path(path).rglob("*.parquet")):
            return ibis.memtable(schema.to_pyarrow().empty_table())
        if self.name == "duckdb":
            pattern = f"{path}/**/*.parquet".replace("'", "''")
            return self.con.sql(f"SELECT * FROM read_parquet('{pattern}', hive_partitioning = true)")
        name = f"written_{abs(hash(str(path)))}"
        self.session.read.parquet(path).createOrReplaceTempView(name)
        return self.con.table(name)

    def close(self) -> None:
        if self.name == "duckdb":
            self.con.disconnect()
            if self.spill:
                shutil.rmtree(self.spill, ignore_errors=True)


def duckdb_engine(memory_limit: str | None = None, threads: int | None = None) -> Engine:
    """DuckDB in this process; past `memory_limit` it spills to a temporary folder (out of core)."""
    spill = tempfile.mkdtemp(prefix="tierscope-duckdb-")
    config = {"temp_directory": spill, "preserve_insertion_order": False}
    if memory_limit:
        config["memory_limit"] = memory_limit
    if threads:
        config["threads"] = threads
    return Engine("duckdb", ibis.duckdb.connect(**config), spill=spill)


def spark_session(master: str | None = None, shuffle_partitions: int = 8):
    """A Spark session: local mode on this machine's cores by default (without its web UI, with
    `shuffle_partitions` for a machine's worth of data), or the cluster at `master`. Under
    spark-submit the master and settings are spark-submit's own."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise RosterError("the spark engine needs pyspark: install it with "
                          "`.venv/bin/pip install -r requirements-dev.txt` (or pip install pyspark==4.0.5)") from None
    builder = SparkSession.builder.appName("tierscope").config("spark.sql.session.timeZone", "UTC")
    submitted = "PYSPARK_GATEWAY_PORT" in os.environ  # spark-submit started this driver
    if master or not submitted:
        builder = builder.master(master or "local[*]")
    if (master or ("" if submitted else "local")).startswith("local"):
        builder = (builder.config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
                   .config("spark.sql.shuffle.partitions", str(shuffle_partitions)))
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def spark_engine(master: str | None = None, session=None) -> Engine:
    session = session or spark_session(master)
    return Engine("spark", ibis.pyspark.connect(session), session)


def connect(name: str, master: str | None = None, memory_limit: str | None = None) -> Engine:
    if name == "duckdb":
        return duckdb_engine(memory_limit)
    if name == "spark":
        return spark_engine(master)
    raise ValueError(f"unknown engine '{name}'; choose one of: pandas, {', '.join(ENGINES)}")



