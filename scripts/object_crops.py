"""The classification set cut from a detection set (make-shapes-voc --crops, voc_label
--crops): every object cropped square with a 25 % margin, clipped to its image, resized,
saved under DIR/fit/ (from training images) or DIR/held-out/ (from test images) with its
class in the file name, as Darknet's classifier reads labels from paths. The folders are
not named train/test: `train` is a VOC class, and a label found twice in a path is an error.
Needs Debian's python3-pil (imported by the caller)."""
from pathlib import Path

FOLDERS = {"train": "fit", "test": "held-out"}


def square_crop(im, box, side):
    """The object's square crop, 25 % margin around it, clipped to the image, resized to side."""
    x0, y0, x1, y1 = box
    half = max(x1 - x0, y1 - y0) * 0.625
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    square = [max(0, round(cx - half)), max(0, round(cy - half)), min(im.width, round(cx + half)),
              min(im.height, round(cy + half))]
    return im.crop(square).resize((side, side), 2)  # 2: PIL's bilinear filter


def write_crops(crops, items, side, classes):
    """items: [(split "train"|"test", image id, PIL image, [(class, box)])]; writes the crops,
    train.list, test.list, labels.txt and crops.data; returns {split: crops written}."""
    crops = Path(crops)
    lists = {"train": [], "test": []}
    for split, image_id, im, objects in items:
        folder = crops / FOLDERS[split]
        folder.mkdir(parents=True, exist_ok=True)
        for k, (cls, box) in enumerate(objects):
            path = (folder / f"{image_id}_{k}_{cls}.png").resolve()
            square_crop(im, box, side).save(path)
            lists[split].append(str(path))
    for split, paths in lists.items():
        (crops / f"{split}.list").write_text("".join(p + "\n" for p in paths))
    (crops / "labels.txt").write_text("".join(c + "\n" for c in classes))
    root = crops.resolve()
    (crops / "crops.data").write_text(f"classes={len(classes)}\ntrain={root}/train.list\nvalid={root}/test.list\n"
                                      f"labels={root}/labels.txt\nbackup={root}/backup\n")
    return {k: len(v) for k, v in lists.items()}
