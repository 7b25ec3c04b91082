#!/usr/bin/python3
"""Measures what DBNet's input pipeline and evaluation cost on one CPU core, per image.

The pipeline is the one of the reference implementation (MhLiao/DB, data/processes/ and
structure/representers/seg_detector_representer.py), written again here with Debian's numpy,
OpenCV, pyclipper and shapely:

  decode      cv2.imdecode of a JPEG (quality 90) of the stored image
  augment     horizontal flip (p = 0.5), rotation uniform in [-10, 10] degrees (same canvas, as
              imgaug's Affine), resize by one factor uniform in [0.5, 3] (imgaug's Resize), the
              text-keeping random crop (RandomCropData: a crop whose edges cut no text, found from
              the text's projections on both axes, at most 10 tries, sides >= 0.1 of the image),
              scaled into the training size and padded; then NormalizeImage (float32, mean
              subtracted, / 255, CHW)
  label_maps  MakeICDARData (polygons clipped and oriented), MakeSegDetectionData (the shrink map:
              each polygon offset inward by D = A (1 - r^2) / L, r = 0.4, with pyclipper; texts
              under 8 px are masked out) and MakeBorderMap (the threshold map: the polygon offset
              outward by D, each pixel of its box gets its distance to the nearest edge / D,
              canvas = max(1 - d), scaled into [0.3, 0.7])
  collate     torch's default_collate copies each sample's tensors into the batch (np.stack here)
  postprocess SegDetectorRepresenter on a probability map at the training size: binarise at 0.3,
              cv2.findContours, minimum-area boxes, box score (mean probability inside the box),
              unclip (offset by A x 1.5 / L), boxes under 3 px and scores under 0.7 dropped
  hmean       DetectionIoUEvaluator: shapely IoU of every prediction against every ground-truth
              polygon, one-to-one matches at IoU >= 0.5, precision, recall and H-mean

Images are synthetic: a light page (document datasets) or a textured scene (scene-text datasets)
with as many text instances as the dataset's mean, sized as its text is (platforms/datasets.yaml
says where each figure comes from). Costs are process CPU time (time.process_time) per image on
one thread (cv2.setNumThreads(1)), so that other load on a shared machine does not count; a busy
machine still slows a core through caches and turbo, which process time does not remove.

  /usr/bin/python3 bench/db_pipeline.py --write platforms/dataloader.yaml   # make bench-loader
  /usr/bin/python3 bench/db_pipeline.py --quick --json out.json             # make test (seconds)
"""
import argparse
import datetime
import json
import math
import os
import platform
import sys
import tempfile
import time

import cv2
import numpy as np
import pyclipper
import shapely
from shapely.geometry import Polygon

SHRINK_RATIO = 0.4         # r of DBNet (MakeSegDetectionData, MakeBorderMap)
MIN_TEXT_SIZE = 8          # MakeSegDetectionData.min_text_size
THRESH_MIN, THRESH_MAX = 0.3, 0.7
BIN_THRESH, BOX_THRESH, UNCLIP_RATIO, MIN_BOX = 0.3, 0.7, 1.5, 3
MAX_CANDIDATES = 1000
RGB_MEAN = np.array([122.67891434, 116.66876762, 104.00698793], dtype=np.float32)  # NormalizeImage
MARKER = "# --- DBNet pipeline: bench/db_pipeline.py (make bench-loader) writes everything below this line ---"


# ---------------------------------------------------------------- synthetic images and polygons
def synthetic_sample(rng, width, height, instances, style):
    """A JPEG (bytes) and its text polygons (list of 4x2 float32 arrays, clockwise)."""
    if style == "document":
        img = np.full((height, width, 3), 235, np.uint8)
        img += rng.integers(0, 12, size=(height, width, 1), dtype=np.uint8)
    else:
        small = rng.integers(40, 200, size=(max(2, height // 64), max(2, width // 64), 3), dtype=np.uint8)
        img = cv2.resize(small, (width, height), interpolation=cv2.INTER_CUBIC)
    polys = []
    for i in range(instances):
        if style == "document":
            # a text line of a receipt: rows down the page, 10-60 % of its width, 1.2-2.5 % of its height
            h = max(10.0, height * rng.uniform(0.012, 0.025))
            w = width * rng.uniform(0.1, 0.6)
            y = (i + 0.5) * height / max(1, instances) - h / 2 + rng.uniform(-0.2, 0.2) * h
            x = rng.uniform(0.05, 0.95) * (width - w)
            angle = rng.uniform(-2, 2)
        else:
            # a scene word: 3-15 % of the width, 2-6 % of the height, any place, tilted
            h = max(10.0, height * rng.uniform(0.02, 0.06))
            w = width * rng.uniform(0.03, 0.15)
            x, y = rng.uniform(0, width - w), rng.uniform(0, height - h)
            angle = rng.uniform(-30, 30)
        cx, cy = x + w / 2, y + h / 2
        box = cv2.boxPoints(((cx, cy), (w, h), angle)).astype(np.float32)
        box[:, 0] = np.clip(box[:, 0], 0, width - 1)
        box[:, 1] = np.clip(box[:, 1], 0, height - 1)
        polys.append(box)
        colour = (20, 20, 20) if style == "document" else tuple(int(c) for c in rng.integers(0, 255, 3))
        text = "".join(chr(int(c)) for c in rng.integers(48, 90, size=max(1, int(w / max(h, 1) * 1.6))))
        org = (int(x), int(y + h * 0.85))
        cv2.putText(img, text, org, cv2.FONT_HERSHEY_SIMPLEX, h / 30.0, colour, max(1, int(h / 12)), cv2.LINE_AA)
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 90])
    assert ok
    return buf.tobytes(), polys


# ---------------------------------------------------------------- augmentation (AugmentDetectionData + RandomCropData)
def transform_polys(polys, matrix):
    out = []
    for p in polys:
        q = np.hstack([p, np.ones((len(p), 1), np.float32)]) @ matrix.T
        out.append(q.astype(np.float32))
    return out


def augment(rng, img, polys):
    h, w = img.shape[:2]
    if rng.random() < 0.5:
        img = cv2.flip(img, 1)
        polys = [np.stack([w - 1 - p[:, 0], p[:, 1]], 1)[::-1].copy() for p in polys]
    angle = rng.uniform(-10, 10)
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    img = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR)
    polys = transform_polys(polys, m)
    s = rng.uniform(0.5, 3.0)
    nw, nh = max(1, int(round(w * s))), max(1, int(round(h * s)))
    img = cv2.resize(img, (nw, nh), interpolation=cv2.INTER_LINEAR)
    polys = [p * np.array([nw / w, nh / h], np.float32) for p in polys]
    return img, polys


def _free_regions(axis):
    """Runs of indices where the projection holds no text."""
    idx = np.where(axis == 0)[0]
    if len(idx) == 0:
        return []
    splits = np.where(np.diff(idx) != 1)[0] + 1
    return np.split(idx, splits)


def _pick(rng, regions, n):
    if len(regions) > 1:
        a, b = rng.choice(len(regions), size=2, replace=False)
        lo = rng.choice(regions[a])
        hi = rng.choice(regions[b])
    else:
        lo, hi = sorted(rng.choice(regions[0], size=2)) if len(regions) == 1 else (0, n)
    lo, hi = int(min(lo, hi)), int(max(lo, hi))
    return lo, hi


def crop_keep_text(rng, img, polys, size, max_tries=10, min_side=0.1):
    h, w = img.shape[:2]
    h_axis = np.zeros(h, np.int32)
    w_axis = np.zeros(w, np.int32)
    for p in polys:
        q = np.round(p).astype(np.int32)
        w_axis[max(0, q[:, 0].min()):min(w, q[:, 0].max() + 1)] = 1
        h_axis[max(0, q[:, 1].min()):min(h, q[:, 1].max() + 1)] = 1
    h_regions, w_regions = _free_regions(h_axis), _free_regions(w_axis)
    x, y, cw, ch = 0, 0, w, h
    if h_regions and w_regions:
        for _ in range(max_tries):
            x0, x1 = _pick(rng, w_regions, w)
            y0, y1 = _pick(rng, h_regions, h)
            if x1 - x0 < min_side * w or y1 - y0 < min_side * h:
                continue
            inside = [p for p in polys if p[:, 0].min() >= x0 and p[:, 0].max() <= x1 and
                      p[:, 1].min() >= y0 and p[:, 1].max() <= y1]
            if inside:
                x, y, cw, ch = x0, y0, x1 - x0, y1 - y0
                break
    scale = min(size / cw, size / ch)
    nw, nh = max(1, int(cw * scale)), max(1, int(ch * scale))
    out = np.zeros((size, size, img.shape[2]), img.dtype)
    out[:nh, :nw] = cv2.resize(img[y:y + ch, x:x + cw], (nw, nh))
    kept = []
    for p in polys:
        if p[:, 0].min() >= x and p[:, 0].max() <= x + cw and p[:, 1].min() >= y and p[:, 1].max() <= y + ch:
            kept.append(((p - np.array([x, y], np.float32)) * scale).astype(np.float32))
    return out, kept


def normalize(img):
    f = img.astype(np.float32)
    f -= RGB_MEAN
    f /= 255.0
    return f.transpose(2, 0, 1)  # a view, as torch's permute; the collate copies it


# ---------------------------------------------------------------- label maps
def make_icdar(polys, h, w):
    out = []
    for p in polys:
        p = p.copy()
        p[:, 0] = np.clip(p[:, 0], 0, w - 1)
        p[:, 1] = np.clip(p[:, 1], 0, h - 1)
        area = 0.5 * np.sum(p[:, 0] * np.roll(p[:, 1], -1) - np.roll(p[:, 0], -1) * p[:, 1])
        if abs(area) < 1:
            continue
        out.append(p if area > 0 else p[::-1].copy())
    return out


def shrink_map(polys, h, w):
    gt = np.zeros((1, h, w), np.float32)
    mask = np.ones((h, w), np.float32)
    for p in polys:
        ph, pw = p[:, 1].max() - p[:, 1].min(), p[:, 0].max() - p[:, 0].min()
        if min(ph, pw) < MIN_TEXT_SIZE:
            cv2.fillPoly(mask, [p.astype(np.int32)], 0)
            continue
        shape = Polygon(p)
        d = shape.area * (1 - SHRINK_RATIO ** 2) / shape.length
        pco = pyclipper.PyclipperOffset()
        pco.AddPath([tuple(map(float, v)) for v in p], pyclipper.JT_ROUND, pyclipper.ET_CLOSEDPOLYGON)
        shrunk = pco.Execute(-d)
        if not shrunk:
            cv2.fillPoly(mask, [p.astype(np.int32)], 0)
            continue
        cv2.fillPoly(gt[0], [np.array(shrunk[0]).reshape(-1, 2).astype(np.int32)], 1)
    return gt, mask


def _segment_distance(xs, ys, a, b):
    """Distance of each (xs, ys) to the segment a-b."""
    d1 = np.square(xs - a[0]) + np.square(ys - a[1])
    d2 = np.square(xs - b[0]) + np.square(ys - b[1])
    d = np.square(a[0] - b[0]) + np.square(a[1] - b[1])
    cosine = (d - d1 - d2) / (2 * np.sqrt(d1 * d2) + 1e-9)
    sine = 1 - np.square(cosine)
    sine = np.nan_to_num(sine)
    result = np.sqrt(d1 * d2 * np.clip(sine, 0, None) / max(d, 1e-9))
    result[cosine < 0] = np.sqrt(np.fmin(d1, d2))[cosine < 0]
    return result


def border_map(polys, h, w):
    canvas = np.zeros((h, w), np.float32)
    mask = np.zeros((h, w), np.float32)
    for p in polys:
        shape = Polygon(p)
        if shape.area <= 0 or shape.length <= 0:
            continue
        d = shape.area * (1 - SHRINK_RATIO ** 2) / shape.length
        pco = pyclipper.PyclipperOffset()
        pco.AddPath([tuple(map(float, v)) for v in p], pyclipper.JT_ROUND, pyclipper.ET_CLOSEDPOLYGON)
        padded = np.array(pco.Execute(d)[0])
        cv2.fillPoly(mask, [padded.astype(np.int32)], 1.0)
        xmin, xmax = padded[:, 0].min(), padded[:, 0].max()
        ymin, ymax = padded[:, 1].min(), padded[:, 1].max()
        bw, bh = xmax - xmin + 1, ymax - ymin + 1
        local = p - np.array([xmin, ymin], np.float32)
        xs = np.broadcast_to(np.linspace(0, bw - 1, num=bw).reshape(1, bw), (bh, bw))
        ys = np.broadcast_to(np.linspace(0, bh - 1, num=bh).reshape(bh, 1), (bh, bw))
        dist = np.zeros((len(p), bh, bw), np.float32)
        for i in range(len(p)):
            j = (i + 1) % len(p)
            dist[i] = np.clip(_segment_distance(xs, ys, local[i], local[j]) / d, 0, 1)
        dist = dist.min(axis=0)
        x0, x1 = min(max(0, xmin), w - 1), min(max(0, xmax), w - 1)
        y0, y1 = min(max(0, ymin), h - 1), min(max(0, ymax), h - 1)
        region = 1 - dist[y0 - ymin:y1 - ymax + bh, x0 - xmin:x1 - xmax + bw]
        canvas[y0:y1 + 1, x0:x1 + 1] = np.fmax(region, canvas[y0:y1 + 1, x0:x1 + 1])
    canvas = canvas * (THRESH_MAX - THRESH_MIN) + THRESH_MIN
    return canvas, mask


# ---------------------------------------------------------------- evaluation
def mini_box(contour):
    rect = cv2.minAreaRect(contour)
    pts = sorted(cv2.boxPoints(rect).tolist(), key=lambda v: v[0])
    left = sorted(pts[:2], key=lambda v: v[1])
    right = sorted(pts[2:], key=lambda v: v[1])
    return np.array([left[0], right[0], right[1], left[1]], np.float32), min(rect[1])


def box_score(pred, box):
    h, w = pred.shape
    xmin, xmax = int(np.clip(np.floor(box[:, 0].min()), 0, w - 1)), int(np.clip(np.ceil(box[:, 0].max()), 0, w - 1))
    ymin, ymax = int(np.clip(np.floor(box[:, 1].min()), 0, h - 1)), int(np.clip(np.ceil(box[:, 1].max()), 0, h - 1))
    m = np.zeros((ymax - ymin + 1, xmax - xmin + 1), np.uint8)
    cv2.fillPoly(m, [(box - np.array([xmin, ymin], np.float32)).astype(np.int32)], 1)
    return cv2.mean(pred[ymin:ymax + 1, xmin:xmax + 1], m)[0]


def unclip(box):
    poly = Polygon(box)
    d = poly.area * UNCLIP_RATIO / poly.length
    pco = pyclipper.PyclipperOffset()
    pco.AddPath([tuple(map(float, v)) for v in box], pyclipper.JT_ROUND, pyclipper.ET_CLOSEDPOLYGON)
    return np.array(pco.Execute(d))


def postprocess(pred):
    bitmap = (pred > BIN_THRESH).astype(np.uint8)
    contours, _ = cv2.findContours(bitmap, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    boxes = []
    for c in contours[:MAX_CANDIDATES]:
        box, side = mini_box(c)
        if side < MIN_BOX or box_score(pred, box) < BOX_THRESH:
            continue
        grown = unclip(box)
        if len(grown) != 1:
            continue
        box, side = mini_box(grown.reshape(-1, 1, 2).astype(np.float32))
        if side < MIN_BOX + 2:
            continue
        boxes.append(box)
    return boxes


def hmean_counts(gts, preds, iou=0.5):
    """Matches of one image (DetectionIoUEvaluator): returns (matched, n_gt, n_pred)."""
    gp = [Polygon(g).buffer(0) for g in gts]
    pp = [Polygon(p).buffer(0) for p in preds]
    # the whole IoU matrix first, as the evaluator does, then one-to-one matches in order
    ious = np.zeros((len(gp), len(pp)))
    for i, g in enumerate(gp):
        for j, p in enumerate(pp):
            inter = g.intersection(p).area
            union = g.area + p.area - inter
            ious[i, j] = inter / union if union > 0 else 0
    used_g, used_p, matched = set(), set(), 0
    for i in range(len(gp)):
        for j in range(len(pp)):
            if i not in used_g and j not in used_p and ious[i, j] > iou:
                used_g.add(i)
                used_p.add(j)
                matched += 1
    return matched, len(gp), len(pp)


# ---------------------------------------------------------------- one measured sample
def measure_sample(rng, spec, size):
    buf, polys = synthetic_sample(rng, spec["width"], spec["height"], spec["instances"], spec["style"])
    arr = np.frombuffer(buf, np.uint8)
    t = {}
    c0 = time.process_time()
    img = cv2.imdecode(arr, cv2.IMREAD_COLOR)
    c1 = time.process_time()
    img, p = augment(rng, img, polys)
    img, p = crop_keep_text(rng, img, p, size)
    image = normalize(img)
    c2 = time.process_time()
    p = make_icdar(p, size, size)
    gt, mask = shrink_map(p, size, size)
    thresh, thresh_mask = border_map(p, size, size)
    c3 = time.process_time()
    batch = [np.stack([x]) for x in (image, gt, mask, thresh, thresh_mask)]  # one sample's share of the copy
    c4 = time.process_time()
    t.update(decode_s=c1 - c0, augment_s=c2 - c1, label_maps_s=c3 - c2, collate_s=c4 - c3)
    # Evaluation at the training size on the whole image: a probability map as a trained model
    # gives (the shrunk text near 1, a soft edge), then post-processing and matching.
    vimg = cv2.resize(cv2.imdecode(arr, cv2.IMREAD_COLOR), (size, size))
    sx, sy = size / spec["width"], size / spec["height"]
    vpolys = make_icdar([q * np.array([sx, sy], np.float32) for q in polys], size, size)
    vgt, _ = shrink_map(vpolys, size, size)
    pred = vgt[0] * 0.9 + rng.random((size, size), dtype=np.float32) * 0.1
    # texts under 8 px are "do not care" in the evaluation, as in training
    vpolys = [q for q in vpolys if min(np.ptp(q[:, 0]), np.ptp(q[:, 1])) >= MIN_TEXT_SIZE]
    del vimg, batch
    c5 = time.process_time()
    boxes = postprocess(pred)
    c6 = time.process_time()
    matched, n_gt, n_pred = hmean_counts(vpolys, boxes)
    c7 = time.process_time()
    t.update(postprocess_s=c6 - c5, hmean_s=c7 - c6, boxes=len(boxes), matched=matched, gt=n_gt)
    return t


STAGES = ["decode_s", "augment_s", "label_maps_s", "collate_s", "postprocess_s", "hmean_s"]


def run_grid(points, reps, seed):
    rows = []
    for k, (spec, size) in enumerate(points):
        rng = np.random.default_rng(seed + k)
        samples = [measure_sample(rng, spec, size) for _ in range(reps)]
        row = {"dataset": spec["name"], "stored_megapixels": round(spec["width"] * spec["height"] / 1e6, 3),
               "image_px": size, "instances": spec["instances"], "samples": reps}
        for s in STAGES:
            row[s] = float(np.median([x[s] for x in samples]))
        row["boxes_found"] = int(sum(x["boxes"] for x in samples))
        row["boxes_matched"] = int(sum(x["matched"] for x in samples))
        row["ground_truth"] = int(sum(x["gt"] for x in samples))
        rows.append(row)
        print(f"  {spec['name']:10s} {size:5d} px {spec['instances']:3d} texts: " +
              " ".join(f"{s[:-2]} {row[s] * 1e3:7.2f} ms" for s in STAGES), file=sys.stderr)
    return rows


def fit(rows, stage, features):
    """Non-negative least squares by elimination: drop a negative coefficient and refit."""
    names = list(features)
    while True:
        a = np.array([[features[n](r) for n in names] for r in rows], float)
        y = np.array([r[stage] for r in rows], float)
        coef, *_ = np.linalg.lstsq(a, y, rcond=None)
        if (coef >= 0).all() or len(names) == 1:
            out = {n: max(0.0, float(c)) for n, c in zip(names, coef)}
            for n in features:
                out.setdefault(n, 0.0)
            return out
        names.pop(int(np.argmin(coef)))


def fitted_costs(rows):
    smp = lambda r: r["stored_megapixels"]
    omp = lambda r: r["image_px"] ** 2 / 1e6
    ins = lambda r: r["instances"]
    one = lambda r: 1.0
    dec = fit(rows, "decode_s", {"mp": smp})
    aug = fit(rows, "augment_s", {"stored": smp, "out": omp, "one": one})
    # the threshold map of a text costs per pixel of its box: instances x training MP
    lab = fit(rows, "label_maps_s", {"out": omp, "inst": ins, "inst_out": lambda r: ins(r) * omp(r)})
    col = fit(rows, "collate_s", {"out": omp})
    pp = fit(rows, "postprocess_s", {"out": omp, "inst": ins, "inst_out": lambda r: ins(r) * omp(r)})
    hm = fit(rows, "hmean_s", {"inst": ins, "inst2": lambda r: r["instances"] ** 2})
    return {
        "decode_s_per_stored_megapixel": dec["mp"],
        "augment_s_per_stored_megapixel": aug["stored"],
        "augment_s_per_output_megapixel": aug["out"],
        "augment_s_per_sample": aug["one"],
        "label_maps_s_per_output_megapixel": lab["out"],
        "label_maps_s_per_instance": lab["inst"],
        "label_maps_s_per_instance_output_megapixel": lab["inst_out"],
        "collate_s_per_output_megapixel": col["out"],
        "postprocess_s_per_output_megapixel": pp["out"],
        "postprocess_s_per_instance": pp["inst"],
        "postprocess_s_per_instance_output_megapixel": pp["inst_out"],
        "hmean_s_per_instance": hm["inst"],
        "hmean_s_per_instance_squared": hm["inst2"],
    }


def predict(costs, r):
    smp, omp, n = r["stored_megapixels"], r["image_px"] ** 2 / 1e6, r["instances"]
    return (costs["decode_s_per_stored_megapixel"] * smp + costs["augment_s_per_stored_megapixel"] * smp +
            costs["augment_s_per_output_megapixel"] * omp + costs["augment_s_per_sample"] +
            costs["label_maps_s_per_output_megapixel"] * omp + costs["label_maps_s_per_instance"] * n +
            costs["label_maps_s_per_instance_output_megapixel"] * n * omp +
            costs["collate_s_per_output_megapixel"] * omp)


# Stored-image shapes and text styles of the grid: the document (receipt) and scene-text datasets
# of platforms/datasets.yaml, at their mean stored size.
GRID_SOURCES = {
    "sroie": {"width": 960, "height": 1700, "style": "document"},
    "icdar2015": {"width": 1280, "height": 720, "style": "scene"},
}


def grid_points(quick):
    if quick:
        return [({"name": "sroie", "instances": 20, **GRID_SOURCES["sroie"]}, 640),
                ({"name": "icdar2015", "instances": 8, **GRID_SOURCES["icdar2015"]}, 320)], 2
    points = []
    for name, instances in (("sroie", (10, 40, 80)), ("icdar2015", (4, 12))):
        for n in instances:
            for size in (640, 960, 1280):
                points.append(({"name": name, "instances": n, **GRID_SOURCES[name]}, size))
    return points, 10


def _version(dist):
    try:
        from importlib.metadata import version
        return version(dist)
    except Exception:  # noqa: BLE001 - a Debian package without metadata
        return "unknown"


def environment():
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "opencv": cv2.__version__,
        "pyclipper": _version("pyclipper"),
        "shapely": shapely.__version__,
        "date": datetime.date.today().isoformat(),
    }


def yaml_block(env, costs, rows, seconds):
    lines = [MARKER,
             "# DBNet's pipeline and evaluation on one core: per-image process CPU time (time.process_time),",
             "# one thread (cv2.setNumThreads(1)), the median of each grid point's samples, on synthetic images",
             "# and polygons (bench/db_pipeline.py says how they are made). The coefficients are a least-squares",
             "# fit to the grid, non-negative; trainsim uses them for text-detection workloads (dbnet-*):",
             "#   per sample = decode x stored MP + augment (x stored MP, x training MP, + once) +",
             "#                label maps (x training MP, x text instances, x both) + collate x training MP",
             "#   evaluation, per image on its rank: postprocess (x training MP, x instances, x both);",
             "#   on rank 0 for every image: H-mean matching (x instances, x instances^2)",
             f"# The whole measurement took {seconds:.0f} s of CPU time.",
             "db_pipeline:",
             f"  measured_on: \"{env['cpu']}, one thread, process CPU time; python {env['python']}, numpy {env['numpy']}, "
             f"opencv {env['opencv']}, pyclipper {env['pyclipper']}, shapely {env['shapely']}, {env['date']}\""]
    for k, v in costs.items():
        lines.append(f"  {k}: {v:.6g}")
    lines.append("  grid:   # measured, seconds per image")
    for r in rows:
        lines.append("    - {" + ", ".join(f"{k}: {json.dumps(v) if isinstance(v, str) else (f'{v:.6g}' if isinstance(v, float) else v)}"
                                      for k, v in r.items()) + "}")
    return "\n".join(lines) + "\n"


def write_atomic(path, text):
    d = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".db_pipeline.", dir=d)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def check(rows, costs):
    """Sanity of a measurement: what make test asserts (not that it matches committed numbers)."""
    problems = []
    for r in rows:
        for s in STAGES:
            if not (0 <= r[s] < 30):
                problems.append(f"{r['dataset']} {r['image_px']} px: {s} = {r[s]} s is outside [0, 30)")
        if r["label_maps_s"] <= 0 or r["augment_s"] <= 0:
            problems.append(f"{r['dataset']} {r['image_px']} px: augment and label maps must take time")
        # Thin texts whose shrunk region is under 3 px are missed, as DBNet misses them: ask for a
        # box per image at least, no more boxes than texts, and most boxes on a text.
        if not (r["samples"] <= r["boxes_found"] <= r["ground_truth"] + r["samples"]) or \
                r["boxes_matched"] < 0.5 * r["boxes_found"]:
            problems.append(f"{r['dataset']} {r['image_px']} px: the post-processing found {r['boxes_found']} boxes and "
                            f"matched {r['boxes_matched']} for {r['ground_truth']} texts in {r['samples']} images (expected a box "
                            "per image or more, at most one per text, most of them matched: the pipeline is broken)")
    for k, v in costs.items():
        if not (math.isfinite(v) and v >= 0):
            problems.append(f"coefficient {k} = {v} is not a finite non-negative number")
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="two grid points, two samples each (seconds; make test)")
    ap.add_argument("--write", metavar="YAML", help="replace the DBNet block of this dataloader.yaml")
    ap.add_argument("--json", metavar="FILE", help="write the grid and the fitted costs as JSON")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    cv2.setNumThreads(1)
    cv2.setRNGSeed(args.seed)
    points, reps = grid_points(args.quick)
    t0 = time.process_time()
    rows = run_grid(points, reps, args.seed)
    seconds = time.process_time() - t0
    costs = fitted_costs(rows)
    problems = check(rows, costs)
    env = environment()
    if args.json:
        write_atomic(args.json, json.dumps({"environment": env, "costs": costs, "grid": rows,
                                            "cpu_seconds": seconds, "problems": problems}, indent=1) + "\n")
    if args.write:
        with open(args.write) as f:
            text = f.read()
        head = text.split(MARKER)[0].rstrip("\n") + "\n\n"
        write_atomic(args.write, head + yaml_block(env, costs, rows, seconds))
    for r in rows:
        print(f"{r['dataset']:10s} {r['image_px']:5d} px {r['instances']:3d} texts: loader "
              f"{(r['decode_s'] + r['augment_s'] + r['label_maps_s'] + r['collate_s']) * 1e3:7.1f} ms "
              f"(fit {predict(costs, r) * 1e3:7.1f}), eval {(r['postprocess_s'] + r['hmean_s']) * 1e3:6.1f} ms")
    for p in problems:
        print("error: " + p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
