"""Pipeline throughput against raw tesseract on the same pages, one run.

Renders the pages of a batch of real scans to images, OCRs them with the
plain ``tesseract`` command (one process per core, OMP_THREAD_LIMIT=1), then
ingests the same files with the full sohoa pipeline (one worker per core),
and prints pages/min for both, their ratio, and the peak memory of the
largest worker.

    .venv/bin/python bench/throughput.py [--corpus DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import CORPUS, WITH_TURNED  # noqa: E402
from core.settings import load_settings  # noqa: E402
from ingest.context import open_context  # noqa: E402
from ingest.pipeline import run_batch  # noqa: E402
from ingest.render import load_image_frame, render_pdf_page  # noqa: E402
from ingest.runner import default_workers  # noqa: E402
from ingest.sniff import sniff  # noqa: E402
from ingest.validate import inspect  # noqa: E402
from ocr.preprocess import normalise_mode, simplify_mode  # noqa: E402
from ocr.tesseract import save_input  # noqa: E402

DPI = 300


def page_images(files: list[Path], out: Path) -> list[Path]:
    """Every page of ``files`` as the image the pipeline would OCR."""
    images = []
    for path in files:
        kind = sniff(path)
        for index in inspect(path, kind, dpi=DPI, max_pixels=10**9).good_pages:
            if kind.name == "pdf":
                image = render_pdf_page(path, index, dpi=DPI)
            else:
                image, _ = load_image_frame(path, index)
            stem = out / f"{path.stem}-{index + 1:03d}"
            page = simplify_mode(normalise_mode(image))
            images.append(save_input(page, stem, DPI))
    return images


def raw_tesseract(images: list[Path], workers: int, lang: str) -> float:
    """Seconds for plain ``tesseract IMAGE OUT -l LANG`` over every image."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def run(image: Path) -> None:
        subprocess.run(["tesseract", str(image), str(image.with_suffix("")),
                        "-l", lang], check=True, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    started = time.monotonic()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(run, images))
    return time.monotonic() - started


def pipeline(
    files: list[Path], data: Path, workers: int, repeat: int
) -> tuple[float, int]:
    """Seconds and pages for ``sohoa ingest`` of ``repeat`` copies of
    ``files``; each copy has a byte appended after the end of the file
    (which readers ignore), so that dedupe keeps it."""
    batch = data / "batch"
    batch.mkdir(parents=True)
    for n in range(repeat):
        for path in files:
            tail = f"\n%copy {n}\n".encode()
            (batch / f"{n:03d}-{path.name}").write_bytes(path.read_bytes() + tail)
    settings = load_settings(data_dir=data / "archive")
    settings.ocr.ocr_workers = workers
    ctx = open_context(settings)
    started = time.monotonic()
    report = run_batch(ctx, [batch], dossier_code="BENCH")
    return time.monotonic() - started, report.pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--lang", default="vie")
    parser.add_argument("--repeat", type=int, default=4,
                        help="copies of the batch, to weigh start-up costs less")
    parser.add_argument("--skip", action="append", default=[],
                        help="leave out corpus files whose name contains this")
    args = parser.parse_args()
    files = [args.corpus / name for name in WITH_TURNED
             if not any(part in name for part in args.skip)]
    workers = default_workers(int(os.environ.get("SOHOA_OCR_WORKERS", "0")))
    with tempfile.TemporaryDirectory(prefix="sohoa-bench-") as tmp:
        tmp_path = Path(tmp)
        (tmp_path / "images").mkdir()
        images = page_images(files, tmp_path / "images")
        raw_s = raw_tesseract(images * args.repeat, workers, args.lang)
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        pipe_s, pages = pipeline(files, tmp_path / "pipe", workers, args.repeat)
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    raw_ppm = 60 * len(images) * args.repeat / raw_s
    pipe_ppm = 60 * pages / pipe_s
    out = sys.stdout
    out.write(f"pages: {len(images) * args.repeat} ({pages} archived by the "
              "pipeline), "
              f"workers: {workers}\n")
    out.write(f"raw tesseract: {raw_s:6.1f} s  {raw_ppm:6.1f} pages/min\n")
    out.write(f"sohoa ingest:  {pipe_s:6.1f} s  {pipe_ppm:6.1f} pages/min\n")
    out.write(f"ratio (pipeline / raw): {pipe_ppm / raw_ppm:.2f}\n")
    peak = max(peak_kib, before) / 1024
    out.write(f"peak memory of the largest worker: {peak:.0f} MiB\n")


if __name__ == "__main__":
    main()
