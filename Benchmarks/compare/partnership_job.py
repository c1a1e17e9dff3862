"""The partnership's own job (`profiler build --tables-only`) redone in DuckDB or Polars, from the
same definitions: every source's CSV read once and parsed as its YAML says (code lists, dates,
flags, LSOAs and postcodes through the drop's reference), people pseudonymised with the linkage key
and linked as the engine links them, then every table of every profile and each profile's success
measures and how it compares with other authorities computed from the profile files, not written
by hand. An analyst who edits a profile gets the edited tables here too.

  python3 partnership_job.py duckdb|polars DROP KEY_FILE OUT_DIR [THREADS]

Writes OUT_DIR/<profile>/<table>.csv with the engine's column headings; counts as whole numbers,
rates and shares unrounded (the comparison rounds them as the engine prints them).

The semantics followed, and where they live in the engine:
- parsing: Sources/Ingest/Source/FieldBuilder.swift (values trimmed of spaces and tabs; code lists
  exact entry then longest PREFIX* entry, unknown codes rejected, kept or labelled; flags through
  the source's yes/no words, blank = no; a row failing any field is rejected);
- places: Sources/Ingest/Reference/ReferenceData.swift (LSOA codes and 2021 aliases; postcodes
  normalised; outside the area / unknown place / not recorded);
- people: Sources/Ingest/People/PersonLinker.swift (a valid NHS number first; a row without one
  takes the one NHS number its local id, else its match key, is seen with; else the match key
  (surname, first initial, date of birth); else the local id). Pseudonyms here are the first 64
  bits of sha256(key || domain || identifier) in DuckDB, the first 60 bits of the same through
  polars-hash in Polars: another function than the engine's HMAC, partitioning people alike;
  A local id is keyed by its `system:` (sources of one system share ids), else by its source. Exact
  keys only: the engine's `method: probabilistic` (profiles/linkage.yaml) is not implemented, so
  the engine is compared built with `method: exact` (partnership.sh);
- tables: Sources/Profiles (events of each set concatenated, rows listed for every value of month,
  age band (profiles/codes/bands.yaml), ward, locality and decile breakdowns when any of the
  table's sources is in the drop, measures per financial year). `ward_with_site` keeps rows whose
  LSOA's ward has a service site of the category (reference/services.csv); `also_in` keeps rows
  whose person has an event of the named sets in the same financial year (a semi-join with those
  sets' (person, year) pairs, made once per list); `sites:` counts the category's sites in the row's
  area; `mean:` averages a field (a date: days from the row's date, blank when before it). The
  columns after the measures (each area's rate against the whole area, also allowing for age; the
  residents or children; a mean's interval) and the measures of success's tests of change are put
  together from each job's counts by partnership_tables.py with partnership_stats.py;
- not implemented: a source's `join:` (the SSDA903 return, optional and absent from generated
  drops): the jobs stop if a drop has such a source's files;
- benchmark and benchmark_areas: Sources/Benchmarking, from profiles/benchmarks and the comparator
  files (partnership_benchmark.py, shared by both jobs; each job counts the local events of the
  published period and finds the dates its extracts cover).
"""
import csv, datetime, gzip, os, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import partnership_defs as D
from partnership_benchmark import BenchmarkTables
from partnership_tables import SuccessValues, finish_table, success_table
import partnership_stats as S

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../.."))


def q(name):
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def lit(s):
    return "'" + str(s).replace("'", "''") + "'"


def lits(values):
    return "(" + ", ".join(lit(v) for v in values) + ")"


def sql_list(values):
    return "[" + ", ".join(lit(v) for v in values) + "]"


# ---------------------------------------------------------------------------------------------
# DuckDB: parsing expressions generated from the source definitions
# ---------------------------------------------------------------------------------------------

FIXED = {"yyyy": ("%Y", 4), "MMM": ("%b", 3), "MM": ("%m", 2), "dd": ("%d", 2), "HH": ("%H", 2), "mm": ("%M", 2), "ss": ("%S", 2)}


def date_tokens(pattern):
    """The pattern's tokens: ('tok', 'yyyy') or ('lit', c), as DatePattern.swift reads them."""
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "'":
            j = pattern.index("'", i + 1)
            out += [("lit", ch) for ch in pattern[i + 1:j]]
            i = j + 1
            continue
        if not c.isalpha():
            out.append(("lit", c))
            i += 1
            continue
        n = 1
        while i + n < len(pattern) and pattern[i + n] == c:
            n += 1
        out.append(("tok", c * n))
        i += n
    return out


def duck_date(v, pattern):
    """(DATE expression, validity expression) for a trimmed text `v`. In the validity expression
    {V} stands for the parsed value's column; a value outside 1800-2200 is invalid."""
    tokens = date_tokens(pattern)
    if all(t[0] == "lit" or t[1] in FIXED for t in tokens):
        # Fixed width: strptime, and the exact length (strptime alone also takes 1-digit days).
        fmt = "".join(FIXED[t[1]][0] if t[0] == "tok" else t[1].replace("%", "%%") for t in tokens)
        width = sum(FIXED[t[1]][1] if t[0] == "tok" else 1 for t in tokens)
        parsed = f"CASE WHEN length({v}) = {width} THEN try_strptime({v}, {lit(fmt)})::DATE END"
        return parsed, f"({v} = '' OR year({{V}}) BETWEEN 1800 AND 2200)"
    # Otherwise a regular expression with the engine's rules (two-digit years pivot at 70).
    groups, regex = [], ""
    for kind, t in tokens:
        if kind == "lit":
            regex += "\\" + t if not t.isalnum() else t
            continue
        g = {"yyyy": r"(\d{4})", "yy": r"(\d{2})", "MM": r"(\d{2})", "M": r"(\d\d?)", "MMM": r"([A-Za-z]{3})", "dd": r"(\d{2})",
             "d": r"(\d\d?)", "HH": r"(\d{2})", "H": r"(\d\d?)", "mm": r"(\d{2})", "ss": r"(\d{2})"}[t]
        regex += g
        groups.append(t)
    names = [f"g{i}" for i in range(len(groups))]
    m = f"regexp_extract({v}, {lit('^' + regex + '$')}, {sql_list(names)})"
    parts = {}
    for name, t in zip(names, groups):
        x = f"{m}.{name}"
        if t == "MMM":
            parts["month"] = f"(strpos('janfebmaraprmayjunjulaugsepoctnovdec', lower({x})) + 2) // 3"
        elif t in ("yyyy",):
            parts["year"] = f"TRY_CAST({x} AS INTEGER)"
        elif t == "yy":
            parts["year"] = f"(CASE WHEN TRY_CAST({x} AS INTEGER) < 70 THEN 2000 ELSE 1900 END + TRY_CAST({x} AS INTEGER))"
        elif t in ("MM", "M"):
            parts["month"] = f"TRY_CAST({x} AS INTEGER)"
        elif t in ("dd", "d"):
            parts["day"] = f"TRY_CAST({x} AS INTEGER)"
        elif t in ("HH", "H"):
            parts.setdefault("checks", []).append(f"TRY_CAST({x} AS INTEGER) < 24")
        else:
            parts.setdefault("checks", []).append(f"TRY_CAST({x} AS INTEGER) < 60")
    y, mo, d = parts["year"], parts["month"], parts.get("day", "1")
    month_name_ok = "TRUE" if "MMM" not in groups else f"strpos('janfebmaraprmayjunjulaugsepoctnovdec', lower({m}.{names[groups.index('MMM')]})) % 3 = 1"
    dim = f"CASE WHEN {mo} = 2 THEN CASE WHEN ({y} % 4 = 0 AND {y} % 100 <> 0) OR {y} % 400 = 0 THEN 29 ELSE 28 END WHEN {mo} IN (4, 6, 9, 11) THEN 30 ELSE 31 END"
    ok = " AND ".join([f"regexp_full_match({v}, {lit(regex)})", month_name_ok, f"{mo} BETWEEN 1 AND 12", f"{y} BETWEEN 1800 AND 2200",
                       f"{d} BETWEEN 1 AND {dim}"] + parts.get("checks", []))
    value = f"CASE WHEN {ok} THEN make_date({y}, {mo}, {d}) END"
    return value, f"({v} = '' OR {{V}} IS NOT NULL)"


def duck_code(v, codes):
    """(label expression or NULL, validity expression) of a code through a code list."""
    if codes is None:
        return f"NULLIF({v}, '')", "TRUE"
    whens, exact = [], codes.exact()
    by_label = {}
    for code, label in exact:
        by_label.setdefault(label, []).append(code)
    for label, cs in by_label.items():
        whens.append(f"WHEN {v} IN {lits(cs)} THEN {lit(label) if label else 'NULL'}")
    for prefix, label in codes.prefixes():
        whens.append(f"WHEN starts_with({v}, {lit(prefix)}) THEN {lit(label) if label else 'NULL'}")
    known = f"({v} IN {lits([c for c, _ in exact])}" + "".join(f" OR starts_with({v}, {lit(p)})" for p, _ in codes.prefixes()) + ")"
    if codes.unknown == "reject":
        unknown, ok = "NULL", known
    elif codes.unknown == "keep":
        unknown, ok = f"NULLIF({v}, '')", "TRUE"
    else:
        unknown, ok = lit(codes.unknown[1]), "TRUE"
    return f"CASE {' '.join(whens)} ELSE {unknown} END", ok


def duck_field(src, f, v, joins):
    """(value expression, validity expressions) of one field; a lookup it needs is added to `joins`."""
    if f.null_values:
        v = f"(CASE WHEN {v} IN {lits(f.null_values)} THEN '' ELSE {v} END)"
    required = f"{v} <> ''" if f.required else None
    checks = [required] if required else []
    t = f.type
    if t == "text":
        return f"NULLIF({v}, '')", checks
    if t == "code":
        codes = src.code_lists.get(f.codes) if f.codes else None
        value, ok = duck_code(v, codes)
        if codes is None:
            return value, checks
        return value, checks + [ok]
    if t == "codes":
        codes = src.code_lists.get(f.codes) if f.codes else None
        parts = f"list_filter(list_transform(string_split({v}, {lit(f.separator)}), lambda x: trim(x, ' ' || chr(9))), lambda x: x <> '')"
        value, ok = duck_code("x", codes)
        labels = f"list_sort(list_distinct(list_filter(list_transform({parts}, lambda x: {value}), lambda x: x IS NOT NULL)))"
        return labels, checks + ([f"coalesce(list_bool_and(list_transform({parts}, lambda x: {ok})), TRUE)" if ok != "TRUE" else "TRUE"])
    if t == "integer":
        within = f" AND {{V}} BETWEEN {f.range[0]} AND {f.range[1]}" if f.range else ""
        return (f"CASE WHEN {v} <> '' THEN TRY_CAST({v} AS BIGINT) END",
                checks + [f"({v} = '' OR ({{V}} IS NOT NULL AND regexp_full_match({v}, '[+-]?[0-9]+'){within}))"])
    if t == "decimal":
        return (f"CASE WHEN {v} <> '' THEN TRY_CAST(replace({v}, ',', '') AS DOUBLE) END",
                checks + [f"({v} = '' OR {{V}} IS NOT NULL)"])
    if t == "date":
        value, ok = duck_date(v, f.format)
        return value, checks + [ok]
    if t == "flag":
        yes = [y.upper() for y in src.yes]
        no = [n.upper() for n in src.no]
        value = f"CASE WHEN upper({v}) IN {lits(yes)} THEN 1 WHEN upper({v}) IN {lits(no)} THEN 0 END"
        return value, checks + [f"({v} = '' OR {{V}} IS NOT NULL)"]
    if t == "lsoa":
        a = f"a_{len(joins)}"
        joins.append(f"LEFT JOIN lsoa_codes {a} ON {a}.code = {v}")
        value = (f"CASE WHEN {v} = '' THEN '#missing' ELSE coalesce({a}.lsoa, "
                 f"CASE WHEN regexp_full_match({v}, '[EW]01[0-9]{{6}}') THEN '#outside' ELSE '#unknown' END) END")
        return value, checks
    if t == "postcode":
        s = f"upper(replace(replace({v}, ' ', ''), chr(9), ''))"
        norm = f"(left({s}, length({s}) - 3) || ' ' || right({s}, 3))"
        a = f"a_{len(joins)}"
        joins.append(f"LEFT JOIN postcodes {a} ON {a}.postcode = {norm}")
        value = (f"CASE WHEN {v} = '' THEN '#missing' WHEN NOT regexp_full_match({s}, '[A-Z][A-Z0-9]{{1,3}}[0-9][A-Z]{{2}}') THEN '#unknown' "
                 f"ELSE coalesce({a}.lsoa, '#outside') END")
        return value, checks
    raise ValueError(f"unknown type {t}")


NHS_WEIGHTS = range(10, 1, -1)


def duck_nhs_number(n):
    """The raw value without spaces, tabs and hyphens as a number, when it is ten digits and not one
    digit repeated (else NULL)."""
    return f"CASE WHEN regexp_full_match({n}, '[0-9]{{10}}') AND {n} <> repeat(left({n}, 1), 10) THEN {n}::UBIGINT END"


def duck_nhs_valid(x):
    """Whether the number `x` is a valid NHS number, as Identifiers.nhsNumber checks it: the
    modulus-11 check digit and an issued range (or the test range 999)."""
    s = " + ".join(f"(({x} // {10 ** (9 - i)}) % 10) * {10 - i}" for i in range(9))
    check = f"((11 - ({s}) % 11) % 11)"
    prefix = f"({x} // 10000000)"
    return (f"({check} <> 10 AND {check} = {x} % 10 AND ({prefix} BETWEEN 10 AND 311 OR {prefix} BETWEEN 320 AND 399 OR "
            f"{prefix} BETWEEN 400 AND 499 OR {prefix} BETWEEN 600 AND 799 OR {prefix} = 999))")


def duck_name(v, first=False):
    n = f"regexp_replace(upper(strip_accents({v})), '[^\\p{{L}}]', '', 'g')"
    return f"left({n}, 1)" if first else n


class DuckJob(SuccessValues, BenchmarkTables):
    def __init__(self, drop, key, threads):
        import duckdb
        self.con = duckdb.connect(config={"threads": threads, "preserve_insertion_order": False})
        self.drop = drop
        self.key = key
        self.defs = D.Definitions(ROOT)
        self.ref = D.Reference(drop, ROOT)

    def x(self, sql):
        return self.con.execute(sql)

    def pseudonym(self, clear):
        return f"('0x' || left(sha256({lit(self.key)} || {clear}), 16))::UBIGINT"

    def load_reference(self):
        """Each lookup in one statement, its columns passed as lists (not row by row)."""
        c = self.con

        def load(name, columns, rows, key=None):
            types = ", ".join(f"{n} {t}" for n, t in columns)
            c.execute(f"CREATE TABLE {name}({types}{f', PRIMARY KEY ({key})' if key else ''})")
            if rows:
                lists = [list(col) for col in zip(*rows)]
                unnest = ", ".join(f"unnest(?::{t}[])" for _, t in columns)
                c.execute(f"INSERT INTO {name} SELECT {unnest}", lists)

        load("lsoa_codes", [("code", "VARCHAR"), ("lsoa", "VARCHAR")], [(k, self.ref.canonical(k)[0]) for k in self.ref.code], key="code")
        load("postcodes", [("postcode", "VARCHAR"), ("lsoa", "VARCHAR")], list(self.ref.postcode.items()), key="postcode")
        seen = set()
        rows = []
        for r in self.ref.area_rows():
            if r[0] not in seen:
                seen.add(r[0])
                rows.append(r)
        load("geo", [("lsoa", "VARCHAR"), ("ward", "VARCHAR"), ("locality", "VARCHAR"), ("decile", "VARCHAR"), ("residents", "BIGINT"),
                     ("children", "BIGINT")], rows)

    def load_source(self, src):
        files = src.files(self.drop)
        if not files:
            return False
        if src.join:
            raise SystemExit(f"profiles/sources/{src.id}.yaml: join: is not implemented by this harness")
        # The header from the first line (the files' dialect is known: one sniff, of the data read).
        with (gzip.open(files[0], "rt", newline="", encoding="utf-8-sig") if files[0].endswith(".gz")
              else open(files[0], newline="", encoding="utf-8-sig")) as f:
            columns = next(csv.reader(f), [])
        used = {}

        def col(name, mode="trim"):
            if name not in columns:
                raise SystemExit(f"{files[0]}: no column {name} named by profiles/sources/{src.id}.yaml")
            key = (name, mode)
            if key not in used:
                used[key] = f"c{len(used)}"
            return used[key]

        # Layer 2: every value parsed once; layer 3: the row's checks, identities; layer 4: ages.
        values, checks, joins, kept = [], [], [], []
        for f in src.all_fields():
            # An optional field whose column the file lacks is blank.
            raw_col = "''" if (f.optional and f.column not in columns) else col(f.column)
            value, ok = duck_field(src, f, raw_col, joins)
            values.append(f"{value} AS {q(f.name)}")
            checks += [c.replace("{V}", q(f.name)) for c in ok if c != "TRUE"]
            kept.append(q(f.name))
        date_field = next((f for f in src.fields if f.name == "date" and f.type == "date"), None)
        for r in src.roles:
            ident = r.identity
            nx, dob0, sur, ini = (q(f"{r.name}#{k}") for k in ("nx", "dob0", "sur", "ini"))
            values.append(f"{duck_nhs_number(col(ident['nhs_number'], mode='nhs'))} AS {nx}" if "nhs_number" in ident else f"NULL::UBIGINT AS {nx}")
            values.append(f"{duck_date(col(ident['date_of_birth']), r.dob_format)[0]} AS {dob0}" if "date_of_birth" in ident else f"NULL::DATE AS {dob0}")
            if all(k in ident for k in ("surname", "forename", "date_of_birth")):
                values += [f"{duck_name(col(ident['surname']))} AS {sur}", f"{duck_name(col(ident['forename']), first=True)} AS {ini}"]
            else:
                values += [f"NULL::VARCHAR AS {sur}", f"NULL::VARCHAR AS {ini}"]
            dob = f"CASE WHEN year({dob0}) BETWEEN 1800 AND 2200 THEN {dob0} END"
            kept.append(f"CASE WHEN {duck_nhs_valid(nx)} THEN lpad({nx}::VARCHAR, 10, '0') END AS {q(r.name + '#nhs')}")
            kept.append(f"CASE WHEN {sur} <> '' AND {ini} <> '' AND year({dob0}) BETWEEN 1800 AND 2200 THEN "
                        f"{sur} || chr(31) || {ini} || chr(31) || strftime({dob0}, '%Y-%m-%d') END AS {q(r.name + '#mk')}")
            if "local_id" in ident:
                lid = col(ident["local_id"])
                kept.append(f"CASE WHEN {lid} <> '' THEN {lit(r.local_system or src.id)} || chr(31) || {lid} END AS {q(r.name + '#lk')}")
            else:
                kept.append(f"NULL::VARCHAR AS {q(r.name + '#lk')}")
            kept.append(f"{dob} AS {q(r.name + '#dob')}")
        # Spaces and tabs trimmed (only where there are any: trimming every value doubles the read).
        trim = lambda x: (f"CASE WHEN starts_with({x}, ' ') OR ends_with({x}, ' ') OR contains({x}, chr(9)) "
                          f"THEN trim({x}, ' ' || chr(9)) ELSE coalesce({x}, '') END")
        raw = ", ".join((trim(q(n)) if mode == "trim" else f"replace(replace(replace(coalesce({q(n)}, ''), ' ', ''), '-', ''), chr(9), '')")
                        + f" AS {a}" for (n, mode), a in used.items())
        ages = []
        if date_field:
            for r in src.roles:
                if r.has_birth_date:
                    b, e = q(r.name + "#dob"), q("date")
                    ages.append(f"CASE WHEN {b} <= {e} THEN year({e}) - year({b}) - CASE WHEN month({e}) < month({b}) OR "
                                f"(month({e}) = month({b}) AND day({e}) < day({b})) THEN 1 ELSE 0 END END AS {q(r.name + '.age_at_event')}")
        where = " AND ".join(f"coalesce({c}, FALSE)" for c in checks) or "TRUE"
        file_list = "[" + ", ".join(lit(f) for f in files) + "]"
        # The parsed values are materialised before the checks, so that the optimiser does not
        # push the checks down and parse every value twice.
        self.x(f"""CREATE TABLE parsed_{src.id} AS
            WITH p AS MATERIALIZED (
                SELECT r.*, {', '.join(values)} FROM (
                  SELECT {raw} FROM read_csv({file_list}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
                                             columns = {{{', '.join(f"{lit(c)}: 'VARCHAR'" for c in columns)}}})
                ) r {' '.join(joins)})
            SELECT *{(', ' + ', '.join(ages)) if ages else ''} FROM (SELECT {', '.join(kept)} FROM p WHERE {where})""")
        return True

    def link(self, loaded):
        """Bridges, then each role's person: sha256 of the key it is linked by."""
        pairs = []
        for src in loaded:
            for r in src.roles:
                pairs.append(f"SELECT {q(r.name + '#nhs')} AS nhs, {q(r.name + '#mk')} AS mk, {q(r.name + '#lk')} AS lk "
                             f"FROM parsed_{src.id} WHERE {q(r.name + '#nhs')} IS NOT NULL")
        self.x(f"CREATE TABLE seen_with_nhs AS {' UNION ALL '.join(pairs) if pairs else 'SELECT NULL::VARCHAR nhs, NULL::VARCHAR mk, NULL::VARCHAR lk'}")
        self.x("CREATE TABLE bridge_local AS SELECT lk, min(nhs) AS nhs FROM seen_with_nhs WHERE lk IS NOT NULL GROUP BY lk HAVING count(DISTINCT nhs) = 1")
        self.x("CREATE TABLE bridge_match AS SELECT mk, min(nhs) AS nhs FROM seen_with_nhs WHERE mk IS NOT NULL GROUP BY mk HAVING count(DISTINCT nhs) = 1")
        # Each record's clear key first; then each distinct key hashed once (a person's records
        # share it) and joined back.
        clears = []
        for src in loaded:
            persons, joins, drop = [], [], []
            for i, r in enumerate(src.roles):
                n, m, l = (q(f"{r.name}#{k}") for k in ("nhs", "mk", "lk"))
                joins.append(f"LEFT JOIN bridge_local bl{i} ON bl{i}.lk = t.{l} LEFT JOIN bridge_match bm{i} ON bm{i}.mk = t.{m}")
                clear = (f"CASE WHEN t.{n} IS NOT NULL THEN 'N' || t.{n} WHEN bl{i}.nhs IS NOT NULL THEN 'N' || bl{i}.nhs "
                         f"WHEN bm{i}.nhs IS NOT NULL THEN 'N' || bm{i}.nhs WHEN t.{m} IS NOT NULL THEN 'M' || t.{m} "
                         f"WHEN t.{l} IS NOT NULL THEN 'L' || t.{l} END")
                persons.append(f"{clear} AS {q(r.name + '#clear')}")
                clears.append(f"SELECT {q(r.name + '#clear')} AS clear FROM clear_{src.id}")
                drop += [f"{r.name}#{k}" for k in ("nhs", "mk", "lk", "dob")]
            exclude = f" EXCLUDE ({', '.join(q(d) for d in drop)})" if drop else ""
            self.x(f"CREATE TABLE clear_{src.id} AS SELECT t.*{exclude}{''.join(', ' + p for p in persons)} FROM parsed_{src.id} t {' '.join(joins)}")
            self.x(f"DROP TABLE parsed_{src.id}")
        union = " UNION ".join(clears) if clears else "SELECT NULL::VARCHAR AS clear"
        self.x(f"CREATE TABLE ids AS SELECT clear, {self.pseudonym('clear')} AS id FROM ({union}) WHERE clear IS NOT NULL")
        for src in loaded:
            ids = [f"i{i}.id AS {q(r.name)}" for i, r in enumerate(src.roles)]
            joins = [f"LEFT JOIN ids i{i} ON i{i}.clear = t.{q(r.name + '#clear')}" for i, r in enumerate(src.roles)]
            exclude = f" EXCLUDE ({', '.join(q(r.name + '#clear') for r in src.roles)})" if src.roles else ""
            self.x(f"CREATE TABLE {q(src.id)} AS SELECT t.*{exclude}{''.join(', ' + p for p in ids)} FROM clear_{src.id} t {' '.join(joins)}")
            self.x(f"DROP TABLE clear_{src.id}")
        self.x("DROP TABLE ids")

    def run(self, out):
        self.load_reference()
        loaded = [s for s in self.defs.sources.values() if self.load_source(s)]
        self.tables = {s.id for s in loaded}
        self.link(loaded)
        last = max(self.x(f"SELECT max(date) FROM {q(s.id)}").fetchone()[0] or datetime.date(1970, 1, 1) for s in loaded)
        self.year = D.latest_complete(last)
        self.cur, self.prev = D.financial_year(self.year), D.financial_year(self.year - 1)
        self.labels = D.period_labels(self.year)
        for p in self.defs.profiles:
            os.makedirs(os.path.join(out, p.id), exist_ok=True)
            for t in p.tables:
                header, rows = self.table(p, t)
                write(os.path.join(out, p.id, t.id + ".csv"), header, rows)
            header, rows = self.success(p)
            write(os.path.join(out, p.id, "success_measures.csv"), header, rows)
            for table_id, header, rows in self.benchmark_tables(p):
                write(os.path.join(out, p.id, table_id + ".csv"), header, rows)

    # --- events ---

    def types(self, es):
        return self.defs.sources[es.source].output_types()

    def condition(self, es, cond):
        field, test, arg = cond
        t = self.types(es).get(field)
        c = f"t.{q(field)}"
        if t is None:
            return "FALSE"
        if test in ("present", "blank"):
            present = {"codes": f"len({c}) > 0", "lsoa": f"{c} <> '#missing'", "postcode": f"{c} <> '#missing'"}.get(t, f"{c} IS NOT NULL")
            return present if test == "present" else f"NOT ({present})"
        if test == "wardWithSite":
            # The LSOAs whose ward has a site of the categories (reference data, a short list).
            lsoas = self.ref.wards_with_site(arg) if t in ("lsoa", "postcode") else []
            return f"{c} IN {lits(lsoas)}" if lsoas else "FALSE"
        if t in ("text", "code") and test in ("oneOf", "noneOf"):
            hit = f"coalesce(lower({c}) IN {lits(sorted({a.lower() for a in arg}))}, FALSE)"
            return hit if test == "oneOf" else f"NOT {hit}"
        if t == "flag" and test in ("oneOf", "noneOf"):
            words = {a.lower() for a in arg}
            yes, no = bool(words & {"yes", "y", "true"}), bool(words & {"no", "n", "false"})
            hit = f"coalesce(({c} = 1 AND {str(yes).upper()}) OR ({c} = 0 AND {str(no).upper()}), FALSE)"
            return hit if test == "oneOf" else f"NOT {hit}"
        if t == "codes" and test == "anyOf":
            return f"list_has_any(list_transform({c}, lambda x: lower(x)), {sql_list(sorted({a.lower() for a in arg}))})"
        if t == "integer" and test == "atLeast":
            return f"coalesce({c} >= {arg}, FALSE)"
        if t == "integer" and test == "atMost":
            return f"coalesce({c} <= {arg}, FALSE)"
        if t == "integer" and test == "between":
            return f"coalesce({c} BETWEEN {arg[0]} AND {arg[1]}, FALSE)"
        return "FALSE"

    def dim(self, es, d, joins, i):
        """A breakdown's label for a row of the set (a list for a set-valued field)."""
        kind, field = d[0], d[1]
        t = self.types(es).get(field) if field else None
        c = f"t.{q(field)}" if field else None
        if kind == "agency":
            return lit(es.agency)
        if kind == "field":
            if t in ("text", "code"):
                return f"coalesce({c}, 'Not recorded')"
            if t == "flag":
                return f"CASE {c} WHEN 1 THEN 'Yes' WHEN 0 THEN 'No' ELSE 'Not recorded' END"
            if t == "codes":
                return f"CASE WHEN len({c}) = 0 THEN ['None recorded'] ELSE {c} END"
            return "'Not recorded'"
        if kind == "month":
            if t != "date":
                return "'Not recorded'"
            first, last = D.month_labels(self.year)[0][0], D.month_labels(self.year)[-1]
            return (f"CASE WHEN {c} IS NULL OR {c} < DATE {lit(first)} THEN 'Not recorded' WHEN {c} >= DATE {lit(last[0])} THEN {lit(last[1])} "
                    f"ELSE strftime({c}, '%Y-%m') END")
        if kind == "band":
            if t != "integer":
                return "'Not recorded'"
            # The first band holding the value, else the last one (profiles/codes/bands.yaml).
            bands = self.defs.bands[d[2]]
            whens = " ".join(f"WHEN {c} BETWEEN {lo} AND {hi} THEN {lit(name)}" for name, lo, hi in bands[:-1])
            return f"CASE WHEN {c} IS NULL OR {c} < 0 THEN 'Not recorded' {whens} ELSE {lit(bands[-1][0])} END"
        if kind in ("ward", "locality", "decile"):
            if t not in ("lsoa", "postcode"):
                return "'Not recorded'"
            joins.append(f"LEFT JOIN geo g{i} ON g{i}.lsoa = {c}")
            return (f"CASE {c} WHEN '#missing' THEN 'Not recorded' WHEN '#outside' THEN 'Outside the area' WHEN '#unknown' THEN 'Unknown place' "
                    f"ELSE g{i}.{kind} END")
        raise ValueError(kind)

    def also_people(self, sets):
        """The (person, year) pairs of the sets' events in the reporting year (0) and the year before
        (1): a table made once per list, which an `also_in` set's rows are semi-joined with."""
        key = tuple(sorted((es.name, es.source) for es in sets))
        if not hasattr(self, "also_tables"):
            self.also_tables = {}
        if key not in self.also_tables:
            name = f"also_{len(self.also_tables)}"
            self.x(f"CREATE TEMP TABLE {name} AS SELECT DISTINCT person, {self.year_expr()} AS yr FROM ({self.events_sql(sets)}) "
                   f"WHERE person IS NOT NULL AND day BETWEEN DATE {lit(self.prev[0])} AND DATE {lit(self.cur[1])}")
            self.also_tables[key] = name
        return self.also_tables[key]

    def events_sql(self, sets, dims=(), serial=None, sum_field=None, roles=(), mean_field=None):
        """One SELECT per event set, concatenated: set index, person, day, age, agency, dims d0..,
        the serial pair (sa, sb), the summed value, the value averaged (mv: a date field's days from
        the row's date, blank when before it), and the person of each role in `roles` (p_role). A
        set with `also_in` keeps the rows whose person has an event of those sets the same year."""
        parts = []
        for s, es in enumerate(sets):
            if es.source not in self.tables:
                continue
            types = self.types(es)
            joins = []
            cols = [f"{s} AS s", f"t.{q(es.person)} AS person" if es.person else "NULL::UBIGINT AS person", "t.date AS day"]
            age = None
            if es.person:
                for a in (f"{es.person}.age_at_event", f"{es.person}.age"):
                    if types.get(a) == "integer":
                        age = a
                        break
            cols.append(f"t.{q(age)} AS age" if age else "NULL::BIGINT AS age")
            cols.append(f"{lit(es.agency)} AS agency")
            for i, d in enumerate(dims):
                label = self.dim(es, d, joins, i)
                if self.set_valued(sets, d) and types.get(d[1]) != "codes":
                    label = f"[{label}]"
                cols.append(f"{label} AS d{i}")
            if serial:
                a, b = serial
                cols.append(f"t.{q(a)} AS sa" if types.get(a) == "person" else "NULL::UBIGINT AS sa")
                cols.append(f"t.{q(b)} AS sb" if types.get(b) == "person" else "NULL::UBIGINT AS sb")
            if sum_field:
                cols.append(f"coalesce(t.{q(sum_field)}, 0) AS value" if types.get(sum_field) in ("integer", "decimal") else "0 AS value")
            if mean_field:
                mt = types.get(mean_field)
                mv = (f"t.{q(mean_field)}::DOUBLE" if mt in ("integer", "decimal") else
                      f"CASE WHEN t.{q(mean_field)} >= t.date THEN date_diff('day', t.date, t.{q(mean_field)})::DOUBLE END" if mt == "date" else "NULL::DOUBLE")
                cols.append(f"{mv} AS mv")
            for r in roles:
                cols.append(f"t.{q(r)} AS {q('p_' + r)}" if types.get(r) == "person" else f"NULL::UBIGINT AS {q('p_' + r)}")
            if es.also_in:
                also = self.also_people(es.also_in)
                yr = self.year_expr(day="t.date")
                joins.append(f"SEMI JOIN {also} ON {also}.person = t.{q(es.person)} AND {also}.yr = ({yr})")
            where = " AND ".join(self.condition(es, c) for c in es.conditions) or "TRUE"
            parts.append(f"SELECT {', '.join(cols)} FROM {q(es.source)} t {' '.join(joins)} WHERE {where}")
        if not parts:
            cols = ["0 AS s", "NULL::UBIGINT AS person", "NULL::DATE AS day", "NULL::BIGINT AS age", "'' AS agency"]
            cols += [f"'' AS d{i}" for i in range(len(dims))] + (["NULL::UBIGINT AS sa", "NULL::UBIGINT AS sb"] if serial else [])
            cols += ["0 AS value"] if sum_field else []
            cols += ["NULL::DOUBLE AS mv"] if mean_field else []
            cols += [f"NULL::UBIGINT AS {q('p_' + r)}" for r in roles]
            parts.append(f"SELECT {', '.join(cols)} WHERE FALSE")
        return " UNION ALL ".join(parts)

    def set_valued(self, sets, d):
        """Whether a breakdown is a set field in any of the sets (its rows are then counted under each label)."""
        return d[0] == "field" and any(self.types(es).get(d[1]) == "codes" for es in sets if es.source in self.tables)

    def year_expr(self, by_month=False, day="day"):
        c0, c1 = self.cur
        p0, p1 = self.prev
        y = f"CASE WHEN {day} BETWEEN DATE {lit(c0)} AND DATE {lit(c1)} THEN 0 WHEN {day} BETWEEN DATE {lit(p0)} AND DATE {lit(p1)} THEN 1 ELSE 2 END"
        return f"CASE WHEN ({y}) < 2 THEN 0 ELSE 2 END" if by_month else y

    # --- tables ---

    def table(self, p, t):
        sets = [p.events[n] for n in t.events]
        if t.cohort:
            return self.cohort_table(p, t, sets)
        if any(d[0] == "agencies" for d in t.by):
            return self.agency_table(t, sets)
        by_month = any(d[0] == "month" for d in t.by)
        serial = next((m[1] for m in t.measures if m[0] == "serial"), None)
        sum_field = next((m[1][0] for m in t.measures if m[0] == "sum"), None)
        mean_field = next((m[1][0] for m in t.measures if m[0] == "mean"), None)
        # `people:role` and the like count that role's people over the same rows.
        roles = sorted({m[1][0] for m in t.measures if m[0] in ("people", "repeat_people", "repeat_within_year", "people_repeat_within_year") and m[1]})
        n = len(t.by)
        dims = [f"d{i}" for i in range(n)]
        ev = self.events_sql(sets, t.by, serial, sum_field, roles, mean_field)
        # Set-valued breakdowns: one row per label (each in its own step, so two give every pair).
        body = f"SELECT * FROM ({ev})"
        for i, d in enumerate(t.by):
            if self.set_valued(sets, d):
                others = ", ".join(c for c in ["s", "person", "day", "age", "agency"] + dims + (["sa", "sb"] if serial else []) + (["value"] if sum_field else [])
                                   + (["mv"] if mean_field else []) + [q("p_" + r) for r in roles] if c != f"d{i}")
                body = f"SELECT {others}, unnest(d{i}) AS d{i} FROM ({body})"
        years = 1 if by_month else 2
        ctes = [f"ev AS ({body})", f"evy AS (SELECT *, {self.year_expr(by_month)} AS yr FROM ev)"]
        keys = ", ".join(dims)
        group = f" GROUP BY {keys}" if n else ""
        # Rows: every combination with events, and every combination of complete breakdowns (when
        # any of the table's sources is in the drop: a table of absent sources has no rows).
        present = any(es.source in self.tables for es in sets)
        complete = present and all(d[0] in ("month", "band", "ward", "locality", "decile") for d in t.by)
        rows_sql = f"SELECT DISTINCT {keys} FROM evy WHERE yr < 2" if n else "SELECT 1 AS one"
        if n and complete:
            lists = []
            for d in t.by:
                if d[0] == "month":
                    lists.append([m[1] for m in D.month_labels(self.year)])
                elif d[0] == "band":
                    lists.append([b[0] for b in self.defs.bands[d[2]]])
                else:
                    lists.append(self.ref.labels(d[0]))
            cross = " CROSS JOIN ".join(f"(SELECT unnest({sql_list(l)}) AS d{i})" for i, l in enumerate(lists))
            rows_sql += f" UNION SELECT {keys} FROM {cross}"
        ctes.append(f"grp AS ({rows_sql})")
        filt = lambda y: f"FILTER (WHERE yr = {y})"
        ctes.append(f"m_records AS (SELECT {keys + ', ' if n else ''}{', '.join(f'count(*) {filt(y)} AS r{y}' for y in range(years))} FROM evy WHERE yr < 2{group})")
        select = [f"grp.{d}" for d in dims] if n else []
        joins = ["LEFT JOIN m_records USING (" + keys + ")" if n else "CROSS JOIN m_records"]
        header = [D.heading(d) for d in t.by]
        suffixes = [""] if by_month else ["_" + self.labels[0], "_" + self.labels[1]]
        area = next((i for i, d in enumerate(t.by) if d[0] in ("ward", "locality", "decile")), None)
        # After the measures: each row's records, then each mean's number of values and standard deviation.
        extras = [f"coalesce(m_records.r{y}, 0)" for y in range(years)]
        means = 0
        for k, m in enumerate(t.measures):
            kind, args = m
            name = f"m{k}"
            header += [D.measure_heading(m) + s for s in suffixes]
            pc = "person"
            if kind in ("people", "repeat_people", "repeat_within_year", "people_repeat_within_year") and args:
                pc = q("p_" + args[0])
            cte = None
            if kind == "records":
                select += [f"coalesce(m_records.r{y}, 0)" for y in range(years)]
            elif kind == "people":
                cte = f"SELECT {keys + ', ' if n else ''}{', '.join(f'count(DISTINCT {pc}) {filt(y)} AS v{y}' for y in range(years))} FROM evy WHERE yr < 2{group}"
            elif kind == "repeat_people":
                inner = f"SELECT {keys + ', ' if n else ''}yr, {pc}, count(*) AS c FROM evy WHERE yr < 2 AND {pc} IS NOT NULL GROUP BY ALL"
                cte = f"SELECT {keys + ', ' if n else ''}{', '.join(f'count(*) FILTER (WHERE yr = {y} AND c >= 2) AS v{y}' for y in range(years))} FROM ({inner}){group}"
            elif kind == "serial":
                inner = f"SELECT {keys + ', ' if n else ''}yr, sa, count(DISTINCT sb) AS c FROM evy WHERE yr < 2 AND sa IS NOT NULL AND sb IS NOT NULL GROUP BY ALL"
                cte = f"SELECT {keys + ', ' if n else ''}{', '.join(f'count(*) FILTER (WHERE yr = {y} AND c >= 2) AS v{y}' for y in range(years))} FROM ({inner}){group}"
            elif kind in ("repeat_within_year", "people_repeat_within_year"):
                h = f"hist_{k}"
                ctes.append(f"{h} AS (SELECT {pc} AS hp, day AS hd, coalesce(lag(day) OVER (PARTITION BY {pc} ORDER BY day) >= day - 365, FALSE) AS rep "
                            f"FROM (SELECT DISTINCT {pc}, day FROM ev WHERE {pc} IS NOT NULL AND day IS NOT NULL))")
                what = "*" if kind == "repeat_within_year" else f"DISTINCT {pc}"
                cte = (f"SELECT {keys + ', ' if n else ''}{', '.join(f'count({what}) FILTER (WHERE yr = {y} AND rep) AS v{y}' for y in range(years))} "
                       f"FROM evy JOIN {h} ON hp = {pc} AND hd = day WHERE yr < 2{group}")
            elif kind == "sum":
                cte = f"SELECT {keys + ', ' if n else ''}{', '.join(f'sum(value) {filt(y)} AS v{y}' for y in range(years))} FROM evy WHERE yr < 2{group}"
            elif kind == "mean":
                # The mean of the values (blank ones left out), with their number and spread.
                cte = (f"SELECT {keys + ', ' if n else ''}" + ", ".join(f"avg(mv) {filt(y)} AS v{y}, count(mv) {filt(y)} AS n{y}, stddev_samp(mv) {filt(y)} AS sd{y}"
                                                                   for y in range(years)) + f" FROM evy WHERE yr < 2{group}")
                extras += [f"{name}.{c}{y}" for y in range(years) for c in ("n", "sd")]
                means += 1
            elif kind == "share":
                select += [f"100.0 * coalesce(m_records.r{y}, 0) / NULLIF(sum(coalesce(m_records.r{y}, 0)) OVER (), 0)" for y in range(years)]
            elif kind in ("rate_per_1000", "rate_per_10000_children"):
                children = kind == "rate_per_10000_children"
                scale = 10000.0 if children else 1000.0
                if area is not None:
                    kind_a = t.by[area][0]
                    col = "children" if children else "residents"
                    ctes.append(f"den{k} AS (SELECT {kind_a} AS d{area}, sum({col}) AS den FROM geo GROUP BY 1)")
                    joins.append(f"LEFT JOIN den{k} USING (d{area})")
                    den = f"den{k}.den"
                else:
                    total = sum(self.ref.children if children else self.ref.residents)
                    den = str(total)
                select += [f"coalesce(m_records.r{y}, 0) * {scale} / NULLIF({den}, 0)" for y in range(years)]
            elif kind == "sites":
                # Service sites of the category in the row's area (the whole area's without an area
                # breakdown): reference data, the same both years.
                counts = {label: c["sites"].count(args[0].lower()) for label, c in self.ref.area_counts(t.by[area][0] if area is not None else None).items()}
                if area is not None:
                    ctes.append(f"sites{k} AS (SELECT unnest({sql_list(list(counts))}) AS d{area}, unnest({list(counts.values())}) AS v)")
                    joins.append(f"LEFT JOIN sites{k} USING (d{area})")
                    select += [f"coalesce(sites{k}.v, 0)" for _ in range(years)]
                else:
                    select += [str(counts[None]) for _ in range(years)]
            else:
                raise ValueError(kind)
            if cte:
                ctes.append(f"{name} AS ({cte})")
                joins.append(f"LEFT JOIN {name} USING ({keys})" if n else f"CROSS JOIN {name}")
                select += [f"coalesce({name}.v{y}, 0)" if kind != "mean" else f"{name}.v{y}" for y in range(years)]
        sql = f"WITH {', '.join(ctes)} SELECT {', '.join(select + extras)} FROM grp {' '.join(joins)}"
        fetched = self.x(sql).fetchall()
        width = len(select)
        rows = [r[:width] for r in fetched]
        records = [r[width:width + years] for r in fetched]
        mean_stats = [[[(r[width + years + 2 * (i * years + y)], None, r[width + years + 2 * (i * years + y) + 1]) for y in range(years)]
                       for i in range(means)] for r in fetched]
        mean_at = [n + k * years for k, m in enumerate(t.measures) if m[0] == "mean"]
        for row_stats, r in zip(mean_stats, rows):
            for i, at in enumerate(mean_at):
                for y in range(years):
                    cnt, _, sd = row_stats[i][y]
                    row_stats[i][y] = (cnt, r[at + y], sd)
        ages = None
        if present and any(m[0] in ("rate_per_1000", "rate_per_10000_children") for m in t.measures) and n == 1 and area == 0 and self.ref.age_bands:
            ages = self.records_by_age(ctes[:2])
        return finish_table(self.ref, t, suffixes, header, rows, records, mean_stats, ages)

    def records_by_age(self, ctes):
        """An area table's records per (area label, year, population age band): the band's index
        over ref.age_bands, None for no age or one in no band."""
        whens = " ".join(f"WHEN age BETWEEN {lo} AND {hi} THEN {k}" if hi is not None else f"WHEN age >= {lo} THEN {k}"
                         for k, (_, lo, hi) in enumerate(self.ref.age_bands))
        sql = f"WITH {', '.join(ctes)} SELECT d0, yr, CASE {whens} END AS k, count(*) FROM evy WHERE yr < 2 GROUP BY ALL"
        out = {}
        for label, yr, k, c in self.x(sql).fetchall():
            out.setdefault((label, yr), {})[k] = out.get((label, yr), {}).get(k, 0) + c
        return out

    def agency_table(self, t, sets):
        ev = self.events_sql(sets)
        sql = f"""WITH ev AS ({ev}), evy AS (SELECT *, {self.year_expr()} AS yr FROM ev),
            per AS (SELECT yr, person, count(DISTINCT agency) AS a FROM evy WHERE yr < 2 AND person IS NOT NULL GROUP BY ALL)
            SELECT least(a, 3) AS k, count(*) FILTER (WHERE yr = 0), count(*) FILTER (WHERE yr = 1) FROM per GROUP BY 1"""
        counts = {k: (c0, c1) for k, c0, c1 in self.x(sql).fetchall()}
        rows = [(label, *counts.get(k, (0, 0))) for k, label in ((1, "1"), (2, "2"), (3, "3 or more"))]
        return ["agencies", "people_" + self.labels[0], "people_" + self.labels[1]], rows

    def cohort_people(self, sets, cohort, later_sets):
        """(agency -> (people this year, last year)), (any this year, last year)."""
        (a0, a1), _, (b0, b1) = cohort
        sql = f"""WITH before AS ({self.events_sql(sets)}), later AS ({self.events_sql(later_sets)}),
            first AS (SELECT person, min(day) AS first FROM before WHERE person IS NOT NULL AND age BETWEEN {a0} AND {a1} GROUP BY person),
            seen AS (SELECT l.agency, l.person, {self.year_expr()} AS yr FROM later l JOIN first f ON f.person = l.person
                     WHERE l.age BETWEEN {b0} AND {b1} AND f.first < l.day)
            SELECT agency, count(DISTINCT person) FILTER (WHERE yr = 0), count(DISTINCT person) FILTER (WHERE yr = 1) FROM seen GROUP BY ROLLUP (agency)"""
        by, total = {}, (0, 0)
        for agency, c0, c1 in self.x(sql).fetchall():
            if agency is None:
                total = (c0, c1)
            else:
                by[agency] = (c0, c1)
        return by, total

    def cohort_table(self, p, t, sets):
        later = [p.events[n] for n in t.cohort[1]]
        agencies = sorted({es.agency for es in later})
        by, total = self.cohort_people(sets, t.cohort, later)
        rows = [(a, *by.get(a, (0, 0))) for a in agencies] + [("Any adult service", *total)]
        return ["later_seen_by", "people_" + self.labels[0], "people_" + self.labels[1]], rows

    # --- success measures ---

    def measure_value(self, sets, m, min_agencies):
        """The measure over all the sets' events, for this year and last: [v0, v1] (None = nan)."""
        kind, args = m
        ev = self.events_sql(sets, serial=args if kind == "serial" else None, sum_field=args[0] if kind == "sum" else None)
        base = f"WITH ev AS ({ev}), evy AS (SELECT *, {self.year_expr()} AS yr FROM ev)"
        if min_agencies is not None:
            sql = (f"{base}, per AS (SELECT yr, person, count(DISTINCT agency) AS a FROM evy WHERE yr < 2 AND person IS NOT NULL GROUP BY ALL) "
                   f"SELECT count(*) FILTER (WHERE yr = 0 AND a >= {min_agencies}), count(*) FILTER (WHERE yr = 1 AND a >= {min_agencies}) FROM per")
        elif kind in ("records", "rate_per_1000", "rate_per_10000_children", "share"):
            sql = f"{base} SELECT count(*) FILTER (WHERE yr = 0), count(*) FILTER (WHERE yr = 1) FROM evy"
        elif kind == "people":
            sql = f"{base} SELECT count(DISTINCT person) FILTER (WHERE yr = 0), count(DISTINCT person) FILTER (WHERE yr = 1) FROM evy"
        elif kind == "repeat_people":
            sql = (f"{base}, per AS (SELECT yr, person, count(*) AS c FROM evy WHERE yr < 2 AND person IS NOT NULL GROUP BY ALL) "
                   f"SELECT count(*) FILTER (WHERE yr = 0 AND c >= 2), count(*) FILTER (WHERE yr = 1 AND c >= 2) FROM per")
        elif kind == "serial":
            sql = (f"{base}, per AS (SELECT yr, sa, count(DISTINCT sb) AS c FROM evy WHERE yr < 2 AND sa IS NOT NULL AND sb IS NOT NULL GROUP BY ALL) "
                   f"SELECT count(*) FILTER (WHERE yr = 0 AND c >= 2), count(*) FILTER (WHERE yr = 1 AND c >= 2) FROM per")
        elif kind in ("repeat_within_year", "people_repeat_within_year"):
            what = "*" if kind == "repeat_within_year" else "DISTINCT person"
            sql = (f"{base}, hist AS (SELECT person, day, coalesce(lag(day) OVER (PARTITION BY person ORDER BY day) >= day - 365, FALSE) AS rep "
                   f"FROM (SELECT DISTINCT person, day FROM ev WHERE person IS NOT NULL AND day IS NOT NULL)) "
                   f"SELECT count({what}) FILTER (WHERE yr = 0 AND rep), count({what}) FILTER (WHERE yr = 1 AND rep) FROM evy JOIN hist USING (person, day)")
        elif kind == "sum":
            sql = f"{base} SELECT coalesce(sum(value) FILTER (WHERE yr = 0), 0), coalesce(sum(value) FILTER (WHERE yr = 1), 0) FROM evy"
        else:
            raise ValueError(kind)
        v = [float(x) for x in self.x(sql).fetchone()]
        if min_agencies is None and kind in ("rate_per_1000", "rate_per_10000_children"):
            children = kind == "rate_per_10000_children"
            den = sum(self.ref.children if children else self.ref.residents)
            v = [x * (10000 if children else 1000) / den if den else None for x in v]
        if min_agencies is None and kind == "share":
            v = [100.0, 100.0]
        return v

    def success(self, p):
        return success_table(p, self.labels, lambda m: self.success_values(p, m))

    # --- benchmarks: what BenchmarkTables asks of the data ---

    def local_count(self, sets, people, days):
        """The sets' events dated within `days` (first, last): rows, or distinct people."""
        what = "count(DISTINCT person)" if people else "count(*)"
        sql = f"SELECT {what} FROM ({self.events_sql(sets)}) WHERE day BETWEEN DATE {lit(days[0])} AND DATE {lit(days[1])}"
        return self.x(sql).fetchone()[0]

    def coverage(self, sets):
        """(earliest, latest) date of any row of the sources behind the sets (all their rows, not
        only the sets'), or None."""
        sources = sorted({es.source for es in sets if es.source in self.tables and self.defs.sources[es.source].has_date})
        if not sources:
            return None
        union = " UNION ALL ".join(f"SELECT date FROM {q(s)}" for s in sources)
        lo, hi = self.x(f"SELECT min(date), max(date) FROM ({union})").fetchone()
        return (lo, hi) if lo is not None else None

def write(path, header, rows):
    import csv
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow(["" if v is None else (repr(v) if isinstance(v, float) else v) for v in r])


def main():
    engine, drop, key_file, out = sys.argv[1:5]
    threads = int(sys.argv[5]) if len(sys.argv) > 5 else os.cpu_count()
    key = open(key_file, "rb").read().rstrip(b"\n\r ").decode("utf-8")
    started = time.time()
    if engine == "duckdb":
        DuckJob(drop, key, threads).run(out)
    else:
        os.environ["POLARS_MAX_THREADS"] = str(threads)
        import partnership_polars
        partnership_polars.PolarsJob(drop, key, threads).run(out)
    print(f"{engine}: {time.time() - started:.2f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
