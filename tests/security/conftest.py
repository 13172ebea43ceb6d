"""Every security test starts and ends with the default load limits: a test that raises or
lowers one (``keras.config.set_load_limits``) cannot change what the next test sees."""

import pytest

from kerlite import safe_loading


@pytest.fixture(autouse=True)
def default_load_limits():
    safe_loading.set_load_limits(**{name: None for name in safe_loading.LOAD_LIMITS})
    yield
    safe_loading.set_load_limits(**{name: None for name in safe_loading.LOAD_LIMITS})
