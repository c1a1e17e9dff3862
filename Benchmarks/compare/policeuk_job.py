"""The national police.uk count done as an analyst would in DuckDB or Polars: read every street
file, take each row's local authority from its LSOA name, keep the rows policed by a force whose
files were read, and count crimes by type, upper-tier authority and month.

  python3 policeuk_job.py duckdb|polars DATA AREAS_CSV OUT_CSV [THREADS]

The authority lookup follows the engine's rules (Sources/Reference/AreaLookup.swift): names as
police.uk spells them ("Herefordshire" for "Herefordshire, County of"), the current code with a
police force first, force names compared without "Police", "Constabulary" or "Police Service".
"""
import csv, os, sys

def force(name):
    for suffix in (" Police Service", " Constabulary", " Police"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    if name.endswith(", City of"):
        name = "City of " + name[: -len(", City of")]
    return name

def lookup(areas_csv):
    rows = list(csv.DictReader(open(areas_csv, newline="")))
    areas = {r["area_code"]: dict(r) for r in rows}
    for r in areas.values():
        if not r["pfa_name"] and r["utla_code"] in areas:
            r["pfa_name"] = areas[r["utla_code"]]["pfa_name"]
    by_name = {}
    rank = lambda r: (2 if r["pfa_name"] else 0) + (1 if r["area_type"] == "lower tier" else 0)
    for r in sorted(areas.values(), key=lambda r: r["area_code"]):
        names = [r["area_name"]] + [r["area_name"][: -len(s)] for s in (", County of", ", City of") if r["area_name"].endswith(s)]
        for n in names:
            if n not in by_name or rank(by_name[n]) < rank(r):
                by_name[n] = r
    return [(n, r["utla_code"], force(r["pfa_name"])) for n, r in by_name.items()]

def main():
    engine, data, areas_csv, out = sys.argv[1:5]
    threads = int(sys.argv[5]) if len(sys.argv) > 5 else os.cpu_count()
    names = lookup(areas_csv)
    # Street files as police.uk publishes them (gzipped, as in the shared national months) or
    # as generate.py writes them (plain).
    gz = any(f.endswith(".csv.gz") for d in os.listdir(data) if os.path.isdir(os.path.join(data, d))
             for f in os.listdir(os.path.join(data, d)))
    pattern = os.path.join(data, "*", "*-street.csv" + (".gz" if gz else ""))
    if engine == "duckdb":
        import duckdb
        con = duckdb.connect(config={"threads": threads, "preserve_insertion_order": False})
        # The lookup in one statement (not row by row), the street files' twelve columns named (no
        # sniffing of the files' dialect and types), the four used read once into a table, the
        # forces whose files were read taken from it, and one grouped query written out.
        con.execute("CREATE TABLE names(la VARCHAR, utla VARCHAR, force VARCHAR)")
        con.execute("INSERT INTO names VALUES " + ", ".join(["(?, ?, ?)"] * len(names)), [v for row in names for v in row])
        con.execute(f"""
            CREATE TABLE crimes AS SELECT "Month" AS month, "Falls within" AS falls, "LSOA name" AS lsoa_name, "Crime type" AS crime_type
            FROM read_csv('{pattern}', header = true, auto_detect = false, columns = {{
                'Crime ID': 'VARCHAR', 'Month': 'VARCHAR', 'Reported by': 'VARCHAR', 'Falls within': 'VARCHAR',
                'Longitude': 'VARCHAR', 'Latitude': 'VARCHAR', 'Location': 'VARCHAR', 'LSOA code': 'VARCHAR',
                'LSOA name': 'VARCHAR', 'Crime type': 'VARCHAR', 'Last outcome category': 'VARCHAR', 'Context': 'VARCHAR'}})""")
        forces = sorted({force(f) for (f,) in con.execute("SELECT DISTINCT falls FROM crimes WHERE falls IS NOT NULL").fetchall()})
        con.execute(f"""
            COPY (SELECT crime_type, n.utla, month, count(*) AS crimes
                  FROM crimes c JOIN names n ON n.la = regexp_replace(c.lsoa_name, ' [^ ]*$', '')
                  WHERE list_contains(?, n.force)
                  GROUP BY ALL ORDER BY ALL) TO '{out}' (HEADER)""", [forces])
    else:
        import polars as pl
        os.environ["POLARS_MAX_THREADS"] = str(threads)
        # The four columns read once (one scan of the files), then the forces and the count from
        # that frame; the local authority name worked out once per distinct LSOA name.
        crimes = pl.scan_csv(pattern, infer_schema=False).select(
            pl.col("Month").alias("month"), pl.col("Falls within").alias("falls"),
            pl.col("LSOA name").alias("lsoa_name").cast(pl.Categorical), pl.col("Crime type").alias("crime_type")).collect()
        forces = {force(f) for f in crimes["falls"].drop_nulls().unique().to_list()}
        table = pl.DataFrame(names, schema=["la", "utla", "force"], orient="row").filter(pl.col("force").is_in(list(forces)))
        lsoas = (crimes.lazy().select(pl.col("lsoa_name").drop_nulls().unique())
                 .with_columns(pl.col("lsoa_name").cast(pl.String).str.replace(r" [^ ]*$", "").alias("la"))
                 .join(table.lazy(), on="la").select("lsoa_name", "utla"))
        result = (crimes.lazy().join(lsoas, on="lsoa_name").group_by(["crime_type", "utla", "month"]).agg(pl.len().alias("crimes"))
                  .sort(["crime_type", "utla", "month"]).collect())
        result.write_csv(out)

if __name__ == "__main__":
    main()
