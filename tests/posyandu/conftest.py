"""The sync tests' clients, for the Posyandu visit tests that replicate like a tablet."""

from tests.sync.conftest import couch  # noqa: F401
