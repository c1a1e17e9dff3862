"""The partnership's declarative definitions (profiles/sources, profiles/codes, profiles/priorities,
profiles/benchmarks) read as the engine reads them (Sources/Definitions), for the DuckDB and Polars
jobs that redo the engine's work from the same files.

Every YAML scalar is read as a string (BaseLoader), as the engine's reader does: `Y`, `No` or `4`
stay text, never booleans or numbers.
"""
import csv, datetime, glob, os, re
import yaml


def load_yaml(path):
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=yaml.BaseLoader)


def as_list(v):
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def truthy(v):
    return str(v).lower() in ("true", "yes", "y", "1", "on")


class CodeList:
    """Raw codes to canonical labels (exact entry first, then the longest `PREFIX*` entry), and
    what an unknown code becomes: rejected, kept as written, or a label."""

    def __init__(self, name, spec):
        self.name = name
        self.entries = []
        for key, value in spec.items():
            if key == "map":
                for code, label in value.items():
                    self.entries.append((code, label))
            elif key == "groups":
                for label, codes in value.items():
                    for code in as_list(codes):
                        self.entries.append((code, label))
        u = spec.get("unknown", "keep")
        # `unknown: reject`, `keep` or `{label: ...}` (a bare word other than those two is read as a label too).
        if isinstance(u, dict):
            self.unknown = ("label", u["label"])
        else:
            self.unknown = "reject" if u == "reject" else ("keep" if u == "keep" else ("label", u))

    def exact(self):
        """Exact entries (first one wins for a code), in order."""
        seen, out = set(), []
        for code, label in self.entries:
            if code not in seen:
                seen.add(code)
                out.append((code, label))
        return out

    def prefixes(self):
        """Prefix entries, longest prefix first (ties: first defined)."""
        out = [(code[:-1], label) for code, label in self.entries if code.endswith("*")]
        return sorted(out, key=lambda p: -len(p[0]))

    def label(self, text):
        """The label of one raw (trimmed) value: None for a code rejected, "" for no value."""
        for code, label in self.exact():
            if code == text:
                return label
        for prefix, label in self.prefixes():
            if text.startswith(prefix):
                return label
        if self.unknown == "reject":
            return None
        if self.unknown == "keep":
            return text
        return self.unknown[1]


STANDARD_YES = ["Y", "Yes", "1", "True"]
STANDARD_NO = ["N", "No", "0", "False", ""]


class Field:
    def __init__(self, name, spec, default_format, out_name=None):
        self.name = out_name or name
        if isinstance(spec, str):
            spec = {"column": spec}
        self.column = spec["column"]
        self.type = spec.get("type", "text")
        self.format = spec.get("format", default_format if self.type == "date" else None)
        self.codes = spec.get("codes")
        self.separator = spec.get("separator", ";")
        self.required = truthy(spec.get("required", "false"))
        self.null_values = as_list(spec.get("null_values"))
        self.occurrence = int(spec.get("occurrence", "1"))
        # `optional: true`: a file without the column reads the field as blank.
        self.optional = truthy(spec.get("optional", "false"))
        # `range: [0, 120]`: an integer outside it rejects the row.
        self.range = tuple(int(x) for x in spec["range"]) if "range" in spec else None


class Role:
    def __init__(self, name, spec, default_format):
        self.name = name
        self.identity = {}
        self.dob_format = default_format
        self.fields = []
        # `local_id: {column, system}`: sources naming the same system share local ids (else the source's own).
        self.local_system = None
        for key, value in spec.items():
            if key == "fields":
                self.fields = [Field(n, v, default_format, f"{name}.{n}") for n, v in value.items()]
            elif isinstance(value, dict):
                self.identity[key] = value["column"]
                if key == "local_id" and "system" in value:
                    self.local_system = value["system"]
                if key == "date_of_birth" and "format" in value:
                    self.dob_format = value["format"]
            else:
                self.identity[key] = value

    @property
    def has_birth_date(self):
        return "date_of_birth" in self.identity


class Source:
    def __init__(self, path, shared_lists):
        d = load_yaml(path)
        self.id = d["source"]
        self.agency = d["agency"]
        self.file = d["file"]
        self.optional = truthy(d.get("optional", "false"))
        default_format = d.get("date_format")
        self.fields = [Field(n, v, default_format) for n, v in d["fields"].items()]
        self.roles = [Role(n, v, default_format) for n, v in (d.get("people") or {}).items()]
        flags = d.get("flags") or {}
        self.yes = as_list(flags["yes"]) if "yes" in flags else STANDARD_YES
        self.no = as_list(flags["no"]) if "no" in flags else STANDARD_NO
        own = {n: CodeList(n, s) for n, s in (d.get("codes") or {}).items()}
        self.code_lists = dict(shared_lists)
        self.code_lists.update(own)
        self.has_date = any(f.name == "date" and f.type == "date" for f in self.fields)
        # `join:` (columns of another file by a key) is not implemented here: the jobs refuse a drop
        # that has the files of such a source (the SSDA903 return, optional, absent from the generated drops).
        self.join = d.get("join")

    def all_fields(self):
        return self.fields + [f for r in self.roles for f in r.fields]

    def output_types(self):
        """Every column of the ingested table with its type ('person' for a role's id)."""
        out = {f.name: f.type for f in self.all_fields()}
        for r in self.roles:
            if self.has_date and r.has_birth_date:
                out[f"{r.name}.age_at_event"] = "integer"
            out[r.name] = "person"
        return out

    def files(self, drop):
        """The drop's files of this source, in name order (a plain file wins over its .gz)."""
        names = sorted(os.listdir(drop))
        pattern = re.compile("^" + ".*".join(re.escape(p) for p in self.file.split("*")) + r"\.csv(\.gz)?$")
        mine = [n for n in names if pattern.match(n)]
        mine = [n for n in mine if not (n.endswith(".gz") and n[:-3] in mine)]
        return [os.path.join(drop, n) for n in mine]


class EventSet:
    def __init__(self, name, spec, sources):
        self.name = name
        self.source = spec["source"]
        src = sources[self.source]
        types = src.output_types()
        self.conditions = []
        for field, test in (spec.get("where") or {}).items():
            ftype = types.get(field)
            if isinstance(test, dict):
                (kind, value), = test.items()
                if kind == "not":
                    self.conditions.append((field, "noneOf", as_list(value)))
                elif kind == "any":
                    self.conditions.append((field, "anyOf", as_list(value)))
                elif kind == "between":
                    a, b = [int(x.strip()) for x in value.split("-")]
                    self.conditions.append((field, "between", (a, b)))
                elif kind == "min":
                    self.conditions.append((field, "atLeast", int(float(value))))
                elif kind == "max":
                    self.conditions.append((field, "atMost", int(float(value))))
                elif kind == "present":
                    self.conditions.append((field, "present" if truthy(value) else "blank", None))
                elif kind == "ward_with_site":
                    self.conditions.append((field, "wardWithSite", [c.lower() for c in as_list(value)]))
            elif ftype == "codes":
                self.conditions.append((field, "anyOf", as_list(test)))
            else:
                self.conditions.append((field, "oneOf", as_list(test)))
        self.person = spec.get("person", src.roles[0].name if src.roles else None)
        self.agency = spec.get("agency", src.agency)
        # `also_in: [sets]`: rows whose person has an event of those sets in the same financial
        # year; names here, resolved to the sets by Profile.
        self.also_in_names = as_list(spec.get("also_in"))
        self.also_in = []

    def counting(self, role):
        other = object.__new__(EventSet)
        other.__dict__.update(self.__dict__)
        other.person = role
        return other


def breakdown(text):
    """('field'|'month'|'band'|'ward'|'locality'|'decile'|'agency'|'agencies', field, banding): the
    banding of `band(field)` is 'age', of `band(field, name)` the one named (profiles/codes/bands.yaml)."""
    if text in ("agency", "agencies"):
        return (text, None, None)
    m = re.fullmatch(r"(\w+)\((.+)\)", text)
    if not m:
        return ("field", text, None)
    if m.group(1) == "band":
        parts = [x.strip() for x in m.group(2).split(",")]
        return ("band", parts[0], parts[1] if len(parts) > 1 else "age")
    return (m.group(1), m.group(2), None)


def heading(dim):
    kind, field = dim[0], dim[1]
    if kind == "field":
        return field.replace(".", "_")
    return {"month": "month", "band": (field or "").replace(".", "_") + "_band", "ward": "ward", "locality": "locality",
            "decile": "imd_decile", "agency": "agency", "agencies": "agencies"}[kind]


def measure(text):
    """(kind, args): records, people(role), repeat_people(role), serial(a, b), repeat_within_year(role),
    people_repeat_within_year(role), rate_per_1000, rate_per_10000_children, share, sum(field),
    mean(field), sites(category)."""
    parts = text.split(":")
    return (parts[0], tuple(parts[1:]))


def measure_heading(m):
    return ":".join((m[0],) + m[1]).replace(":", "_")


class Table:
    def __init__(self, spec):
        self.id = spec["id"]
        self.events = as_list(spec["events"])
        self.by = [breakdown(b) for b in as_list(spec.get("by"))]
        self.measures = [measure(m) for m in as_list(spec.get("measures"))]
        self.cohort = None
        if "ages" in spec or "then" in spec:
            ages = [int(x) for x in spec["ages"].split("-")]
            later = [int(x) for x in spec.get("then_ages", spec["ages"]).split("-")]
            self.cohort = (tuple(ages), as_list(spec["then"]), tuple(later))


class Success:
    def __init__(self, spec):
        self.id = spec["id"]
        self.title = spec.get("title", self.id)
        self.good = spec["good"]
        self.events = as_list(spec["events"])
        self.measure = measure(spec.get("measure", "records"))
        self.share_of = as_list(spec["share_of"]) if "share_of" in spec else None
        self.min_agencies = int(float(spec["min_agencies"])) if "min_agencies" in spec else None
        self.cohort = None
        if "ages" in spec or "then" in spec:
            ages = [int(x) for x in spec["ages"].split("-")]
            later = [int(x) for x in spec.get("then_ages", spec["ages"]).split("-")]
            self.cohort = (tuple(ages), as_list(spec["then"]), tuple(later))


class Profile:
    def __init__(self, path, sources):
        d = load_yaml(path)
        self.id = d["profile"]
        self.title = d["title"]
        self.events = {n: EventSet(n, s, sources) for n, s in d["events"].items()}
        for es in self.events.values():
            es.also_in = [self.events[n] for n in es.also_in_names]
        self.tables = [Table(t) for t in as_list(d.get("tables"))]
        self.success = [Success(s) for s in as_list(d.get("success"))]


class Comparison:
    """One comparison of profiles/benchmarks/<profile>.yaml (BenchmarkDefinition.swift): the local
    events counted (records or people) per `multiplier` of the residents or children, set against a
    published indicator (or, with `not_published`, against none)."""

    def __init__(self, spec):
        self.id = spec["id"]
        self.title = spec.get("title", self.id)
        self.events = as_list(spec.get("events"))
        self.count = spec.get("count", "records")
        self.per = spec.get("per", "residents")
        self.multiplier = float(spec.get("multiplier", "1000"))
        self.indicator = spec.get("indicator")
        self.sex = spec.get("sex", "Persons")
        self.age = spec.get("age", "All ages")
        self.polarity = spec.get("polarity", "no_judgement")
        self.note = spec.get("not_published", spec.get("note", ""))


class BenchmarkDefinition:
    def __init__(self, d):
        self.profile = d["profile"]
        self.comparisons = [Comparison(c) for c in as_list(d.get("comparisons"))]


class ComparatorGroups:
    """The area and its nearest-neighbour lists (profiles/benchmarks/areas.yaml)."""

    def __init__(self, d):
        self.area = d["area"]
        self.neighbour_lists = [(int(n["from"]), n.get("name", "nearest neighbours"), as_list(n.get("areas")))
                                for n in as_list(d.get("nearest_neighbours"))]

    def neighbours(self, year):
        """The neighbour codes for a year: the latest list starting on or before it, else the earliest."""
        lists = self.neighbour_lists
        if not lists:
            return None
        started = [n for n in lists if n[0] <= year]
        return max(started, key=lambda n: n[0])[2] if started else min(lists, key=lambda n: n[0])[2]


class Definitions:
    def __init__(self, root):
        shared = {}
        self.bands = {}
        for path in sorted(glob.glob(os.path.join(root, "profiles/codes/*.yaml"))):
            d = load_yaml(path)
            for n, s in (d.get("codes") or {}).items():
                shared[n] = CodeList(n, s)
            # Bandings of integer fields: name -> [(label, first, last)] in display order.
            for n, s in (d.get("bands") or {}).items():
                self.bands[n] = [(label, int(r[0]), int(r[1])) for label, r in s.items() if label != "description"]
        self.sources = {}
        for path in sorted(glob.glob(os.path.join(root, "profiles/sources/*.yaml"))):
            s = Source(path, shared)
            self.sources[s.id] = s
        self.profiles = [Profile(p, self.sources) for p in sorted(glob.glob(os.path.join(root, "profiles/priorities/*.yaml")))]
        bench = os.path.join(root, "profiles/benchmarks")
        self.groups = ComparatorGroups(load_yaml(os.path.join(bench, "areas.yaml")))
        self.benchmarks = {}
        for path in sorted(glob.glob(os.path.join(bench, "*.yaml"))):
            if os.path.basename(path) != "areas.yaml":
                b = BenchmarkDefinition(load_yaml(path))
                self.benchmarks[b.profile] = b


# --- Reference data (small files, read in Python as the engine reads them) ---

def normalise_postcode(p):
    s = "".join(c for c in p if c not in " \t")
    s = "".join(chr(ord(c) - 32) if "a" <= c <= "z" else c for c in s)
    if not re.fullmatch(r"[A-Z0-9]{5,7}", s):
        return None
    if not (s[0].isalpha() and s[-3].isdigit() and s[-2].isalpha() and s[-1].isalpha()):
        return None
    return s[:-3] + " " + s[-3:]


def decile_label(d):
    return "1 (most deprived)" if d == 1 else ("10 (least deprived)" if d == 10 else str(d))


class Reference:
    """Geography (LSOA -> ward, locality, deprivation decile), LSOA aliases, postcodes and
    population, as Sources/Ingest/Reference/ReferenceData.swift loads them."""

    def __init__(self, drop, root):
        own = os.path.join(drop, "reference/geography.csv")
        path = own if os.path.exists(own) else os.path.join(root, "Fixtures/geography/shropshire_lsoa.csv")
        self.lsoas = []
        for r in csv.DictReader(open(path, newline="", encoding="utf-8")):
            self.lsoas.append((r["lsoa_code"], r["ward_name"], r["locality"], int(r["imd_decile"])))
        # code -> canonical LSOA code (first of a code wins; aliases to a known LSOA)
        self.code = {}
        for l in self.lsoas:
            self.code.setdefault(l[0], l[0])
        alias_file = os.path.join(root, "Fixtures/geography/shropshire_lsoa21_best_fit.csv")
        if os.path.exists(alias_file):
            rows = list(csv.reader(open(alias_file, newline="", encoding="utf-8")))[1:]
            for r in rows:
                if len(r) >= 2 and r[1] in self.code and r[0] not in self.code:
                    self.code[r[0]] = self.code[r[1]]
        # The LSOA index of each canonical code is its first position.
        self.index = {}
        for i, l in enumerate(self.lsoas):
            self.index.setdefault(l[0], i)
        self.postcode = {}
        pc = os.path.join(drop, "reference/postcodes.csv")
        if os.path.exists(pc):
            for r in csv.DictReader(open(pc, newline="", encoding="utf-8")):
                n = normalise_postcode(r["postcode"])
                if n is None or n in self.postcode:
                    continue
                c = self.code.get(r["lsoa_code"])
                self.postcode[n] = self.lsoas[self.index[c]][0] if c else "#outside"
        self.residents = [0] * len(self.lsoas)
        self.children = [0] * len(self.lsoas)
        by_band = []
        pop = os.path.join(drop, "reference/population.csv")
        if os.path.exists(pop):
            for r in csv.DictReader(open(pop, newline="", encoding="utf-8")):
                c = self.code.get(r["area_code"])
                if c is None:
                    continue
                i = self.index[c]
                self.residents[i] += int(r["population"])
                if r["age_band"] in ("0-4", "5-9", "10-14", "15-17"):
                    self.children[i] += int(r["population"])
                by_band.append((i, r["age_band"], int(r["population"])))
        self.load_age_bands(by_band)
        # Service sites (reference/services.csv): (LSOA index, category in lower case), a site placed
        # by its LSOA; a site outside the area is left out.
        self.sites = []
        services = os.path.join(drop, "reference/services.csv")
        if os.path.exists(services):
            for r in csv.DictReader(open(services, newline="", encoding="utf-8")):
                c = self.code.get(r["lsoa_code"].strip(" \t"))
                if c is not None:
                    self.sites.append((self.index[c], r.get("category", "").strip(" \t").lower()))

    def load_age_bands(self, by_band):
        """Residents by age band (ReferenceData.loadPopulation): the population file's bands, youngest
        first, when every label is a range (`0-4`, `85+`) and none overlap; else none."""
        labels = list(dict.fromkeys(b for _, b, _ in by_band))
        self.age_bands, self.residents_by_age = [], []
        parsed = []
        for label in labels:
            m = re.fullmatch(r"(\d+)\+", label) or re.fullmatch(r"(\d+)-(\d+)", label)
            if not m or (m.lastindex == 2 and int(m.group(2)) < int(m.group(1))):
                return
            parsed.append((label, int(m.group(1)), int(m.group(2)) if m.lastindex == 2 else None))
        if not parsed:
            return
        order = sorted(range(len(parsed)), key=lambda k: parsed[k][1])
        for a, b in zip(order, order[1:]):
            if parsed[a][2] is None or parsed[a][2] >= parsed[b][1]:
                return
        position = {parsed[k][0]: n for n, k in enumerate(order)}
        self.age_bands = [parsed[k] for k in order]
        self.residents_by_age = [[0] * len(order) for _ in self.lsoas]
        for i, label, n in by_band:
            self.residents_by_age[i][position[label]] += n

    def canonical(self, code):
        """The LSOA row of a code of the area (its first LSOA with that code)."""
        return self.lsoas[self.index[self.code[code]]]

    def area_label(self, kind, i):
        """The label of LSOA i in an area breakdown."""
        l = self.lsoas[i]
        return {"ward": l[1], "locality": l[2], "decile": decile_label(l[3])}[kind]

    def wards_with_site(self, categories):
        """The LSOA codes whose ward has a service site of one of the categories."""
        wards = {self.lsoas[i][1] for i, c in self.sites if c in categories}
        return sorted({l[0] for l in self.lsoas if l[1] in wards})

    def area_counts(self, kind):
        """Per label of an area breakdown (None: the whole area): residents, children, residents by
        age band, and the categories of its service sites."""
        out = {}
        for i in range(len(self.lsoas)):
            v = self.area_label(kind, i) if kind else None
            c = out.setdefault(v, {"residents": 0, "children": 0, "by_age": [0] * len(self.age_bands), "sites": []})
            c["residents"] += self.residents[i]
            c["children"] += self.children[i]
            for k, n in enumerate(self.residents_by_age[i] if self.residents_by_age else []):
                c["by_age"][k] += n
        for i, cat in self.sites:
            out[self.area_label(kind, i) if kind else None]["sites"].append(cat)
        return out

    def area_rows(self):
        """(lsoa_code, ward, locality, decile label, residents, children) of each LSOA."""
        return [(l[0], l[1], l[2], decile_label(l[3]), self.residents[i], self.children[i]) for i, l in enumerate(self.lsoas)]

    def labels(self, kind):
        """Every label an area breakdown lists, in first-seen order."""
        out = []
        for l in self.lsoas:
            v = {"ward": l[1], "locality": l[2], "decile": decile_label(l[3])}[kind]
            if v not in out:
                out.append(v)
        return out

    def denominators(self, kind):
        """Residents and children by label of an area breakdown."""
        res, chi = {}, {}
        for i, l in enumerate(self.lsoas):
            v = {"ward": l[1], "locality": l[2], "decile": decile_label(l[3])}[kind]
            res[v] = res.get(v, 0) + self.residents[i]
            chi[v] = chi.get(v, 0) + self.children[i]
        return res, chi


AGE_BANDS = [("0-4", 0, 4), ("5-9", 5, 9), ("10-15", 10, 15), ("16-17", 16, 17), ("18-24", 18, 24), ("25-34", 25, 34),
             ("35-44", 35, 44), ("45-54", 45, 54), ("55-64", 55, 64), ("65-74", 65, 74), ("75-84", 75, 84), ("85+", 85, 200)]


# --- The reporting period (Sources/Profiles/ReportingPeriod.swift) ---


def financial_year(y):
    return datetime.date(y, 4, 1), datetime.date(y + 1, 3, 31)


def latest_complete(last_day):
    y = last_day.year
    while datetime.date(y + 1, 3, 31) > last_day:
        y -= 1
    return y


def period_labels(y):
    def label(a):
        return f"{a}_{(a + 1) % 100:02d}"
    return label(y), label(y - 1)


def month_labels(y):
    """The 24 months of the year before and the reporting year: (first day, 'yyyy-MM')."""
    out = []
    d = datetime.date(y - 1, 4, 1)
    while d <= datetime.date(y + 1, 3, 31):
        out.append((d, f"{d.year:04d}-{d.month:02d}"))
        d = datetime.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return out
