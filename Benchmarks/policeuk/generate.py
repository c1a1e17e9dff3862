"""Synthetic police.uk street-level crime files at national scale, in the real format: one file per
force per month (`YYYY-MM/YYYY-MM-<force>-street.csv`), the real header and column order, LSOA codes
and names of England and Wales (ONS LSOA 2011 lookup) each in its police force area, the 14 crime
types in about their national proportions, a blank Crime ID and outcome on anti-social behaviour.
Every row is invented. Usage:
  python3 Benchmarks/policeuk/generate.py OUT --rows 50000000 --months 36 [--seed 1] [--workers 2]
"""
import argparse, csv, os, random, multiprocessing

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "..", "shared", "data", "ons_geography")
HEADER = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\n"
TYPES = [("Anti-social behaviour", 30), ("Violence and sexual offences", 33), ("Public order", 8), ("Criminal damage and arson", 7),
         ("Shoplifting", 6), ("Other theft", 5), ("Burglary", 3.5), ("Vehicle crime", 4), ("Drugs", 2), ("Other crime", 1.5),
         ("Theft from the person", 1), ("Robbery", 1), ("Possession of weapons", 0.8), ("Bicycle theft", 1.2)]
OUTCOMES = ["Investigation complete; no suspect identified", "Unable to prosecute suspect", "Under investigation",
            "Awaiting court outcome", "Local resolution", "Offender given a caution", "Status update unavailable",
            "Further investigation is not in the public interest"]
STREETS = ["On or near High Street", "On or near Station Road", "On or near Church Lane", "On or near Park Road",
           "On or near Supermarket", "On or near Shopping Area", "On or near Parking Area", "On or near Nightclub"]

def forces():
    pfa = {}
    for r in csv.DictReader(open(os.path.join(DATA, "LAD18_CSP18_PFA18_EW_LU.csv"), encoding="utf-8-sig")):
        pfa[r["LAD18CD"]] = r["PFA18NM"]
    out = {}
    for r in csv.DictReader(open(os.path.join(DATA, "LSOA11_WD19_LAD19_EW_LU.csv"), encoding="utf-8-sig")):
        force = pfa.get(r["LAD19CD"])
        if force:
            out.setdefault(force, []).append((r["LSOA11CD"], r["LSOA11NM"]))
    return out

def write(job):
    path, month, force, lsoas, rows, seed = job
    rnd = random.Random(seed)
    names = [t for t, _ in TYPES]
    weights = [w for _, w in TYPES]
    # As police.uk names them: "City of London Police" for the lookup's "London, City of".
    shown = "City of " + force[:-len(", City of")] if force.endswith(", City of") else force
    police = shown + (" Service" if shown.endswith("Police") else (" Constabulary" if rnd.random() < 0.4 else " Police"))
    types = rnd.choices(names, weights, k=rows)
    places = rnd.choices(lsoas, k=rows)
    lines = [HEADER]
    for t, (code, name) in zip(types, places):
        asb = t == "Anti-social behaviour"
        crime_id = "" if asb else "%064x" % rnd.getrandbits(256)
        outcome = "" if asb else OUTCOMES[rnd.randrange(len(OUTCOMES))]
        lines.append(f"{crime_id},{month},{police},{police},{-4 + 5 * rnd.random():.6f},{50 + 5 * rnd.random():.6f},"
                     f"{STREETS[rnd.randrange(8)]},{code},{name},{t},{outcome},\n")
        if len(lines) >= 200_000:
            open(path, "a").writelines(lines)
            lines = []
    open(path, "a").writelines(lines)
    return rows

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--rows", type=int, default=50_000_000)
    ap.add_argument("--months", type=int, default=36)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    a = ap.parse_args()
    by_force = forces()
    total_lsoas = sum(len(v) for v in by_force.values())
    jobs = []
    for m in range(a.months):
        year, month = 2021 + m // 12, 1 + m % 12
        label = f"{year:04d}-{month:02d}"
        os.makedirs(os.path.join(a.out, label), exist_ok=True)
        for i, (force, lsoas) in enumerate(sorted(by_force.items())):
            slug = force.lower().replace(" & ", "-and-").replace(", ", "-").replace(" ", "-")
            path = os.path.join(a.out, label, f"{label}-{slug}-street.csv")
            if os.path.exists(path):
                os.remove(path)
            rows = round(a.rows / a.months * len(lsoas) / total_lsoas)
            jobs.append((path, label, force, lsoas, rows, a.seed * 1_000_003 + m * 101 + i))
    with multiprocessing.Pool(a.workers) as pool:
        written = sum(pool.imap_unordered(write, jobs))
    print(f"{written} rows in {len(jobs)} files under {a.out}")

if __name__ == "__main__":
    main()
