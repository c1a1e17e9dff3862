#!/usr/bin/env python3
"""Copies the real public files the tests read from ../shared/data into Fixtures/public (OGL v3.0).

Run from the project root: python3 Fixtures/public/derive.py
(SHARED_DATA names another copy of the shared data.) The tests read only Fixtures/public; this
script documents, and repeats exactly, how it was made. See Fixtures/public/README.md.

- policeuk/2018-12-, 2019-01-west-mercia-street.csv, fingertips/, dfe/: copied unchanged.
- ons_geography/LSOA11_WD19_LAD19_EW_LU.csv, LSOA11_LAD19_IMD19_EN_LU.csv: unchanged, gzipped
  (`gzip -9 -n`, so the same bytes every time).
- policeuk/national/2024-02, 2024-03 (40 forces): the three files tests read one by one
  (2024-02 west-mercia and cheshire, 2024-03 west-mercia) copied unchanged (already gzipped); the
  other 77 keep every row and the header, and the values of Month, Reported by, Falls within,
  LSOA code, LSOA name and Crime type; Crime ID, Longitude, Latitude, Location, Last outcome
  category and Context are blanked (they are what makes the files large, and `profiler
  comparators` does not use them). Rows in the original order, CRLF line ends, gzipped as above.
"""
import csv, gzip, io, os, shutil, subprocess, sys

SHARED = os.environ.get("SHARED_DATA", "../shared/data")
OUT = os.path.dirname(os.path.abspath(__file__))

UNCHANGED = [
    "policeuk/2018-12-west-mercia-street.csv",
    "policeuk/2019-01-west-mercia-street.csv",
    "fingertips/indicators-CountyUA.data.csv",
    "dfe/cla_number_and_rate_per_10k_children.csv",
    "dfe/permanent_exclusions_and_suspensions_la.csv",
    "policeuk/national/2024-02/2024-02-west-mercia-street.csv.gz",
    "policeuk/national/2024-02/2024-02-cheshire-street.csv.gz",
    "policeuk/national/2024-03/2024-03-west-mercia-street.csv.gz",
]
GZIPPED = [
    "ons_geography/LSOA11_WD19_LAD19_EW_LU.csv",
    "ons_geography/LSOA11_LAD19_IMD19_EN_LU.csv",
]
KEPT_COLUMNS = {"Month", "Reported by", "Falls within", "LSOA code", "LSOA name", "Crime type"}


def target(name):
    path = os.path.join(OUT, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    return path


def gzip_file(path):
    """gzip -9 -n: no name or time stamp in the header, so the output depends on the bytes only."""
    subprocess.run(["gzip", "-9", "-n", "-f", path], check=True)


def reduce_police(src, dst):
    with gzip.open(src, "rt", encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        kept = [h in KEPT_COLUMNS for h in header]
        if sum(kept) != len(KEPT_COLUMNS):
            sys.exit(f"{src}: expected the columns {sorted(KEPT_COLUMNS)}, found {header}")
        rows = [[v if k else "" for v, k in zip(row, kept)] for row in reader]
    text = io.StringIO()
    w = csv.writer(text, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    plain = dst[: -len(".gz")]
    with open(plain, "w", encoding="utf-8", newline="") as f:
        f.write(text.getvalue())
    gzip_file(plain)


def main():
    for name in UNCHANGED:
        shutil.copyfile(os.path.join(SHARED, name), target(name))
    for name in GZIPPED:
        shutil.copyfile(os.path.join(SHARED, name), target(name))
        gzip_file(target(name))
    national = os.path.join(SHARED, "policeuk/national")
    for month in ("2024-02", "2024-03"):
        for file in sorted(os.listdir(os.path.join(national, month))):
            name = f"policeuk/national/{month}/{file}"
            if file.endswith("-street.csv.gz") and name not in UNCHANGED:
                reduce_police(os.path.join(national, month, file), target(name))


if __name__ == "__main__":
    main()
