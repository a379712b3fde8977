"""Train the digit-string recogniser on generated blanks and export it to ``model.onnx`` (development only).

``python -m ocr_ingest.text.digits.train [--samples 24000] [--steps 1600] [--seed 20]``: needs the
``train`` extra (PyTorch, CPU) and the handwriting fonts of ``synth.HAND_APT_PACKAGES`` (``make
train-digits`` installs both). Seeded: the same seed, sample count and step count give the same
weights on the same machine (PyTorch's CPU kernels, one thread: two threads on a shared machine
spent most of their time waiting for each other). 415 s for the committed model on a busy shared machine.

The model (a CRNN with CTC): five 3x3 convolutions take the 32 px tall crop to one row of 96
features per 4 px of width, a bidirectional LSTM reads the row, a linear layer gives the blank and
the ten figures per frame. ~0.2 M weights, under 1 MB in ONNX.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from .reader import ALPHABET, HEIGHT, MODEL, decode, normalise
from .synth import HAND_APT_PACKAGES, available_hand_fonts, sample


def make_set(n: int, seed: int) -> list[tuple[np.ndarray, str]]:
    """``n`` generated crops, normalised as the reader normalises them, with their figures."""
    rng = np.random.default_rng(seed)
    fonts = available_hand_fonts()
    out = []
    for _ in range(n):
        crop, text = sample(rng, fonts)
        out.append((normalise(crop), text))
    return out


def build_model():  # noqa: ANN201 - torch is a development dependency
    import torch
    from torch import nn

    def block(i: int, o: int) -> list[nn.Module]:
        return [nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU(inplace=True)]

    class CRNN(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv = nn.Sequential(
                *block(1, 24), nn.MaxPool2d(2, 2),
                *block(24, 48), nn.MaxPool2d(2, 2),
                *block(48, 64), *block(64, 64), nn.MaxPool2d((2, 1)),
                *block(64, 96), nn.MaxPool2d((4, 1)),
            )  # fmt: skip
            self.rnn = nn.LSTM(96, 64, batch_first=True, bidirectional=True)
            self.out = nn.Linear(128, len(ALPHABET) + 1)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            f = self.conv(x).squeeze(2).transpose(1, 2)  # (batch, frames, 96)
            f, _ = self.rnn(f)
            return self.out(f)  # (batch, frames, classes): logits

    return CRNN()


def batches(data: list[tuple[np.ndarray, str]], size: int, rng: np.random.Generator):  # noqa: ANN201
    """Batches of crops of similar width (little padding), in a seeded order."""
    import torch

    order = sorted(range(len(data)), key=lambda i: data[i][0].shape[1])
    groups = [order[i : i + size] for i in range(0, len(order), size)]
    for g in rng.permutation(len(groups)):
        idx = groups[g]
        width = max(data[i][0].shape[1] for i in idx)
        width += -width % 4
        x = np.zeros((len(idx), 1, HEIGHT, width), np.float32)
        for k, i in enumerate(idx):
            x[k, 0, :, : data[i][0].shape[1]] = data[i][0]
        targets = [int(ALPHABET.index(c)) + 1 for i in idx for c in data[i][1]]
        yield (
            torch.from_numpy(x),
            torch.tensor(targets, dtype=torch.long),
            torch.tensor([len(data[i][1]) for i in idx], dtype=torch.long),
            torch.tensor([data[i][0].shape[1] // 4 for i in idx], dtype=torch.long),
        )


def accuracy(model, data: list[tuple[np.ndarray, str]]) -> float:  # noqa: ANN001
    """Share of crops read exactly."""
    import torch

    model.eval()
    right = 0
    with torch.no_grad():
        for x, text in data:
            logits = model(torch.from_numpy(x)[None, None]).numpy()[0]
            right += decode(logits).text == text
    model.train()
    return right / len(data)


def main(argv: list[str] | None = None) -> None:
    import torch

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=24_000)
    ap.add_argument("--steps", type=int, default=1600)
    ap.add_argument("--seed", type=int, default=20)
    ap.add_argument("--batch", type=int, default=48)
    ap.add_argument("--out", type=Path, default=MODEL)
    args = ap.parse_args(argv)
    torch.manual_seed(args.seed)
    torch.set_num_threads(1)
    started = time.perf_counter()
    if not available_hand_fonts():
        raise SystemExit(f"no handwriting fonts: apt-get install {HAND_APT_PACKAGES}")
    train = make_set(args.samples, args.seed)
    test = make_set(1000, args.seed + 1)
    print(f"{len(train)} samples made in {time.perf_counter() - started:.0f} s", flush=True)
    model = build_model()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=args.steps, pct_start=0.1)
    ctc = torch.nn.CTCLoss(blank=0, zero_infinity=True)
    rng = np.random.default_rng(args.seed)
    step, epoch = 0, 0
    while step < args.steps:
        epoch += 1
        for x, targets, target_lengths, input_lengths in batches(train, args.batch, rng):
            logp = model(x).log_softmax(2).transpose(0, 1)  # (frames, batch, classes)
            loss = ctc(logp, targets, input_lengths, target_lengths)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            sched.step()
            step += 1
            if step % 200 == 0:
                print(f"step {step} epoch {epoch} loss {loss.item():.3f} "
                      f"{time.perf_counter() - started:.0f} s", flush=True)  # fmt: skip
            if step >= args.steps:
                break
    print(f"{step} steps, {epoch} epochs; generated test set read exactly: {accuracy(model, test):.3f}")
    export(model, args.out)
    print(
        f"wrote {args.out} ({args.out.stat().st_size // 1024} KiB) in {time.perf_counter() - started:.0f} s"
    )


def export(model, path: Path) -> None:  # noqa: ANN001
    import torch

    model.eval()
    x = torch.zeros(1, 1, HEIGHT, 128)
    torch.onnx.export(
        model, (x,), str(path), input_names=["image"], output_names=["logits"],
        dynamic_axes={"image": {0: "batch", 3: "width"}, "logits": {0: "batch", 1: "frames"}},
        opset_version=17, dynamo=False,
    )  # fmt: skip


if __name__ == "__main__":
    main()
