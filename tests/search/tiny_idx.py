"""Writes a tiny IDX image set for search tests: DIR/images.gz and DIR/labels.gz, 256 grey
8x8 images of two classes (vertical or horizontal stripes, 20% of labels flipped so the
losses of candidates stay apart).

    python3 tests/search/tiny_idx.py DIR [SEED]
"""
import gzip, random, struct, sys

random.seed(int(sys.argv[2]) if len(sys.argv) > 2 else 3)
n, side = 256, 8
images, labels = bytearray(), bytearray()
for i in range(n):
    label, phase = i % 2, random.randint(0, 1)
    labels.append(label if random.random() > 0.2 else 1 - label)  # noisy labels: losses stay apart
    for y in range(side):
        for x in range(side):
            t = x if label else y
            images.append((200 if (t + phase) % 2 else 40) + random.randint(0, 30))
with gzip.open(f"{sys.argv[1]}/images.gz", "wb") as f:
    f.write(struct.pack(">IIII", 0x803, n, side, side) + bytes(images))
with gzip.open(f"{sys.argv[1]}/labels.gz", "wb") as f:
    f.write(struct.pack(">II", 0x801, n) + bytes(labels))
