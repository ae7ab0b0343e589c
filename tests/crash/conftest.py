"""One crash child for the whole crash suite: Python starts once, workers are forked."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .harness import Zygote


@pytest.fixture(scope="session")
def zygote(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Zygote]:
    z = Zygote(tmp_path_factory.mktemp("crash") / "child-stderr.txt")
    yield z
    z.close()
