#!/usr/bin/python3
"""An independent VOC AP, written from the PASCAL VOC devkit's description (and the
py-faster-rcnn port of its voc_eval): per class, detections sorted by confidence; each is
matched to the ground-truth box of its image with the largest overlap (inclusive pixel
areas, +1); above the threshold it is a true positive unless that box is difficult
(ignored) or already taken (false positive); cumulative precision and recall; VOC07
11-point or all-point AP. Standard library only.

usage: voc_eval_reference.py DATA DETS_DIR voc07|voc12 IOU  -> prints `<class> <AP>` lines"""
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def read_data(path):
    opts = {}
    for line in Path(path).read_text().splitlines():
        if "=" in line:
            k, v = line.split("=", 1)
            opts[k.strip()] = v.strip()
    return opts


def annotations(test_list):
    out = {}
    for image in Path(test_list).read_text().split():
        img = Path(image)
        xml = img.parent.parent / "Annotations" / (img.stem + ".xml")
        objs = []
        for o in ET.parse(xml).findall("object"):
            bb = o.find("bndbox")
            objs.append((o.find("name").text.strip(), int(o.find("difficult").text) if o.find("difficult") is not None else 0,
                         [float(bb.find(k).text) for k in ("xmin", "ymin", "xmax", "ymax")]))
        out[img.stem] = objs
    return out


def ap_of(rec, prec, use_07):
    if use_07:
        return sum(max([p for r, p in zip(rec, prec) if r >= t / 10], default=0) for t in range(11)) / 11
    mrec, mpre = [0.0] + rec + [1.0], [0.0] + prec + [0.0]
    for i in range(len(mpre) - 1, 0, -1):
        mpre[i - 1] = max(mpre[i - 1], mpre[i])
    return sum((mrec[i + 1] - mrec[i]) * mpre[i + 1] for i in range(len(mrec) - 1) if mrec[i + 1] != mrec[i])


def overlap(a, b):
    iw = min(a[2], b[2]) - max(a[0], b[0]) + 1
    ih = min(a[3], b[3]) - max(a[1], b[1]) + 1
    if iw <= 0 or ih <= 0:
        return 0.0
    inter = iw * ih
    return inter / ((a[2] - a[0] + 1) * (a[3] - a[1] + 1) + (b[2] - b[0] + 1) * (b[3] - b[1] + 1) - inter)


def voc_eval(det_file, annos, cls, thresh, use_07):
    gt = {img: [(d, box) for name, d, box in objs if name == cls] for img, objs in annos.items()}
    taken = {img: [False] * len(v) for img, v in gt.items()}
    npos = sum(1 for v in gt.values() for d, _ in v if not d)
    dets = []
    if Path(det_file).exists():
        for line in Path(det_file).read_text().splitlines():
            if line.strip():
                f = line.split()
                dets.append((f[0], float(f[1]), [float(x) for x in f[2:6]]))
    dets = sorted(dets, key=lambda d: -d[1])  # stable: ties keep file order
    tp, fp = [], []
    for img, _, box in dets:
        best, jmax = -1.0, -1
        for j, (_, g) in enumerate(gt.get(img, [])):
            o = overlap(box, g)
            if o > best:
                best, jmax = o, j
        t = f = 0
        if jmax >= 0 and best > thresh:
            if not gt[img][jmax][0]:
                if not taken[img][jmax]:
                    t, taken[img][jmax] = 1, True
                else:
                    f = 1
        else:
            f = 1
        tp.append(t)
        fp.append(f)
    ctp = cfp = 0
    rec, prec = [], []
    for t, f in zip(tp, fp):
        ctp, cfp = ctp + t, cfp + f
        rec.append(ctp / npos if npos else 0.0)
        prec.append(ctp / max(ctp + cfp, sys.float_info.epsilon))
    return ap_of(rec, prec, use_07) if npos else 0.0


def main():
    data, dets_dir, metric, iou = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    opts = read_data(data)
    annos = annotations(opts["valid"])
    for cls in Path(opts["names"]).read_text().split():
        print(cls, f"{voc_eval(f'{dets_dir}/comp4_det_test_{cls}.txt', annos, cls, iou, metric == 'voc07'):.9f}")


if __name__ == "__main__":
    main()
