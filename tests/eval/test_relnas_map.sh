#!/usr/bin/env bash
# `darknet relnas map DATA --dets DIR` against an independent Python implementation of the
# VOC devkit's AP (tests/eval/voc_eval_reference.py) on a fixed, seeded set of annotations
# (with difficult objects) and detections (jittered true boxes, duplicates, false
# positives): every class's AP agrees to 1e-6, VOC07 and VOC12, at two IoU thresholds.
# Bad annotations and detection files are errors naming the file.
. "$(dirname "$0")/../lib.sh"
HERE=$(dirname "$0")

python3 - "$TMP" <<'PYEOF'
import random, sys
from pathlib import Path
random.seed(11)
root = Path(sys.argv[1])
voc = root / "VOC"
(voc / "Annotations").mkdir(parents=True)
(voc / "JPEGImages").mkdir()
(root / "dets").mkdir()
names = ["circle", "square", "triangle"]
(root / "voc.names").write_text("\n".join(names) + "\n")
images, dets = [], {n: [] for n in names}
for i in range(60):
    img_id = f"{i:06d}"
    images.append(str(voc / "JPEGImages" / f"{img_id}.jpg"))
    objs = []
    for _ in range(random.randint(0, 4)):
        w, h = random.randint(10, 120), random.randint(10, 120)
        x, y = random.randint(1, 300 - w), random.randint(1, 300 - h)
        objs.append((random.choice(names), int(random.random() < 0.15), (x, y, x + w - 1, y + h - 1)))
    xml = "<annotation><filename>%s.jpg</filename><size><width>300</width><height>300</height><depth>3</depth></size>" % img_id
    for name, diff, (x0, y0, x1, y1) in objs:
        xml += ("<object><name>%s</name><pose>Unspecified</pose><difficult>%d</difficult><bndbox><xmin>%d</xmin>"
                "<ymin>%d</ymin><xmax>%d</xmax><ymax>%d</ymax></bndbox></object>" % (name, diff, x0, y0, x1, y1))
    (voc / "Annotations" / f"{img_id}.xml").write_text(xml + "</annotation>\n")
    for name, diff, (x0, y0, x1, y1) in objs:
        for _ in range(random.choice([0, 1, 1, 1, 2])):  # missed, found, found twice
            j = lambda: random.uniform(-12, 12)
            dets[name].append((img_id, random.random(), x0 + j(), y0 + j(), x1 + j(), y1 + j()))
    for _ in range(random.randint(0, 3)):  # false positives anywhere
        x, y = random.uniform(1, 200), random.uniform(1, 200)
        dets[random.choice(names)].append((img_id, random.random() * 0.8, x, y, x + random.uniform(10, 90), y + random.uniform(10, 90)))
(root / "test.txt").write_text("\n".join(images) + "\n")
(root / "voc.data").write_text(f"classes=3\nvalid={root}/test.txt\nnames={root}/voc.names\n")
for name, rows in dets.items():
    random.shuffle(rows)
    (root / "dets" / f"comp4_det_test_{name}.txt").write_text(
        "".join("%s %.6f %.1f %.1f %.1f %.1f\n" % r for r in rows))
PYEOF

compare() { # METRIC IOU
    run "$DARKNET" relnas map "$TMP/voc.data" --dets "$TMP/dets" --metric "$1" --iou "$2"
    [ "$RC" = 0 ] || { fail "relnas map --dets --metric $1 --iou $2" "$OUT"; return; }
    ours=$(echo "$OUT" | awk 'NR > 1 && $1 != "mAP" { print $1, $4 }')
    want=$(python3 "$HERE/voc_eval_reference.py" "$TMP/voc.data" "$TMP/dets" "$1" "$2")
    if python3 - "$ours" "$want" <<'PYEOF'
import sys
ours = dict(l.split() for l in sys.argv[1].splitlines())
want = dict(l.split() for l in sys.argv[2].splitlines())
assert ours.keys() == want.keys(), (ours, want)
worst = max(abs(float(ours[k]) - float(want[k])) for k in want)
print(f"# max |AP difference| {worst:.2e}: " + ", ".join(f"{k} {float(want[k]):.4f}" for k in want))
sys.exit(0 if worst <= 1e-6 else 1)
PYEOF
    then pass "$1 at IoU $2: every class's AP equals the reference's"; else fail "$1 at IoU $2" "ours: $ours" "reference: $want"; fi
}
compare voc07 0.5
compare voc12 0.5
compare voc07 0.7
compare voc12 0.3
run "$DARKNET" relnas map "$TMP/voc.data" --dets "$TMP/dets"
expect_output "the protocol is printed with the mAP" "^mAP 0\.[0-9]{6} \(VOC07 11-point, IoU > 0.50, 60 images, difficult objects ignored\)"

sed -i 's|<size><width>300</width><height>300</height><depth>3</depth></size>||' "$TMP/VOC/Annotations/000007.xml"
run "$DARKNET" relnas map "$TMP/voc.data" --dets "$TMP/dets"
expect_rc "an annotation without <size> is an error" 1
expect_output "... naming the file" "000007.xml: no <size> with <width> and <height>"
echo "<annotation><size><width>3</width>" > "$TMP/VOC/Annotations/000007.xml"
run "$DARKNET" relnas map "$TMP/voc.data" --dets "$TMP/dets"
expect_output "malformed XML is an error naming the file and line" "000007.xml: line [0-9]+: malformed XML"
printf '<annotation><size><width>3</width><height>3</height></size><object><name>hexagon</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>2</xmax><ymax>2</ymax></bndbox></object></annotation>\n' > "$TMP/VOC/Annotations/000007.xml"
run "$DARKNET" relnas map "$TMP/voc.data" --dets "$TMP/dets"
expect_output "a class not in the names file is named" "000007.xml: class 'hexagon' is not in the names file"
printf '<annotation><size><width>3</width><height>3</height></size></annotation>\n' > "$TMP/VOC/Annotations/000007.xml"
echo "999999 0.5 1 1 5 5" >> "$TMP/dets/comp4_det_test_circle.txt"
run "$DARKNET" relnas map "$TMP/voc.data" --dets "$TMP/dets"
expect_output "a detection of an image not in the test list is named" "comp4_det_test_circle.txt, line [0-9]+: image '999999' is not in the test list"
echo "000001 0.5 1 1" >> "$TMP/dets/comp4_det_test_square.txt"
sed -i '$d' "$TMP/dets/comp4_det_test_circle.txt"
run "$DARKNET" relnas map "$TMP/voc.data" --dets "$TMP/dets"
expect_output "a short detection line is named" "comp4_det_test_square.txt, line [0-9]+: expected"
sed -i '$d' "$TMP/dets/comp4_det_test_square.txt"
echo "000001 nan 1 1 5 5" >> "$TMP/dets/comp4_det_test_square.txt"
run "$DARKNET" relnas map "$TMP/voc.data" --dets "$TMP/dets"
expect_output "a NaN score is named" "comp4_det_test_square.txt, line [0-9]+: a score or coordinate is not a finite number"

finish
