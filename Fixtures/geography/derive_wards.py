"""Shropshire's 63 ward boundaries for the HTML report's map, simplified for size (run from the
project root: python3 Fixtures/geography/derive_wards.py).

From ONS Census Merged Wards (December 2011) generalised clipped boundaries for Shropshire
(../shared/data/boundaries/E06000051-census-merged-wards-2011.geojson, via
henryjameslau/Census-merged-wards). Their names are the 63 ward names of the LSOA-to-ward lookup.
Each ring is simplified (Douglas-Peucker, 0.0008 degrees, about 60-90 m) and rounded to 4 decimal
places. Contains OS data (c) Crown copyright and database right; OGL v3.0.
"""
import json, os

HERE = os.path.dirname(__file__)
SOURCE = os.path.join(HERE, "..", "..", "..", "shared", "data", "boundaries", "E06000051-census-merged-wards-2011.geojson")

def simplify(points, tolerance):
    if len(points) < 4:
        return points
    def distance(p, a, b):
        (x, y), (x1, y1), (x2, y2) = p, a, b
        dx, dy = x2 - x1, y2 - y1
        if dx == 0 and dy == 0:
            return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
        t = max(0, min(1, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
        return ((x - x1 - t * dx) ** 2 + (y - y1 - t * dy) ** 2) ** 0.5
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        i, j = stack.pop()
        best, index = 0, None
        for k in range(i + 1, j):
            d = distance(points[k], points[i], points[j])
            if d > best:
                best, index = d, k
        if index is not None and best > tolerance:
            keep[index] = True
            stack += [(i, index), (index, j)]
    return [p for p, k in zip(points, keep) if k]

source = json.load(open(SOURCE))
features = []
for f in sorted(source["features"], key=lambda f: f["properties"]["cmwd11nm"]):
    g = f["geometry"]
    polygons = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
    out = []
    for polygon in polygons:
        rings = [[[round(x, 4), round(y, 4)] for x, y in simplify(ring, 0.0008)] for ring in polygon]
        rings = [r for r in rings if len(r) >= 4]
        if rings:
            out.append(rings)
    features.append({"type": "Feature", "properties": {"ward_code": f["properties"]["cmwd11cd"], "ward_name": f["properties"]["cmwd11nm"]},
                     "geometry": {"type": "MultiPolygon", "coordinates": out}})
json.dump({"type": "FeatureCollection", "features": features}, open(os.path.join(HERE, "shropshire_wards.geojson"), "w"), separators=(",", ":"))
