#!/usr/bin/env python3
"""The one table scripts/bench.sh prints: each Folio figure beside the reference measured
in the same run, the ratio, and the aim from issue 17. Reads the JSON files bench.sh
wrote into DIR; a missing file leaves its rows out and says so."""

import json
import os
import platform
import sys
from datetime import date


def load(folder, name):
    path = os.path.join(folder, name)
    if not os.path.exists(path):
        print(f"(no {name}: that benchmark did not run)", file=sys.stderr)
        return None
    with open(path) as f:
        return json.load(f)


def threads(n):
    return f"{n} thread" if n == 1 else f"{n} threads"


def row(what, folio, reference, ratio, aim):
    return f"| {what} | {folio} | {reference} | {ratio} | {aim} |"


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "artifacts/bench"
    rows = []
    blank, window = load(folder, "window-blank.json"), load(folder, "window-folio.json")
    if blank and window:
        rows.append(row("window shown after launch (median)", f"{window['start_ms_median']} ms",
                        f"blank Tauri {blank['start_ms_median']} ms",
                        f"{window['start_ms_median'] / blank['start_ms_median']:.2f}x", "<= 1 s"))
        rows.append(row("idle memory, whole process tree (PSS)", f"{window['idle_pss_mb']:.0f} MB",
                        f"blank Tauri {blank['idle_pss_mb']:.0f} MB",
                        f"{window['idle_pss_mb'] / blank['idle_pss_mb']:.2f}x", "<= 1.3x"))
        rows.append(row("idle memory (RSS, shared pages counted per process)", f"{window['idle_rss_mb']:.0f} MB",
                        f"blank Tauri {blank['idle_rss_mb']:.0f} MB",
                        f"{window['idle_rss_mb'] / blank['idle_rss_mb']:.2f}x", "-"))
        rows.append(row("release binary", f"{window['binary_mb']:.1f} MB", f"blank Tauri {blank['binary_mb']:.1f} MB",
                        f"{window['binary_mb'] / blank['binary_mb']:.2f}x", "-"))
    ingest = load(folder, "ingest.json")
    if ingest:
        folio = ingest["folioKeywordSearchable"]["pagesPerSecond"]
        ref = ingest["pdftotext"]["pagesPerSecond"]
        rows.append(row(f"PDFs to keyword-searchable ({ingest['files']} files, {ingest['pages']} pages)",
                        f"{folio:.0f} pages/s", f"pdftotext {ref:.0f} pages/s", f"{folio / ref:.2f}x", ">= 1x"))
        if ingest.get("embeddedShareOfRaw"):
            rows.append(row("passages embedded, share of the model's own speed",
                            f"{ingest['folioFullyEmbedded']['passagesPerSecond']:.1f} passages/s",
                            f"model alone {ingest['embeddingModelRaw']['passagesPerSecond']:.1f}",
                            f"{ingest['embeddedShareOfRaw']:.2f}x", "-"))
        rows.append(row("peak memory while reading", f"{ingest['peakMemoryMb']} MB", "-", "-", "-"))
    latency = load(folder, "latency.json")
    if latency and latency.get("latency"):
        l = latency["latency"]
        rows.append(row(f"retrieval over {l['pages']:,} pages ({l['queries']} questions) p50 / p99",
                        f"{l['p50_ms']:.1f} / {l['p99_ms']:.1f} ms", f"first query {l['cold_ms']:.0f} ms", "-",
                        "<= 30 / 150 ms"))
    llm = load(folder, "llm.json")
    if llm:
        runs = {r["setting"]: r for r in llm["runs"]}
        # Folio's figure is the thread count it chose from the machine's load; the
        # reference is a fixed setting measured beside it (one thread, or all cores
        # when one thread was the choice).
        chosen = runs.get("chosen from load") or runs.get("all cores")
        ref = runs.get("reference") or (runs.get("all cores") if chosen is not runs.get("all cores") else None)
        if chosen and ref:
            rows.append(row(f"built-in runner, prompt ({os.path.basename(llm['model'])})",
                            f"{chosen['prompt_tokens_per_second']:.0f} tokens/s ({threads(chosen['threads'])})",
                            f"{threads(ref['threads'])} {ref['prompt_tokens_per_second']:.0f}",
                            f"{chosen['prompt_tokens_per_second'] / ref['prompt_tokens_per_second']:.2f}x",
                            "llama-bench within 10% (not available here)"))
            rows.append(row("built-in runner, generation", f"{chosen['generated_tokens_per_second']:.1f} tokens/s",
                            f"{threads(ref['threads'])} {ref['generated_tokens_per_second']:.1f}",
                            f"{chosen['generated_tokens_per_second'] / ref['generated_tokens_per_second']:.2f}x", "-"))
    cores = os.cpu_count()
    print(f"\nFolio benchmarks, {date.today().isoformat()}, {platform.system()} {platform.machine()}, {cores} cores\n")
    print("| measure | Folio | reference (same run) | ratio | aim |")
    print("| --- | --- | --- | --- | --- |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
