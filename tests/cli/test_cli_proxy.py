"""Behind a company proxy: ax-tasks goes through the proxy the environment names, trusts the
company's CA bundle, goes direct for NO_PROXY, and says in one line when the proxy is in the way.

A real proxy process on loopback (tests/support/loopback_proxy.py) forwards plain http in
absolute form and opens https tunnels (CONNECT) with a certificate of a company CA, as a proxy
that inspects TLS does; both lead to a sandbox served on loopback.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from ax_tasks_mcp.sandbox.serve import BackgroundServer
from tests.cli.conftest import Ax
from tests.support.loopback_proxy import LoopbackProxy
from tests.support.proxied import PROXY_PASSWORD, PROXY_USER
from tests.support.tls import CompanyCa

pytestmark = pytest.mark.e2e

ARIZE = "https://api.arize.com"
KEY = "proxy-test-key-0123456789"


def _new_lines(proxy: LoopbackProxy, before: int) -> list[str]:
    return proxy.lines()[before:]


def _space_names(stdout: str) -> list[str]:
    return [space["name"] for space in json.loads(stdout)]


def test_https_goes_through_the_proxy_tunnel_and_trusts_the_company_ca(
    ax: Ax, proxy: LoopbackProxy, company: CompanyCa
) -> None:
    before = len(proxy.lines())
    env = {"ARIZE_API_KEY": KEY, "HTTPS_PROXY": proxy.url, "SSL_CERT_FILE": str(company.ca_file)}
    result = ax("--base-url", ARIZE, "spaces", "-o", "json", env=env)
    assert result.exit_code == 0, result.stderr
    assert "demo" in _space_names(result.stdout)
    assert _new_lines(proxy, before) == ["CONNECT api.arize.com:443"]


def test_an_untrusted_inspecting_proxy_names_the_ca_bundle_setting(
    ax: Ax, proxy: LoopbackProxy
) -> None:
    env = {"ARIZE_API_KEY": KEY, "https_proxy": proxy.url}
    before = len(proxy.lines())
    result = ax("--base-url", ARIZE, "spaces", "-o", "json", env=env)
    assert result.exit_code == 1
    # one tunnel: a certificate the machine does not trust is not tried again
    assert _new_lines(proxy, before) == ["CONNECT api.arize.com:443"]
    error = Ax.error_of(result)
    assert error["kind"] == "connection_failed"
    assert "not trusted" in error["message"]
    assert "SSL_CERT_FILE" in error["message"]
    assert proxy.url in error["message"]


@pytest.mark.parametrize("variable", ["HTTP_PROXY", "http_proxy", "ALL_PROXY"])
def test_plain_http_is_sent_to_the_proxy_in_absolute_form(
    ax: Ax, proxy: LoopbackProxy, served: BackgroundServer, variable: str
) -> None:
    before = len(proxy.lines())
    result = ax(
        "--base-url",
        served.url,
        "spaces",
        "-o",
        "json",
        env={"ARIZE_API_KEY": KEY, variable: proxy.url},
    )
    assert result.exit_code == 0, result.stderr
    assert "demo" in _space_names(result.stdout)
    assert _new_lines(proxy, before) == [f"GET {served.url}/v2/spaces?limit=15"]


@pytest.mark.parametrize("no_proxy", ["127.0.0.1", "localhost,127.0.0.0/8", "*"])
def test_no_proxy_goes_direct(
    ax: Ax, proxy: LoopbackProxy, served: BackgroundServer, no_proxy: str
) -> None:
    before = len(proxy.lines())
    env = {"ARIZE_API_KEY": KEY, "HTTP_PROXY": proxy.url, "NO_PROXY": no_proxy}
    result = ax("--base-url", served.url, "spaces", "-o", "json", env=env)
    assert result.exit_code == 0, result.stderr
    assert _new_lines(proxy, before) == []


@pytest.mark.parametrize("scheme", ["https", "http"])
def test_a_proxy_asking_for_credentials_is_its_own_one_line_error(
    ax: Ax, guarded_proxy: LoopbackProxy, served: BackgroundServer, company: CompanyCa, scheme: str
) -> None:
    base = ARIZE if scheme == "https" else served.url
    env = {
        "ARIZE_API_KEY": KEY,
        f"{scheme.upper()}_PROXY": guarded_proxy.url,
        "SSL_CERT_FILE": str(company.ca_file),
    }
    result = ax("--base-url", base, "spaces", "-o", "json", env=env)
    assert result.exit_code == 1
    error = Ax.error_of(result)
    assert error["kind"] == "proxy_failed"
    assert guarded_proxy.url in error["message"]
    assert "407" in error["message"]
    assert "authentication" in error["message"]
    assert "resolve" not in error["message"]
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("scheme", ["https", "http"])
def test_proxy_credentials_it_refuses_are_said_to_be_refused_never_shown(
    ax: Ax, guarded_proxy: LoopbackProxy, served: BackgroundServer, company: CompanyCa, scheme: str
) -> None:
    base = ARIZE if scheme == "https" else served.url
    url = f"http://{PROXY_USER}:not-{PROXY_PASSWORD}@127.0.0.1:{guarded_proxy.port}"
    env = {"ARIZE_API_KEY": KEY, f"{scheme.upper()}_PROXY": url}
    result = ax(
        "--base-url",
        base,
        "spaces",
        "-o",
        "json",
        env={**env, "SSL_CERT_FILE": str(company.ca_file)},
    )
    assert result.exit_code == 1
    error = Ax.error_of(result)
    assert error["kind"] == "proxy_failed"
    assert "refused the user and password its URL gives (407" in error["message"]
    assert "Put the proxy's user and password" not in error["message"]
    assert PROXY_PASSWORD not in result.stderr
    assert PROXY_USER not in result.stderr


def test_proxy_credentials_are_used_and_never_shown(
    ax: Ax, guarded_proxy: LoopbackProxy, company: CompanyCa
) -> None:
    url = f"http://{PROXY_USER}:{PROXY_PASSWORD}@127.0.0.1:{guarded_proxy.port}"
    env = {"ARIZE_API_KEY": KEY, "HTTPS_PROXY": url, "SSL_CERT_FILE": str(company.ca_file)}
    listed = ax("--base-url", ARIZE, "spaces", "-o", "json", env=env)
    assert listed.exit_code == 0, listed.stderr
    shown = ax("--base-url", ARIZE, "-v", "config", "-o", "json", env=env)
    assert shown.exit_code == 0, shown.stderr
    rows = {row["setting"]: row for row in json.loads(shown.stdout)}
    assert rows["proxy"]["value"] == f"http://***@127.0.0.1:{guarded_proxy.port}"
    assert rows["proxy"]["source"] == "env HTTPS_PROXY"
    for text in (listed.stdout, listed.stderr, shown.stdout, shown.stderr):
        assert PROXY_PASSWORD not in text
        assert PROXY_USER not in text


def test_a_proxy_that_is_not_listening_is_named(ax: Ax) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    env = {"ARIZE_API_KEY": KEY, "HTTPS_PROXY": f"127.0.0.1:{port}"}
    result = ax("--base-url", ARIZE, "spaces", "-o", "json", env=env)
    assert result.exit_code == 1
    error = Ax.error_of(result)
    assert error["kind"] == "proxy_failed"
    assert f"the proxy http://127.0.0.1:{port} (from HTTPS_PROXY)" in error["message"]
    assert "NO_PROXY" in error["message"]
    assert "Name or service" not in error["message"]


def test_config_shows_the_proxy_in_force_and_why(ax: Ax, tmp_path: Path) -> None:
    env = {"HTTPS_PROXY": "http://proxy.corp.example:3128", "NO_PROXY": "localhost"}
    rows = {row["setting"]: row for row in ax.json("config", env=env)}
    assert rows["proxy"] == {
        "setting": "proxy",
        "value": "http://proxy.corp.example:3128",
        "source": "env HTTPS_PROXY",
    }
    bypassed = {
        row["setting"]: row for row in ax.json("config", env={**env, "NO_PROXY": ".arize.com"})
    }
    assert bypassed["proxy"]["value"] == "none (direct)"
    assert bypassed["proxy"]["source"] == "env NO_PROXY (excludes api.arize.com)"


def test_a_malformed_proxy_variable_is_a_configuration_error(ax: Ax) -> None:
    result = ax("config", "-o", "json", env={"HTTPS_PROXY": "ftp://user:pw@proxy"})
    assert result.exit_code == 2
    error = Ax.error_of(result)
    assert error["kind"] == "config_error"
    assert "HTTPS_PROXY" in error["message"]
    assert "http://proxy.example.com:3128" in error["message"]
    assert "pw" not in error["message"].replace("proxy", "")
