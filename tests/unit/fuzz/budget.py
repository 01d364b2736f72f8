"""The fuzz suite's budget: one hypothesis profile for every target, so that it runs inside
the normal pytest run in bounded time.

Examples are derandomized (the same ones every run: no flaky discoveries in CI) and nothing
is stored between runs. ``RADAR_FUZZ_EXAMPLES=5000 pytest tests/unit/fuzz`` explores further,
and ``RADAR_FUZZ_RANDOM=1`` draws new examples each run (then a failure prints its
reproduction blob).
"""

import os

from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("RADAR_FUZZ_EXAMPLES", "200"))

settings.register_profile(
    "radar-fuzz",
    max_examples=EXAMPLES,
    deadline=None,  # feedparser on a mutated real feed can take tens of milliseconds
    derandomize=not os.environ.get("RADAR_FUZZ_RANDOM"),
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FUZZ = settings.get_profile("radar-fuzz")
