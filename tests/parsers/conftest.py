"""Shared setup for the parser tests: the hypothesis profiles of the property tests.

Profiles: `ci` (the default; a fixed derandomized run, sized to finish within a few minutes on two
cores) and `dev` (more, random examples). Choose with HYPOTHESIS_PROFILE=dev. They are registered here
and applied by test_property.py to its own tests, not loaded globally, so other suites' hypothesis
tests keep their own settings.
"""

from __future__ import annotations

from hypothesis import HealthCheck, Phase, settings

_SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture]
# Each example renders and parses a whole report, so CI skips shrinking (a failure prints the example
# and its reproduce blob; shrink it locally with the dev profile).
settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    max_examples=100,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=_SLOW_OK,
    print_blob=True,
)
settings.register_profile(
    "dev", max_examples=200, deadline=None, suppress_health_check=_SLOW_OK, print_blob=True
)
