"""Shared setup for the parser tests: the JSON-schema validator and the hypothesis profiles.

Profiles: `ci` (the default; a fixed derandomized run, sized to finish within a few minutes on two
cores) and `dev` (more, random examples). Choose with HYPOTHESIS_PROFILE=dev.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from jsonschema import Draft202012Validator

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_PATH = ROOT / "parsers" / "data" / "report.schema.json"

_SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture]
settings.register_profile(
    "ci", derandomize=True, max_examples=12, deadline=None, suppress_health_check=_SLOW_OK, print_blob=True
)
settings.register_profile(
    "dev", max_examples=60, deadline=None, suppress_health_check=_SLOW_OK, print_blob=True
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def schema_validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)
