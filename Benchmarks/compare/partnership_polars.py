"""The partnership's job in Polars (lazy frames, all threads): the same steps as the DuckDB job in
partnership_job.py, generated from the same definitions, as Polars expressions. Pseudonyms are
sha256(key || domain || identifier) through polars-hash (its first 60 bits as the person id).

As in the DuckDB job: a set with `also_in` is semi-joined with the (person, year) pairs of its
other sets (collected once per list); `ward_with_site` is a membership test on the LSOAs whose ward
has a site; a mean's values, number and spread, and an area table's records per population age
band, are aggregated in the table's one collect_all; partnership_tables.py adds the columns after
the measures and the measures of success's tests from those counts."""
import datetime, os

import polars as pl
import polars_hash as plh

import partnership_defs as D
from partnership_benchmark import BenchmarkTables
from partnership_job import ROOT, date_tokens, write
from partnership_tables import SuccessValues, finish_table, success_table
import partnership_stats as S

NULL_STR = pl.lit(None, dtype=pl.String)
FIXED = {"yyyy": ("%Y", 4), "MMM": ("%b", 3), "MM": ("%m", 2), "dd": ("%d", 2), "HH": ("%H", 2), "mm": ("%M", 2), "ss": ("%S", 2)}
LSOA_SHAPE = r"^[EW]01[0-9]{6}$"


def pl_date(v, pattern):
    """(Date expression, validity expression) of a trimmed text `v`, as DateParser.swift reads it."""
    tokens = date_tokens(pattern)
    if all(t[0] == "lit" or t[1] in FIXED for t in tokens):
        fmt = "".join(FIXED[t[1]][0] if t[0] == "tok" else t[1].replace("%", "%%") for t in tokens)
        width = sum(FIXED[t[1]][1] if t[0] == "tok" else 1 for t in tokens)
        timed = any(t[0] == "tok" and t[1] in ("HH", "mm", "ss") for t in tokens)
        parsed = v.str.strptime(pl.Datetime, fmt, strict=False).dt.date() if timed else v.str.strptime(pl.Date, fmt, strict=False)
        value = pl.when(v.str.len_chars() == width).then(parsed)
        value = pl.when(value.dt.year().is_between(1800, 2200)).then(value)
        return value, (v == "") | value.is_not_null()
    regex, groups = "", []
    for kind, t in tokens:
        if kind == "lit":
            regex += "\\" + t if not t.isalnum() else t
            continue
        regex += {"yyyy": r"(\d{4})", "yy": r"(\d{2})", "MM": r"(\d{2})", "M": r"(\d\d?)", "MMM": r"([A-Za-z]{3})", "dd": r"(\d{2})",
                  "d": r"(\d\d?)", "HH": r"(\d{2})", "H": r"(\d\d?)", "mm": r"(\d{2})", "ss": r"(\d{2})"}[t]
        groups.append(t)
    g = v.str.extract_groups("^" + regex + "$")
    parts, checks = {}, []
    for i, t in enumerate(groups):
        x = g.struct.field(str(i + 1))
        n = x.cast(pl.Int32, strict=False)
        if t == "MMM":
            months = {m: k + 1 for k, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
            parts["month"] = x.str.to_lowercase().replace_strict(months, default=None, return_dtype=pl.Int32)
        elif t == "yyyy":
            parts["year"] = n
        elif t == "yy":
            parts["year"] = pl.when(n < 70).then(n + 2000).otherwise(n + 1900)
        elif t in ("MM", "M"):
            parts["month"] = n
        elif t in ("dd", "d"):
            parts["day"] = n
        elif t in ("HH", "H"):
            checks.append(n < 24)
        else:
            checks.append(n < 60)
    y, m, d = parts["year"], parts["month"], parts.get("day", pl.lit(1))
    leap = ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0)
    days_in = pl.when(m == 2).then(pl.when(leap).then(29).otherwise(28)).when(m.is_in([4, 6, 9, 11])).then(30).otherwise(31)
    ok = m.is_between(1, 12) & y.is_between(1800, 2200) & d.is_between(1, days_in)
    for c in checks:
        ok = ok & c
    ok = ok.fill_null(False)
    value = pl.when(ok).then(pl.date(y, m, d))
    return value, (v == "") | value.is_not_null()


def pl_code(v, codes):
    """(label expression, validity expression) of a code through a code list."""
    if codes is None:
        return pl.when(v != "").then(v), pl.lit(True)
    exact = dict(codes.exact())
    found = v.is_in(list(exact))
    value = pl.when(found).then(v.replace_strict({k: (l or None) for k, l in exact.items()}, default=None, return_dtype=pl.String))
    known = found
    for prefix, label in codes.prefixes():
        value = value.when(v.str.starts_with(prefix)).then(pl.lit(label or None, dtype=pl.String))
        known = known | v.str.starts_with(prefix)
    if codes.unknown == "reject":
        return value.otherwise(NULL_STR), known
    if codes.unknown == "keep":
        return value.otherwise(pl.when(v != "").then(v)), pl.lit(True)
    return value.otherwise(pl.lit(codes.unknown[1])), pl.lit(True)


class PolarsJob(SuccessValues, BenchmarkTables):
    def __init__(self, drop, key, threads):
        self.drop, self.key = drop, key
        self.defs = D.Definitions(ROOT)
        self.ref = D.Reference(drop, ROOT)
        self.lsoa_of = {k: self.ref.canonical(k)[0] for k in self.ref.code}
        self.area = {}
        for kind in ("ward", "locality", "decile"):
            i = {"ward": 1, "locality": 2, "decile": 3}[kind]
            self.area[kind] = {r[0]: r[i] for r in reversed(self.ref.area_rows())}

    # --- reading ---

    def field(self, src, f, v):
        if f.null_values:
            v = pl.when(v.is_in(f.null_values)).then(pl.lit("")).otherwise(v)
        checks = [v != ""] if f.required else []
        t = f.type
        if t == "text":
            return pl.when(v != "").then(v), checks
        if t == "code":
            codes = src.code_lists.get(f.codes) if f.codes else None
            value, ok = pl_code(v, codes)
            return value, checks + [ok]
        if t == "codes":
            codes = src.code_lists.get(f.codes) if f.codes else None
            parts = v.str.split(f.separator).list.eval(pl.element().str.strip_chars(" \t")).list.eval(pl.element().filter(pl.element() != ""))
            value, ok = pl_code(pl.element(), codes)
            labels = parts.list.eval(value).list.drop_nulls().list.unique().list.sort()
            return labels, checks + [parts.list.eval(ok).list.all()]
        if t == "integer":
            value = pl.when(v != "").then(v.cast(pl.Int64, strict=False))
            ok = value.is_not_null() & v.str.contains(r"^[+-]?[0-9]+$")
            if f.range:
                ok = ok & value.is_between(f.range[0], f.range[1])
            return value, checks + [(v == "") | ok]
        if t == "decimal":
            value = pl.when(v != "").then(v.str.replace_all(",", "").cast(pl.Float64, strict=False))
            return value, checks + [(v == "") | value.is_not_null()]
        if t == "date":
            value, ok = pl_date(v, f.format)
            return value, checks + [ok]
        if t == "flag":
            yes, no = [y.upper() for y in src.yes], [n.upper() for n in src.no]
            u = v.str.to_uppercase()
            value = pl.when(u.is_in(yes)).then(pl.lit(1, pl.Int8)).when(u.is_in(no)).then(pl.lit(0, pl.Int8))
            return value, checks + [(v == "") | value.is_not_null()]
        if t == "lsoa":
            mapped = v.replace_strict(self.lsoa_of, default=None, return_dtype=pl.String)
            value = (pl.when(v == "").then(pl.lit("#missing")).when(mapped.is_not_null()).then(mapped)
                     .when(v.str.contains(LSOA_SHAPE)).then(pl.lit("#outside")).otherwise(pl.lit("#unknown")))
            return value, checks
        if t == "postcode":
            s = v.str.replace_all(r"[ \t]", "").str.to_uppercase()
            norm = s.str.slice(0, s.str.len_chars() - 3) + pl.lit(" ") + s.str.slice(-3)
            value = (pl.when(v == "").then(pl.lit("#missing"))
                     .when(~s.str.contains(r"^[A-Z][A-Z0-9]{1,3}[0-9][A-Z]{2}$")).then(pl.lit("#unknown"))
                     .otherwise(norm.replace_strict(self.ref.postcode, default="#outside", return_dtype=pl.String)))
            return value, checks
        raise ValueError(t)

    def load(self, src):
        files = src.files(self.drop)
        if not files:
            return None
        if src.join:
            raise SystemExit(f"profiles/sources/{src.id}.yaml: join: is not implemented by this harness")
        raw = pl.scan_csv(files, infer_schema=False, quote_char='"')
        columns = raw.collect_schema().names()
        for f in src.all_fields():
            if f.column not in columns and not f.optional:
                raise SystemExit(f"{files[0]}: no column {f.column} named by profiles/sources/{src.id}.yaml")
        trim = lambda c: pl.col(c).fill_null("").str.strip_chars(" \t")
        values, checks, kept = [], [], []
        for f in src.all_fields():
            # An optional field whose column the file lacks is blank.
            value, ok = self.field(src, f, pl.lit("") if f.column not in columns else trim(f.column))
            values.append(value.alias(f.name))
            checks += ok
            kept.append(f.name)
        roles = []
        for r in src.roles:
            ident = r.identity
            if "nhs_number" in ident:
                n = pl.col(ident["nhs_number"]).fill_null("").str.replace_all(r"[ \t-]", "")
                same = "|".join(str(d) * 10 for d in range(10))
                x = pl.when(n.str.contains(r"^[0-9]{10}$") & ~n.str.contains(f"^({same})$")).then(n.cast(pl.UInt64, strict=False))
                s = sum(((x // 10 ** (9 - i)) % 10) * (10 - i) for i in range(9))
                check = (11 - s % 11) % 11
                prefix = x // 10_000_000
                valid = ((check != 10) & (check == x % 10) & (prefix.is_between(10, 311) | prefix.is_between(320, 399) | prefix.is_between(400, 499)
                                                               | prefix.is_between(600, 799) | (prefix == 999)))
                nhs = pl.when(valid.fill_null(False)).then(n)
            else:
                nhs = NULL_STR
            dob = pl_date(trim(ident["date_of_birth"]), r.dob_format)[0] if "date_of_birth" in ident else pl.lit(None, dtype=pl.Date)
            mk = NULL_STR
            if all(k in ident for k in ("surname", "forename", "date_of_birth")):
                name = lambda c: trim(c).str.normalize("NFD").str.replace_all(r"\p{M}", "").str.to_uppercase().str.replace_all(r"[^\p{L}]", "")
                sur, ini = name(ident["surname"]), name(ident["forename"]).str.slice(0, 1)
                mk = pl.when((sur != "") & (ini != "") & dob.is_not_null()).then(sur + pl.lit("\x1f") + ini + pl.lit("\x1f") + dob.dt.strftime("%Y-%m-%d"))
            lk = NULL_STR
            if "local_id" in ident:
                lid = trim(ident["local_id"])
                lk = pl.when(lid != "").then(pl.lit((r.local_system or src.id) + "\x1f") + lid)
            roles += [nhs.alias(f"{r.name}#nhs"), mk.alias(f"{r.name}#mk"), lk.alias(f"{r.name}#lk"), dob.alias(f"{r.name}#dob")]
        ok = pl.lit(True)
        for c in checks:
            ok = ok & c.fill_null(False)
        lf = raw.with_columns(values).with_columns(roles).filter(ok)
        lf = lf.select(kept + [c for r in src.roles for c in (f"{r.name}#nhs", f"{r.name}#mk", f"{r.name}#lk", f"{r.name}#dob")])
        if src.has_date:
            ages = []
            for r in src.roles:
                if r.has_birth_date:
                    b, e = pl.col(f"{r.name}#dob"), pl.col("date")
                    before = (e.dt.month() < b.dt.month()) | ((e.dt.month() == b.dt.month()) & (e.dt.day() < b.dt.day()))
                    ages.append(pl.when(b <= e).then(e.dt.year().cast(pl.Int64) - b.dt.year().cast(pl.Int64) - before.cast(pl.Int64))
                                .alias(f"{r.name}.age_at_event"))
            lf = lf.with_columns(ages)
        return lf

    def pseudonym(self, clear):
        return plh.concat_str([pl.lit(self.key), clear]).chash.sha2_256().str.slice(0, 15).str.to_integer(base=16, dtype=pl.Int64)

    def link(self, frames):
        pairs = [frames[s.id].select(nhs=pl.col(f"{r.name}#nhs"), mk=pl.col(f"{r.name}#mk"), lk=pl.col(f"{r.name}#lk")).filter(pl.col("nhs").is_not_null())
                 for s in self.loaded for r in s.roles]
        seen = pl.concat(pairs).collect() if pairs else pl.DataFrame(schema={"nhs": pl.String, "mk": pl.String, "lk": pl.String})
        bridge = {}
        for k in ("lk", "mk"):
            bridge[k] = (seen.lazy().filter(pl.col(k).is_not_null()).group_by(k).agg(n=pl.col("nhs").n_unique(), b=pl.col("nhs").min())
                         .filter(pl.col("n") == 1).select(k, "b"))
        out = {}
        for s in self.loaded:
            lf = frames[s.id]
            people = []
            for r in s.roles:
                n, m, l = (pl.col(f"{r.name}#{k}") for k in ("nhs", "mk", "lk"))
                lf = lf.join(bridge["lk"].rename({"lk": f"{r.name}#lk", "b": f"{r.name}#bl"}), on=f"{r.name}#lk", how="left")
                lf = lf.join(bridge["mk"].rename({"mk": f"{r.name}#mk", "b": f"{r.name}#bm"}), on=f"{r.name}#mk", how="left")
                bl, bm = pl.col(f"{r.name}#bl"), pl.col(f"{r.name}#bm")
                clear = (pl.when(n.is_not_null()).then(pl.lit("N") + n).when(bl.is_not_null()).then(pl.lit("N") + bl)
                         .when(bm.is_not_null()).then(pl.lit("N") + bm).when(m.is_not_null()).then(pl.lit("M") + m)
                         .when(l.is_not_null()).then(pl.lit("L") + l))
                people.append(clear.alias(f"{r.name}#clear"))
            lf = lf.with_columns(people)
            lf = lf.drop([f"{r.name}#{k}" for r in s.roles for k in ("nhs", "mk", "lk", "dob", "bl", "bm")])
            out[s.id] = lf
        # Each distinct identifier hashed once (a person's records share it), then joined back.
        collected = dict(zip(out.keys(), pl.collect_all(list(out.values()))))
        clears = [collected[s.id].select(pl.col(f"{r.name}#clear").alias("clear")) for s in self.loaded for r in s.roles]
        ids = (pl.concat(clears).drop_nulls().unique() if clears else pl.DataFrame(schema={"clear": pl.String}))
        ids = ids.with_columns(self.pseudonym(pl.col("clear")).alias("id")).lazy()
        final = []
        for s in self.loaded:
            lf = collected[s.id].lazy()
            for r in s.roles:
                lf = lf.join(ids.rename({"clear": f"{r.name}#clear", "id": r.name}), on=f"{r.name}#clear", how="left")
            final.append(lf.drop([f"{r.name}#clear" for r in s.roles]))
        return pl.collect_all(final), list(out.keys())

    def run(self, out):
        self.loaded = [s for s in self.defs.sources.values() if s.files(self.drop)]
        # Each source read and parsed once (at once), then linked.
        parsed = pl.collect_all([self.load(s) for s in self.loaded])
        frames = {s.id: df.lazy() for s, df in zip(self.loaded, parsed)}
        collected, ids = self.link(frames)
        self.t = dict(zip(ids, collected))
        last = max(df["date"].max() or datetime.date(1970, 1, 1) for df in self.t.values())
        self.year = D.latest_complete(last)
        self.cur, self.prev = D.financial_year(self.year), D.financial_year(self.year - 1)
        self.labels = D.period_labels(self.year)
        for p in self.defs.profiles:
            os.makedirs(os.path.join(out, p.id), exist_ok=True)
            for t in p.tables:
                header, rows = self.table(p, t)
                write(os.path.join(out, p.id, t.id + ".csv"), header, rows)
            header, rows = success_table(p, self.labels, lambda m: self.success_values(p, m))
            write(os.path.join(out, p.id, "success_measures.csv"), header, rows)
            for table_id, header, rows in self.benchmark_tables(p):
                write(os.path.join(out, p.id, table_id + ".csv"), header, rows)

    # --- events ---

    def types(self, es):
        return self.defs.sources[es.source].output_types()

    def condition(self, es, cond):
        field, test, arg = cond
        t = self.types(es).get(field)
        c = pl.col(field)
        if t is None:
            return pl.lit(False)
        if test in ("present", "blank"):
            present = {"codes": c.list.len() > 0, "lsoa": c != "#missing", "postcode": c != "#missing"}.get(t, c.is_not_null())
            return present if test == "present" else ~present
        if test == "wardWithSite":
            # The LSOAs whose ward has a site of the categories (reference data, a short list).
            lsoas = self.ref.wards_with_site(arg) if t in ("lsoa", "postcode") else []
            return c.is_in(lsoas).fill_null(False) if lsoas else pl.lit(False)
        if t in ("text", "code") and test in ("oneOf", "noneOf"):
            hit = c.str.to_lowercase().is_in([a.lower() for a in arg]).fill_null(False)
            return hit if test == "oneOf" else ~hit
        if t == "flag" and test in ("oneOf", "noneOf"):
            words = {a.lower() for a in arg}
            yes, no = bool(words & {"yes", "y", "true"}), bool(words & {"no", "n", "false"})
            hit = (((c == 1) & yes) | ((c == 0) & no)).fill_null(False)
            return hit if test == "oneOf" else ~hit
        if t == "codes" and test == "anyOf":
            wanted = [a.lower() for a in arg]
            return c.list.eval(pl.element().str.to_lowercase().is_in(wanted)).list.any()
        if t == "integer" and test == "atLeast":
            return (c >= arg).fill_null(False)
        if t == "integer" and test == "atMost":
            return (c <= arg).fill_null(False)
        if t == "integer" and test == "between":
            return c.is_between(arg[0], arg[1]).fill_null(False)
        return pl.lit(False)

    def dim(self, es, d):
        kind, field = d[0], d[1]
        t = self.types(es).get(field) if field else None
        c = pl.col(field) if field else None
        if kind == "agency":
            return pl.lit(es.agency)
        if kind == "field":
            if t in ("text", "code"):
                return c.fill_null("Not recorded")
            if t == "flag":
                return pl.when(c == 1).then(pl.lit("Yes")).when(c == 0).then(pl.lit("No")).otherwise(pl.lit("Not recorded"))
            if t == "codes":
                return pl.when(c.list.len() == 0).then(pl.lit(["None recorded"], dtype=pl.List(pl.String))).otherwise(c)
            return pl.lit("Not recorded")
        if kind == "month":
            if t != "date":
                return pl.lit("Not recorded")
            months = D.month_labels(self.year)
            return (pl.when(c.is_null() | (c < months[0][0])).then(pl.lit("Not recorded")).when(c >= months[-1][0]).then(pl.lit(months[-1][1]))
                    .otherwise(c.dt.strftime("%Y-%m")))
        if kind == "band":
            if t != "integer":
                return pl.lit("Not recorded")
            # The first band holding the value, else the last one (profiles/codes/bands.yaml).
            bands = self.defs.bands[d[2]]
            e = pl.when(c.is_null() | (c < 0)).then(pl.lit("Not recorded"))
            for name, lo, hi in bands[:-1]:
                e = e.when(c.is_between(lo, hi)).then(pl.lit(name))
            return e.otherwise(pl.lit(bands[-1][0]))
        if kind in ("ward", "locality", "decile"):
            if t not in ("lsoa", "postcode"):
                return pl.lit("Not recorded")
            return (pl.when(c == "#missing").then(pl.lit("Not recorded")).when(c == "#outside").then(pl.lit("Outside the area"))
                    .when(c == "#unknown").then(pl.lit("Unknown place")).otherwise(c.replace_strict(self.area[kind], default=None, return_dtype=pl.String)))
        raise ValueError(kind)

    def set_valued(self, sets, d):
        return d[0] == "field" and any(self.types(es).get(d[1]) == "codes" for es in sets if es.source in self.t)

    def year_of(self, day):
        c0, c1 = self.cur
        p0, p1 = self.prev
        return pl.when(day.is_between(c0, c1)).then(0).when(day.is_between(p0, p1)).then(1).otherwise(2)

    def also_people(self, sets):
        """The (person, year) pairs of the sets' events in the reporting year (0) and the year before
        (1): collected once per list, which an `also_in` set's rows are semi-joined with."""
        key = tuple(sorted((es.name, es.source) for es in sets))
        if not hasattr(self, "also_frames"):
            self.also_frames = {}
        if key not in self.also_frames:
            ev = self.events(sets)
            frame = (pl.DataFrame(schema={"person": pl.Int64, "y": pl.Int32}) if ev is None else
                     ev.filter((pl.col("y") < 2) & pl.col("person").is_not_null()).select("person", pl.col("y").cast(pl.Int32)).unique().collect())
            self.also_frames[key] = frame
        return self.also_frames[key]

    def events(self, sets, dims=(), serial=None, sum_field=None, roles=(), mean_field=None):
        """The sets' events, concatenated (columns as in the DuckDB job), set-valued breakdowns
        exploded; a set with `also_in` keeps the rows whose person has an event of those sets the same year."""
        parts = []
        person = lambda name, types: pl.col(name).cast(pl.Int64) if name and types.get(name) == "person" else pl.lit(None, dtype=pl.Int64)
        for s, es in enumerate(sets):
            if es.source not in self.t:
                continue
            types = self.types(es)
            age = next((a for a in (f"{es.person}.age_at_event", f"{es.person}.age") if es.person and types.get(a) == "integer"), None)
            cols = [pl.lit(s).alias("s"), person(es.person, types).alias("person"), pl.col("date").alias("day"),
                    (pl.col(age) if age else pl.lit(None, dtype=pl.Int64)).alias("age"), pl.lit(es.agency).alias("agency")]
            for i, d in enumerate(dims):
                label = self.dim(es, d)
                if self.set_valued(sets, d) and types.get(d[1]) != "codes":
                    label = pl.concat_list([label])
                cols.append(label.alias(f"d{i}"))
            if serial:
                cols += [person(serial[0], types).alias("sa"), person(serial[1], types).alias("sb")]
            if sum_field:
                cols.append((pl.col(sum_field).fill_null(0).cast(pl.Float64) if types.get(sum_field) in ("integer", "decimal") else pl.lit(0.0)).alias("value"))
            if mean_field:
                mt, mc = types.get(mean_field), pl.col(mean_field)
                mv = (mc.cast(pl.Float64) if mt in ("integer", "decimal") else
                      pl.when(mc >= pl.col("date")).then((mc - pl.col("date")).dt.total_days().cast(pl.Float64)) if mt == "date" else
                      pl.lit(None, dtype=pl.Float64))
                cols.append(mv.alias("mv"))
            for r in roles:
                cols.append(person(r, types).alias("p_" + r))
            cond = pl.lit(True)
            for c in es.conditions:
                cond = cond & self.condition(es, c)
            rows = self.t[es.source].lazy().filter(cond)
            if es.also_in:
                also = self.also_people(es.also_in).lazy()
                rows = (rows.with_columns(pl.col(es.person).cast(pl.Int64).alias("_ap"), self.year_of(pl.col("date")).cast(pl.Int32).alias("_ay"))
                        .join(also, left_on=["_ap", "_ay"], right_on=["person", "y"], how="semi"))
            parts.append(rows.select(cols))
        if not parts:
            return None
        ev = pl.concat(parts, how="vertical_relaxed")
        for i, d in enumerate(dims):
            if self.set_valued(sets, d):
                ev = ev.explode(f"d{i}")
        return ev.with_columns(self.year_of(pl.col("day")).alias("y"))

    # --- tables ---

    def table(self, p, t):
        sets = [p.events[n] for n in t.events]
        if t.cohort:
            later = [p.events[n] for n in t.cohort[1]]
            agencies = sorted({es.agency for es in later})
            by, total = self.cohort_people(sets, t.cohort, later)
            return (["later_seen_by", "people_" + self.labels[0], "people_" + self.labels[1]],
                    [(a, *by.get(a, (0, 0))) for a in agencies] + [("Any adult service", *total)])
        if any(d[0] == "agencies" for d in t.by):
            counts = self.agency_counts(sets, None)
            rows = [(label, *counts.get(k, (0, 0))) for k, label in ((1, "1"), (2, "2"), (3, "3 or more"))]
            return ["agencies", "people_" + self.labels[0], "people_" + self.labels[1]], rows
        by_month = any(d[0] == "month" for d in t.by)
        serial = next((m[1] for m in t.measures if m[0] == "serial"), None)
        sum_field = next((m[1][0] for m in t.measures if m[0] == "sum"), None)
        mean_field = next((m[1][0] for m in t.measures if m[0] == "mean"), None)
        roles = sorted({m[1][0] for m in t.measures if m[0] in ("people", "repeat_people", "repeat_within_year", "people_repeat_within_year") and m[1]})
        by = list(t.by)
        dims = [f"d{i}" for i in range(len(by))] or ["_k"]
        suffixes = [""] if by_month else ["_" + self.labels[0], "_" + self.labels[1]]
        ev = self.events(sets, by, serial, sum_field, roles, mean_field)
        if ev is None:
            # A table only of sources the drop has no file for: no rows.
            header = [D.heading(d) for d in by] + [D.measure_heading(m) + s for m in t.measures for s in suffixes]
            return finish_table(self.ref, t, suffixes, header, [], [], [], None)
        if not by:
            ev = ev.with_columns(pl.lit("").alias("_k"))
        ev = ev.with_columns((pl.when(pl.col("y") < 2).then(0).otherwise(2) if by_month else pl.col("y")).alias("yr"))
        years = 1 if by_month else 2
        inyear = ev.filter(pl.col("yr") < 2)
        grp = inyear.select(dims).unique()
        if all(d[0] in ("month", "band", "ward", "locality", "decile") for d in by):
            cross = pl.DataFrame({"_k": [""]}).lazy() if not by else None
            for i, d in enumerate(by):
                labels = ([m[1] for m in D.month_labels(self.year)] if d[0] == "month" else
                          [b[0] for b in self.defs.bands[d[2]]] if d[0] == "band" else self.ref.labels(d[0]))
                f = pl.DataFrame({f"d{i}": labels}).lazy()
                cross = f if cross is None else cross.join(f, how="cross")
            grp = pl.concat([grp, cross]).unique()
        records = inyear.group_by(dims).agg([(pl.col("yr") == y).sum().alias(f"r{y}") for y in range(years)])
        table = grp.join(records, on=dims, how="left").with_columns([pl.col(f"r{y}").fill_null(0) for y in range(years)])
        header = [D.heading(d) for d in by]
        area = next((i for i, d in enumerate(by) if d[0] in ("ward", "locality", "decile")), None)
        out_cols, mean_cols = [], []
        for k, m in enumerate(t.measures):
            kind, args = m
            header += [D.measure_heading(m) + s for s in suffixes]
            pc = "p_" + args[0] if kind in ("people", "repeat_people", "repeat_within_year", "people_repeat_within_year") and args else "person"
            names = [f"m{k}_{y}" for y in range(years)]
            agg = None
            if kind == "records":
                table = table.with_columns([pl.col(f"r{y}").alias(n) for y, n in enumerate(names)])
            elif kind == "people":
                agg = inyear.group_by(dims).agg([pl.col(pc).filter(pl.col("yr") == y).drop_nulls().n_unique().alias(n) for y, n in enumerate(names)])
            elif kind == "repeat_people":
                per = inyear.filter(pl.col(pc).is_not_null()).group_by(dims + ["yr", pc]).len()
                agg = per.group_by(dims).agg([((pl.col("yr") == y) & (pl.col("len") >= 2)).sum().alias(n) for y, n in enumerate(names)])
            elif kind == "serial":
                per = (inyear.filter(pl.col("sa").is_not_null() & pl.col("sb").is_not_null()).group_by(dims + ["yr", "sa"])
                       .agg(pl.col("sb").n_unique().alias("c")))
                agg = per.group_by(dims).agg([((pl.col("yr") == y) & (pl.col("c") >= 2)).sum().alias(n) for y, n in enumerate(names)])
            elif kind in ("repeat_within_year", "people_repeat_within_year"):
                hist = self.history(ev, pc)
                joined = inyear.join(hist, on=[pc, "day"], how="inner").filter(pl.col("rep"))
                if kind == "repeat_within_year":
                    agg = joined.group_by(dims).agg([(pl.col("yr") == y).sum().alias(n) for y, n in enumerate(names)])
                else:
                    agg = joined.group_by(dims).agg([pl.col(pc).filter(pl.col("yr") == y).n_unique().alias(n) for y, n in enumerate(names)])
            elif kind == "sum":
                agg = inyear.group_by(dims).agg([pl.col("value").filter(pl.col("yr") == y).sum().alias(n) for y, n in enumerate(names)])
            elif kind == "mean":
                # The mean of the values (blank ones left out), with their number and spread.
                v = lambda y: pl.col("mv").filter(pl.col("yr") == y)
                agg = inyear.group_by(dims).agg([v(y).mean().alias(n) for y, n in enumerate(names)]
                                                + [v(y).count().alias(f"m{k}_n{y}") for y in range(years)]
                                                + [v(y).std().alias(f"m{k}_sd{y}") for y in range(years)])
                table = table.join(agg, on=dims, how="left").with_columns([pl.col(f"m{k}_n{y}").fill_null(0) for y in range(years)])
                mean_cols.append(k)
                agg = None
            elif kind == "sites":
                # Service sites of the category in the row's area (the whole area's without an area
                # breakdown): reference data, the same both years.
                counts = {label: c["sites"].count(args[0].lower()) for label, c in self.ref.area_counts(by[area][0] if area is not None else None).items()}
                sites = (pl.col(f"d{area}").replace_strict(counts, default=0, return_dtype=pl.Int64) if area is not None else pl.lit(counts[None]))
                table = table.with_columns([sites.alias(n) for n in names])
            elif kind == "share":
                table = table.with_columns([(100.0 * pl.col(f"r{y}") / pl.col(f"r{y}").sum()).alias(n) for y, n in enumerate(names)])
                table = table.with_columns([pl.when(pl.col(f"r{y}").sum() > 0).then(pl.col(n)).alias(n) for y, n in enumerate(names)])
            elif kind in ("rate_per_1000", "rate_per_10000_children"):
                children = kind == "rate_per_10000_children"
                scale = 10000.0 if children else 1000.0
                if area is not None:
                    res, chi = self.ref.denominators(by[area][0])
                    den = pl.col(f"d{area}").replace_strict(chi if children else res, default=0, return_dtype=pl.Int64)
                else:
                    den = pl.lit(sum(self.ref.children if children else self.ref.residents))
                table = table.with_columns([pl.when(den > 0).then(pl.col(f"r{y}") * scale / den).alias(n) for y, n in enumerate(names)])
            else:
                raise ValueError(kind)
            if agg is not None:
                table = table.join(agg, on=dims, how="left").with_columns([pl.col(n).fill_null(0) for n in names])
            out_cols += names
        # After the measures: each row's records, then each mean's number of values and standard deviation.
        extras = [f"r{y}" for y in range(years)] + [f"m{k}_{c}{y}" for k in mean_cols for y in range(years) for c in ("n", "sd")]
        queries = [table.select([f"d{i}" for i in range(len(by))] + out_cols + extras)]
        compared = len(by) == 1 and area == 0 and self.ref.age_bands and any(m[0] in ("rate_per_1000", "rate_per_10000_children") for m in t.measures)
        if compared:
            # An area table's records per (area, year, population age band), in the same collect.
            band = pl.lit(None, dtype=pl.Int32)
            for k, (_, lo, hi) in reversed(list(enumerate(self.ref.age_bands))):
                band = pl.when(pl.col("age").is_between(lo, hi) if hi is not None else pl.col("age") >= lo).then(pl.lit(k, dtype=pl.Int32)).otherwise(band)
            queries.append(inyear.group_by("d0", "yr", band.alias("k")).len())
        frames = pl.collect_all(queries)
        fetched = frames[0].rows()
        width = len(by) + len(out_cols)
        rows = [r[:width] for r in fetched]
        records = [r[width:width + years] for r in fetched]
        mean_at = [len(by) + k * years for k in mean_cols]
        mean_stats = [[[(r[width + years + 2 * (i * years + y)], r[at + y], r[width + years + 2 * (i * years + y) + 1]) for y in range(years)]
                       for i, at in enumerate(mean_at)] for r in fetched]
        ages = None
        if compared:
            ages = {}
            for label, yr, k, c in frames[1].rows():
                ages.setdefault((label, yr), {})[k] = c
        return finish_table(self.ref, t, suffixes, header, rows, records, mean_stats, ages)

    def history(self, ev, pc):
        """Each (person, day) with whether the person had an earlier day within 365 days."""
        h = ev.filter(pl.col(pc).is_not_null() & pl.col("day").is_not_null()).select(pc, "day").unique().sort([pc, "day"])
        prev = pl.col("day").shift(1).over(pc, order_by="day")
        return h.with_columns(((pl.col("day") - prev).dt.total_days() <= 365).fill_null(False).alias("rep"))

    def agency_counts(self, sets, minimum):
        ev = self.events(sets)
        if ev is None:
            return {}
        per = ev.filter((pl.col("y") < 2) & pl.col("person").is_not_null()).group_by(["y", "person"]).agg(pl.col("agency").n_unique().alias("a"))
        if minimum is not None:
            per = per.with_columns(pl.when(pl.col("a") >= minimum).then(1).otherwise(0).alias("a"))
        else:
            per = per.with_columns(pl.min_horizontal(pl.col("a"), pl.lit(3)).alias("a"))
        counts = per.group_by("a").agg([(pl.col("y") == y).sum().alias(f"c{y}") for y in (0, 1)]).collect().rows()
        return {a: (c0, c1) for a, c0, c1 in counts}

    def cohort_people(self, sets, cohort, later):
        (a0, a1), _, (b0, b1) = cohort
        before, after = self.events(sets), self.events(later)
        if before is None or after is None:
            return {}, (0, 0)
        first = (before.filter(pl.col("person").is_not_null() & pl.col("age").is_between(a0, a1)).group_by("person")
                 .agg(pl.col("day").min().alias("first")))
        seen = (after.filter(pl.col("age").is_between(b0, b1) & (pl.col("y") < 2)).join(first, on="person", how="inner")
                .filter(pl.col("first") < pl.col("day")))
        by, total = pl.collect_all([
            seen.group_by("agency").agg([pl.col("person").filter(pl.col("y") == y).n_unique().alias(f"c{y}") for y in (0, 1)]),
            seen.select([pl.col("person").filter(pl.col("y") == y).n_unique().alias(f"c{y}") for y in (0, 1)])])
        return {a: (c0, c1) for a, c0, c1 in by.rows()}, tuple(total.row(0))

    # --- success measures ---

    def measure_value(self, sets, m, minimum):
        kind, args = m
        if minimum is not None:
            counts = self.agency_counts(sets, minimum)
            return [float(counts.get(1, (0, 0))[y]) for y in (0, 1)]
        ev = self.events(sets, serial=args if kind == "serial" else None, sum_field=args[0] if kind == "sum" else None)
        if ev is None:
            return [0.0, 0.0]
        iny = ev.filter(pl.col("y") < 2)
        # Both years in one query (one collect).
        years = lambda e: e.select([pl.col("y").eq(y).sum().alias(f"c{y}") for y in (0, 1)]).collect().row(0)
        if kind in ("records", "rate_per_1000", "rate_per_10000_children", "share"):
            v = years(iny)
        elif kind == "people":
            v = iny.select([pl.col("person").filter(pl.col("y") == y).drop_nulls().n_unique().alias(f"c{y}") for y in (0, 1)]).collect().row(0)
        elif kind == "repeat_people":
            v = years(iny.filter(pl.col("person").is_not_null()).group_by("y", "person").len().filter(pl.col("len") >= 2))
        elif kind == "serial":
            v = years(iny.filter(pl.col("sa").is_not_null() & pl.col("sb").is_not_null()).group_by("y", "sa").agg(pl.col("sb").n_unique().alias("c"))
                      .filter(pl.col("c") >= 2))
        elif kind in ("repeat_within_year", "people_repeat_within_year"):
            j = iny.join(self.history(ev, "person"), on=["person", "day"], how="inner").filter(pl.col("rep"))
            v = (years(j) if kind == "repeat_within_year" else
                 j.select([pl.col("person").filter(pl.col("y") == y).n_unique().alias(f"c{y}") for y in (0, 1)]).collect().row(0))
        elif kind == "sum":
            v = iny.select([pl.col("value").filter(pl.col("y") == y).sum().alias(f"c{y}") for y in (0, 1)]).collect().row(0)
            v = [x or 0 for x in v]
        else:
            raise ValueError(kind)
        v = [float(x) for x in v]
        if kind in ("rate_per_1000", "rate_per_10000_children"):
            children = kind == "rate_per_10000_children"
            den = sum(self.ref.children if children else self.ref.residents)
            v = [x * (10000 if children else 1000) / den if den else None for x in v]
        if kind == "share":
            v = [100.0, 100.0]
        return v

    # --- benchmarks: what BenchmarkTables asks of the data ---

    def local_count(self, sets, people, days):
        """The sets' events dated within `days` (first, last): rows, or distinct people."""
        ev = self.events(sets)
        if ev is None:
            return 0
        ev = ev.filter(pl.col("day").is_between(days[0], days[1]))
        return (ev.select(pl.col("person").drop_nulls().n_unique()) if people else ev.select(pl.len())).collect().item()

    def coverage(self, sets):
        """(earliest, latest) date of any row of the sources behind the sets (all their rows, not
        only the sets'), or None."""
        dates = [self.t[s]["date"] for s in sorted({es.source for es in sets}) if s in self.t and self.defs.sources[s].has_date]
        lo = min((d.min() for d in dates if d.min() is not None), default=None)
        hi = max((d.max() for d in dates if d.max() is not None), default=None)
        return (lo, hi) if lo is not None else None
