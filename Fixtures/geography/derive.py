#!/usr/bin/env python3
"""Derives Shropshire's reference geography from the ONS files in ../shared/data (OGL v3.0).

Run from the project root: python3 Fixtures/geography/derive.py
Writes Fixtures/geography/shropshire_lsoa.csv: one row per 2011 LSOA of Shropshire (E06000051)
with its 2019 ward, the IMD 2019 rank and national decile, the LSOA centroid, and the locality.

Also writes Fixtures/geography/shropshire_lsoa21_best_fit.csv: each 2021 LSOA code that is not a
2011 code, with the 2011 LSOA that contains its centroid (a best fit: police.uk files from 2021 on
use 2021 codes). 2021 codes equal to 2011 codes need no entry.

Localities are the engine's own grouping of the 63 wards into five areas (Shrewsbury, North West,
North East, South, East): Shrewsbury's town wards by name, the rest by the ward centroid. They are
not an official geography; an area edits the locality column to use its own.
"""
import csv, json, os, sys
from collections import defaultdict

SHARED = os.environ.get("SHARED_DATA", "../shared/data")
LAD = "E06000051"
IMD_LSOAS = 32844  # LSOAs in England ranked by IMD 2019

SHREWSBURY_WARDS = {
    "Abbey", "Bagley", "Bayston Hill, Column and Sutton", "Battlefield", "Belle Vue", "Bowbrook", "Castlefields and Ditherington", "Copthorne",
    "Harlescott", "Meole", "Monkmoor", "Porthill", "Quarry and Coton Hill", "Radbrook",
    "Sundorne", "Underdale",
}

def main():
    rows = []
    with open(os.path.join(SHARED, "ons_geography/LSOA11_WD19_LAD19_EW_LU.csv"), newline="") as f:
        for r in csv.DictReader(f):
            if r["LAD19CD"] == LAD:
                rows.append(r)
    imd = {}
    with open(os.path.join(SHARED, "ons_geography/LSOA11_LAD19_IMD19_EN_LU.csv"), newline="") as f:
        for r in csv.DictReader(f):
            if r["LAD19CD"] == LAD:
                imd[r["LSOA11CD"]] = int(r["IMD19"])
    with open(os.path.join(SHARED, "boundaries/E06000051-lsoa-2011.geojson")) as f:
        cent = {ft["properties"]["LSOA11CD"]: (ft["properties"]["LONG"], ft["properties"]["LAT"])
                for ft in json.load(f)["features"]}
    wards = defaultdict(list)
    for r in rows:
        wards[r["WD19NM"]].append(cent[r["LSOA11CD"]])
    def locality(ward):
        if ward in SHREWSBURY_WARDS:
            return "Shrewsbury"
        pts = wards[ward]
        lon = sum(p[0] for p in pts) / len(pts)
        lat = sum(p[1] for p in pts) / len(pts)
        if lat >= 52.78:
            return "North West" if lon < -2.83 else "North East"
        if lon > -2.60:
            return "East"
        return "South"
    assert len(rows) == 193, len(rows)
    rows.sort(key=lambda r: r["LSOA11CD"])
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "shropshire_lsoa.csv")
    with open(out, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["lsoa_code", "lsoa_name", "ward_code", "ward_name", "locality", "lad_code",
                    "lad_name", "imd_rank", "imd_decile", "longitude", "latitude"])
        for r in rows:
            rank = imd[r["LSOA11CD"]]
            decile = min(10, (rank - 1) * 10 // IMD_LSOAS + 1)
            lon, lat = cent[r["LSOA11CD"]]
            w.writerow([r["LSOA11CD"], r["LSOA11NM"], r["WD19CD"], r["WD19NM"], locality(r["WD19NM"]),
                        LAD, r["LAD19NM"], rank, decile, f"{lon:.5f}", f"{lat:.5f}"])
    print(f"wrote {out}: {len(rows)} LSOAs, {len(wards)} wards", file=sys.stderr)

def polygon_centroid(ring):
    """Area-weighted centroid of a closed ring of (lon, lat)."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    a *= 0.5
    return (cx / (6 * a), cy / (6 * a)) if a else ring[0]

def inside(point, ring):
    """Ray casting: is the point inside the ring?"""
    x, y = point
    result = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
        if (y0 > y) != (y1 > y) and x < (x1 - x0) * (y - y0) / (y1 - y0) + x0:
            result = not result
    return result

def rings(geometry):
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    return [poly[0] for poly in geometry["coordinates"]]

def best_fit_2021():
    with open(os.path.join(SHARED, "boundaries/E06000051-lsoa-2011.geojson")) as f:
        lsoa11 = [(ft["properties"]["LSOA11CD"], rings(ft["geometry"])) for ft in json.load(f)["features"]]
    with open(os.path.join(SHARED, "boundaries/E06000051-lsoa-2021.geojson")) as f:
        lsoa21 = [(ft["properties"]["LSOA21CD"], rings(ft["geometry"])) for ft in json.load(f)["features"]]
    codes11 = {c for c, _ in lsoa11}
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "shropshire_lsoa21_best_fit.csv")
    with open(out, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["lsoa21_code", "lsoa11_code"])
        for code, rs in sorted(lsoa21):
            if code in codes11:
                continue
            biggest = max(rs, key=len)
            c = polygon_centroid(biggest)
            match = [c11 for c11, r11 in lsoa11 if any(inside(c, r) for r in r11)]
            assert match, code
            w.writerow([code, match[0]])
    print(f"wrote {out}", file=sys.stderr)

if __name__ == "__main__":
    best_fit_2021()
    main()
