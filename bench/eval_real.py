"""make eval-real: grade the golden set with the real Gemini API and check the ranking before shipping.

    GEMINI_API_KEY=... make eval-real                  # the model in GEMINI_MODEL (default: settings)
    GEMINI_API_KEY=... GEMINI_MODEL=gemini-... make eval-real
    .venv/bin/python -m bench.eval_real --local   # the local emulator, in process

Every golden transcript with an intended level goes through `interview_core.evaluation.produce_report`, the
code the `evaluate` function runs: the versioned evaluation prompt, the adapter's `generate_structured`
(retries, clipping, validation) and the report rules (grounding, relevance, verdict in code). The
script prints the calibration table and Spearman's rank correlation (bench/calibration.py) and exits
0 when the ranking holds, 1 when it does not (rho below 0.9, a tie between levels within a role, a
strong candidate below hire, a transcript the model could not grade), 2 when there is no API key.
It calls the real API once per transcript (about 15 calls) and is not part of `make test`.
Transcripts are synthetic; nothing personal is sent or printed.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

from bench.calibration import (
    Calibration,
    LocalClient,
    calibrate,
    failed_row,
    grade,
    load_golden,
    row_of,
    table,
)
from interview_core.domain.errors import DomainError

if TYPE_CHECKING:
    from google import genai

NO_KEY = 2
NO_KEY_MESSAGE = (
    "eval-real grades the golden transcripts with the real Gemini API and needs GEMINI_API_KEY "
    "(https://aistudio.google.com/apikey). Set it, optionally with GEMINI_MODEL, and run again; "
    "`--local` grades with the local emulator instead."
)


def run(client: genai.Client | None) -> Calibration:
    """Grade every golden transcript with `client` (None: the real API from the settings)."""
    rows = []
    for golden in load_golden():
        try:
            rows.append(row_of(golden, grade(golden, client)))
        except DomainError as error:  # the model failed for this transcript: it scores nothing
            rows.append(failed_row(golden, error))
    return calibrate(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make eval-real", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--local", action="store_true", help="grade with the local emulator's evaluator, in process"
    )
    args = parser.parse_args(argv)
    if args.local:
        client: genai.Client | None = cast("genai.Client", LocalClient())
        source = "the local emulator (in process)"
    else:
        if not os.environ.get("GEMINI_API_KEY"):
            print(NO_KEY_MESSAGE, file=sys.stderr)
            return NO_KEY
        from interview_core.settings import get_settings

        client, source = None, f"the Gemini API, model {get_settings().gemini_model}"
    print(f"Grading the golden transcripts with {source}...", flush=True)
    result = run(client)
    print(table(result))
    return 0 if result.passed else 1


if __name__ == "__main__":
    sys.exit(main())
