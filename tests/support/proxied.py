"""Fixtures for the proxy tests of both faces (a pytest plugin, see tests/conftest.py).

``served``: a sandbox on a loopback port; ``company``: a company CA and a certificate it signed
for api.arize.com; ``proxy``: the loopback proxy process in front of the served sandbox, opening
https tunnels with that certificate; ``guarded_proxy``: the same, asking for
``PROXY_USER:PROXY_PASSWORD`` (407 otherwise).  One of each per test module.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ax_tasks_mcp.sandbox.serve import BackgroundServer
from tests.support.loopback_proxy import LoopbackProxy
from tests.support.tls import CompanyCa, company_ca

PROXY_USER = "corp-user"
PROXY_PASSWORD = "corp-password-987"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackgroundServer]:
    with BackgroundServer(db_path=tmp_path_factory.mktemp("served") / "sandbox.db") as server:
        yield server


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> CompanyCa:
    return company_ca(tmp_path_factory.mktemp("ca"), ("api.arize.com",))


def _proxy(
    folder: pytest.TempPathFactory,
    served: BackgroundServer,
    company: CompanyCa,
    auth: str | None,
) -> LoopbackProxy:
    log = folder.mktemp("proxy") / "requests.log"
    port = int(served.url.rsplit(":", 1)[1])
    return LoopbackProxy(log, upstream=port, tls=(company.cert_file, company.key_file), auth=auth)


@pytest.fixture(scope="module")
def proxy(
    tmp_path_factory: pytest.TempPathFactory, served: BackgroundServer, company: CompanyCa
) -> Iterator[LoopbackProxy]:
    with _proxy(tmp_path_factory, served, company, None) as running:
        yield running


@pytest.fixture(scope="module")
def guarded_proxy(
    tmp_path_factory: pytest.TempPathFactory, served: BackgroundServer, company: CompanyCa
) -> Iterator[LoopbackProxy]:
    auth = f"{PROXY_USER}:{PROXY_PASSWORD}"
    with _proxy(tmp_path_factory, served, company, auth) as running:
        yield running
