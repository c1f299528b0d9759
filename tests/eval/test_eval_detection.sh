#!/usr/bin/env bash
# scripts/eval-detection and make-shapes-voc --crops: the cfg editing against hand-written
# cases, the crops against the annotations, and a small instance of the recipe end to end:
# yolov3-tiny adapted as the recipe says (read back from its cfg, anchors from `relnas
# anchors` run here), the NAS detector within 10 % of its multiply-adds (`relnas info` run
# here), the pretrained runs starting from the carried-over backbone, and every reported mAP
# reproduced by `relnas map` of that run's weights.
. "$(dirname "$0")/../lib.sh"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"

if ! /usr/bin/python3 -c "import PIL" 2>/dev/null; then
    skip "eval-detection" "python3-pil missing (make test installs it as root: apt-get install python3-pil)"
    finish; exit
fi

run /usr/bin/python3 - "$ROOT/scripts" <<'PYEOF'
import sys
from importlib.machinery import SourceFileLoader
sys.path.insert(0, sys.argv[1])
ed = SourceFileLoader("eval_detection", sys.argv[1] + "/eval-detection").load_module()
text = "# head\n[net]\nbatch=1 # testing\n# batch=64\nwidth = 416\nbatch=2\n\n[yolo]\nmask=0,1,2\n"
secs = ed.sections(text)
assert [h for h, _ in secs] == ["", "[net]", "[yolo]"], secs
net = secs[1][1]
ed.set_key(net, "batch", 16)           # the first batch= replaced, the second dropped, comments kept
ed.set_key(net, "height", 128)         # a new key after the last setting
assert net == ["batch=16", "# batch=64", "width = 416", "height=128", ""], net
assert ed.get_key(net, "width") == "416" and ed.get_key(secs[2][1], "mask") == "0,1,2"
assert ed.get_key(net, "channels") is None
assert ed.cfg_text(secs) == "# head\n[net]\nbatch=16\n# batch=64\nwidth = 416\nheight=128\n\n[yolo]\nmask=0,1,2\n"
print("cfg editing ok")
PYEOF
expect_rc "the cfg editor sets keys in place, drops repeats, keeps comments" 0

# the crops of make-shapes-voc --crops: one per annotated object, in the split of its image,
# of the asked size, named by the annotation's class; crops.data as relnas train reads it.
# voc_label --crops on the same devkit: the labelled objects only (difficult ones left out, as
# in the labels), named by year, image and class; in both, one class name per path (folders
# no class name is part of), as Darknet's classifier labels a path by the one name in it.
run /usr/bin/python3 "$ROOT/scripts/make-shapes-voc" "$TMP/shapes" --train 30 --test 10 --size 64 --seed 2 \
    --crops "$TMP/crops" --crop-size 32
expect_rc "make-shapes-voc --crops" 0
run "$ROOT/scripts/voc_label" "$TMP/shapes/VOCdevkit" --sets 2007/trainval,2007/test \
    --names "$TMP/shapes/shapes.names" --out "$TMP/vl" --crops "$TMP/vc" --crop-size 32
expect_rc "voc_label --crops" 0
run /usr/bin/python3 - "$TMP" <<'PYEOF'
import sys, xml.etree.ElementTree as ET
from pathlib import Path
from PIL import Image
t = Path(sys.argv[1]); voc = t / "shapes/VOCdevkit/VOC2007"
CLASSES = ["circle", "square", "triangle"]
def check(crops, prefix, keep):
    for split, ids in (("train", "trainval"), ("test", "test")):
        want = []
        for i in (voc / f"ImageSets/Main/{ids}.txt").read_text().split():
            objs = [o for o in ET.parse(voc / f"Annotations/{i}.xml").getroot().findall("object") if keep(o)]
            want += [f"{prefix}{i}_{k}_{o.find('name').text}.png" for k, o in enumerate(objs)]
        paths = (crops / f"{split}.list").read_text().split()
        assert [Path(p).name for p in paths] == want, (crops, split, paths[:3], want[:3])
        assert all(Image.open(p).size == (32, 32) for p in paths[:5]), paths[:5]
        for p in paths:
            assert sum(c in p for c in CLASSES) == 1, p
    data = dict(l.split("=", 1) for l in (crops / "crops.data").read_text().split())
    assert data["classes"] == "3" and Path(data["train"]).exists() and \
        Path(data["labels"]).read_text().split() == CLASSES, data
check(t / "crops", "", lambda o: True)
print("shapes crops ok")
check(t / "vc", "2007_", lambda o: o.find("difficult").text == "0")
print("voc crops ok")
PYEOF
expect_rc "... one crop per object (voc_label's without the difficult ones), in its image's split, sized, named by its class, one class name per path" 0

# --voc: the same recipe on a VOCdevkit given by a path relative to where the user stands;
# the default --voc-sets names VOC2012 too, absent here, and is read as 2007 alone
run bash -c "cd '$TMP' && /usr/bin/python3 '$ROOT/scripts/eval-detection' --out ev --voc shapes/VOCdevkit \
    --names shapes/shapes.names --size 64 --iterations 4 --batch 2 --seeds 1 \
    --pretrain-iterations 4 --crop-size 32 --detectors yolov3-tiny"
expect_rc "eval-detection --voc runs on a VOCdevkit" 0
expect_output "... reading its images" "^recipe: VOC from $TMP/shapes/VOCdevkit \(2007/trainval,2012/trainval,2007/test\): 30 training and 10 test images"
grep -q "^Loading weights from .*yolov3-tiny.backbone.weights" "$TMP"/ev/runs/yolov3-tiny_pretrained-1/train.log &&
    pass "... its pretrained run starts from a backbone trained on its crops" ||
    fail "... its pretrained run starts from a backbone trained on its crops"

# A small instance of the recipe (about a minute on 2 cores).
E="$TMP/ed"
run /usr/bin/python3 "$ROOT/scripts/eval-detection" --out "$E" --train 60 --test 20 --size 64 --iterations 40 \
    --batch 4 --seeds 2 --pretrain-iterations 10 --crop-size 32 --detectors yolov3-tiny,RelativeNAS --jobs 2 \
    --markdown "$TMP/report.md"
expect_rc "eval-detection runs a small instance end to end" 0
REPORT="$OUT"
expect_output "... a row per detector and start" "^\| RelativeNAS \| pretrained \(crops top-1 [0-9.]+ %\) \| [0-9]+ \| "
tiny="$E/yolov3-tiny.cfg"
anchors=$("$DARKNET" relnas anchors "$E/data/voc.data" --num 6 --size 64 | sed -nE 's/^k-means \(these\) +[0-9.]+ +//p')
[ -n "$anchors" ] && [ "$(grep -c "^anchors=$anchors\$" "$tiny")" = 2 ] &&
    [ "$(grep -c '^classes=3$' "$tiny")" = 2 ] && [ "$(grep -c '^random=0$' "$tiny")" = 2 ] &&
    grep -q '^max_batches=40$' "$tiny" && grep -q '^width=64$' "$tiny" &&
    [ "$(awk '/^\[/{s=$0} s=="[convolutional]" && /^filters=/{f=$0} /^\[yolo\]/{print f}' "$tiny" | sort -u)" = "filters=24" ] &&
    pass "yolov3-tiny adapted: 3 classes, 24 filters before each head, the fitted anchors, the recipe" ||
    fail "yolov3-tiny adapted: 3 classes, 24 filters before each head, the fitted anchors, the recipe" \
        "$(grep -E '^(anchors|classes|filters|random|max_batches|width)=' "$tiny" | sort | uniq -c)"
macs() { "$DARKNET" relnas info "$1" --no-memory | sed -nE 's/^multiply-adds per image: ([0-9.]+) M/\1/p'; }
t=$(macs "$tiny"); n=$(macs "$E/yolo-relativenas.cfg")
python3 -c "import sys; t, n = $t, $n; sys.exit(not abs(n - t) <= 0.1 * t)" &&
    pass "the RelativeNAS detector within 10 % of yolov3-tiny's multiply-adds ($n M against $t M)" ||
    fail "the RelativeNAS detector within 10 % of yolov3-tiny's multiply-adds" "$n M against $t M"
grep -q "^Loading weights from .*RelativeNAS.backbone.weights" "$E"/runs/RelativeNAS_pretrained-1/train.log &&
    pass "a pretrained run starts from the carried-over backbone" ||
    fail "a pretrained run starts from the carried-over backbone" "$(head -5 "$E"/runs/RelativeNAS_pretrained-1/train.log)"
bad=0
for r in "$E"/runs/*/; do
    weights="$r/backup/$(ls "$r/backup" | grep '_final.weights$')"
    cfg="$E/$(basename "$weights" _final.weights).cfg"
    got=$("$DARKNET" relnas map "$r/voc.data" "$cfg" "$weights" | sed -nE 's/^mAP ([0-9.]+) \(VOC07.*/\1/p')
    reported=$(printf '%.4f' "$got")
    echo "$REPORT" | grep -q " $reported" || { bad=1; echo "# $r: relnas map $got not in the report"; }
done
[ $bad = 0 ] && pass "relnas map of every run's weights reproduces the reported mAP" ||
    fail "relnas map of every run's weights reproduces the reported mAP" "$REPORT"
printed=$(echo "$REPORT" | sed -n '/^# scripts/,/^took/p')
[ -n "$printed" ] && cmp -s <(echo "$printed") <(sed -n '/^# scripts/,/^took/p' "$TMP/report.md") &&
    pass "... and the markdown holds the printed report" || fail "... and the markdown holds the printed report"

# Run again: every run is read back, none trains.
run /usr/bin/python3 "$ROOT/scripts/eval-detection" --out "$E" --train 60 --test 20 --size 64 --iterations 40 \
    --batch 4 --seeds 2 --pretrain-iterations 10 --crop-size 32 --detectors yolov3-tiny,RelativeNAS --jobs 2
expect_output "the same command again reads every run back" "^\[8/8\] .*kept from an earlier run"
echo "$OUT" | grep -q "^\[[0-9]/8\] .* mAP [0-9.]+  elapsed" && fail "... and trains none" "$OUT" || pass "... and trains none"

run /usr/bin/python3 "$ROOT/scripts/eval-detection" --out "$TMP/bad" --train 20 --test 5 --size 64 --iterations 2 \
    --batch 2 --seeds 1 --no-pretrain --detectors yolov3-tiny,NoSuchCell
expect_rc "an unknown genotype stops eval-detection" 1
expect_output "... naming it" "NoSuchCell"
run /usr/bin/python3 "$ROOT/scripts/eval-detection" --out "$TMP/bad" --crop-size 24 --no-pretrain
expect_rc "a crop size the classifier cannot reduce stops eval-detection" 2
expect_output "... saying what it expects" "--crop-size 24: expected a positive multiple of 32"
finish
