"""Derives the comparator reference files shipped with the engine from the real public files in
../shared/data (run from the project root: python3 Fixtures/comparators/derive.py).

areas.csv       every English local authority (lower and upper tier) with its upper-tier authority,
                region, Community Safety Partnership and police force area (ONS lookups).
population.csv  population denominators by area, sex and age band: all ages (persons) from the
                denominators of the Fingertips export (ONS mid-year estimates as Fingertips used
                them, 2015-2017, County & UA, region, England) and 0-17 from the DfE children looked
                after tables (2020-2024, local authority, region, England).
"""
import csv, os

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data")
OUT = os.path.dirname(__file__)

areas = list(csv.DictReader(open(os.path.join(DATA, "ons_geography", "area_all_codes.csv"), newline="")))
csp = {r["LAD18CD"]: r for r in csv.DictReader(open(os.path.join(DATA, "ons_geography", "LAD18_CSP18_PFA18_EW_LU.csv"), newline="", encoding="utf-8-sig"))}
with open(os.path.join(OUT, "areas.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["area_code", "area_name", "area_type", "utla_code", "utla_name", "region_code", "region_name", "csp_code", "csp_name", "pfa_code", "pfa_name"])
    for r in sorted(areas, key=lambda r: r["areacode"]):
        if r["CTRYCD"] != "E92000001" or r["areatype"] not in ("la", "utla"):
            continue
        c = csp.get(r["areacode"], {})
        w.writerow([r["areacode"], r["areaname"], "lower tier" if r["UTLACD"] != r["areacode"] else "upper tier",
                    r["UTLACD"], r["UTLANM"], r["RGNCD"], r["RGNNM"], c.get("CSP18CD", ""), c.get("CSP18NM", ""),
                    c.get("PFA18CD", ""), c.get("PFA18NM", "")])

rows = []
ft = csv.reader(open(os.path.join(DATA, "fingertips", "indicators-CountyUA.data.csv"), newline=""))
header = next(ft)
for r in ft:
    if r[9] or not r[18]:          # category rows (deprivation deciles) are not areas
        continue
    age = {"All ages": "all", "0-9 yrs": "0-9"}[r[8]]
    rows.append([r[4], r[5], r[6], r[7], age, r[18], r[11], "OHID Fingertips indicator 93356 denominator (ONS mid-year estimate)"])
cla = csv.DictReader(open(os.path.join(DATA, "dfe", "cla_number_and_rate_per_10k_children.csv"), newline="", encoding="utf-8-sig"))
seen = set()
for r in cla:
    level = r["geographic_level"]
    code = {"National": r["country_code"], "Regional": r["region_code"], "Local authority": r["new_la_code"]}.get(level)
    name = {"National": r["country_name"], "Regional": r["region_name"], "Local authority": r["la_name"]}.get(level)
    if not code or not r["population_estimate"].isdigit() or (code, r["time_period"]) in seen:
        continue
    seen.add((code, r["time_period"]))
    kind = {"National": "Country", "Regional": "Region", "Local authority": "County & UA"}[level]
    rows.append([code, name, kind, "Persons", "0-17", r["population_estimate"], r["time_period"], "DfE children looked after, population estimate aged 0-17"])
with open(os.path.join(OUT, "population.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["area_code", "area_name", "area_type", "sex", "age_band", "population", "year", "source"])
    for row in sorted(rows, key=lambda r: (r[0], r[4], r[6])):
        w.writerow(row)
