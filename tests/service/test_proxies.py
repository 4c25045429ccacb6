"""Which proxy a request goes through, by the environment's rules (httpx's and curl's), and URLs
shown without their credentials."""

from __future__ import annotations

import httpx
import pytest

from ax_tasks_mcp.service.base_urls import normalize_base_url
from ax_tasks_mcp.service.errors import ConfigError
from ax_tasks_mcp.service.failures import error_from_response
from ax_tasks_mcp.service.proxies import ViaProxy, choose_proxy
from ax_tasks_mcp.service.redaction import mask_url, redact

ARIZE = "https://api.arize.com"


def test_no_proxy_variable_means_direct() -> None:
    choice = choose_proxy(ARIZE, {})
    assert (choice.url, choice.source) == (None, "default")


def test_the_scheme_variable_wins_and_lower_case_before_upper_case() -> None:
    env = {"https_proxy": "http://lower:1", "HTTPS_PROXY": "http://upper:2", "ALL_PROXY": "x:3"}
    choice = choose_proxy(ARIZE, env)
    assert (choice.url, choice.source) == ("http://lower:1", "env https_proxy")
    assert choose_proxy(ARIZE, {"ALL_PROXY": "proxy:3"}).url == "http://proxy:3"


def test_the_http_scheme_reads_http_proxy_and_https_reads_https_proxy() -> None:
    env = {"HTTP_PROXY": "http://plain:1", "HTTPS_PROXY": "http://secure:2"}
    assert choose_proxy("http://127.0.0.1:9", env).url == "http://plain:1"
    assert choose_proxy(ARIZE, env).url == "http://secure:2"


def test_upper_case_http_proxy_is_ignored_under_cgi() -> None:
    env = {"HTTP_PROXY": "http://injected:1", "REQUEST_METHOD": "GET"}
    assert choose_proxy("http://example.com", env).url is None


@pytest.mark.parametrize(
    ("no_proxy", "bypassed"),
    [
        ("*", True),
        ("arize.com", True),
        (".arize.com", True),
        ("api.arize.com:443", True),
        ("api.arize.com:8443", False),
        ("https://api.arize.com", True),
        ("http://api.arize.com", False),
        ("rize.com", False),
        ("example.com, localhost", False),
        ("", False),
    ],
)
def test_no_proxy_entries_for_a_name(no_proxy: str, bypassed: bool) -> None:
    choice = choose_proxy(ARIZE, {"HTTPS_PROXY": "http://proxy:3128", "no_proxy": no_proxy})
    assert (choice.url is None) is bypassed
    if bypassed:
        assert choice.source == "env no_proxy (excludes api.arize.com)"


@pytest.mark.parametrize(
    ("no_proxy", "bypassed"),
    [("127.0.0.1", True), ("127.0.0.0/8", True), ("10.0.0.0/8", False), ("[::1]", False)],
)
def test_no_proxy_entries_for_an_address(no_proxy: str, bypassed: bool) -> None:
    choice = choose_proxy("http://127.0.0.1:8765", {"HTTP_PROXY": "p:1", "NO_PROXY": no_proxy})
    assert (choice.url is None) is bypassed


@pytest.mark.parametrize(
    "value", ["ftp://proxy:21", "http://", "http://[bad", "proxy:99999", "a b:1"]
)
def test_an_unusable_proxy_is_refused_naming_the_variable(value: str) -> None:
    with pytest.raises(ConfigError) as caught:
        choose_proxy(ARIZE, {"HTTPS_PROXY": value})
    assert caught.value.message.startswith("HTTPS_PROXY must be a proxy URL")


def test_a_socks_proxy_without_its_package_says_what_to_install() -> None:
    with pytest.raises(ConfigError, match=r"socksio.*httpx\[socks\]"):
        choose_proxy(ARIZE, {"ALL_PROXY": "socks5://user:pw@proxy:1080"})


def test_a_proxy_is_described_without_its_credentials() -> None:
    choice = choose_proxy(ARIZE, {"HTTPS_PROXY": "http://me:s3cret-pass@proxy:3128"})
    assert choice.url == "http://me:s3cret-pass@proxy:3128"  # the transport needs them
    assert choice.shown == "http://***@proxy:3128"
    assert choice.describe() == "http://***@proxy:3128 (from HTTPS_PROXY)"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("http://user:pw@host:1/x", "http://***@host:1/x"),
        ("http://token@host", "http://***@host"),
        ("https://h/v2?token=abc&x=1#top", "https://h/v2?***#top"),
        ("https://api.arize.com/v2", "https://api.arize.com/v2"),
    ],
)
def test_mask_url_hides_user_password_and_query(text: str, shown: str) -> None:
    assert mask_url(text) == shown


def test_redaction_masks_credentials_in_any_url() -> None:
    assert redact("see http://u:ak-123@h:1 now") == "see http://***@h:1 now"


@pytest.mark.parametrize(
    "url",
    [
        "http://user:ak-the-key-itself-42@127.0.0.1:1",
        "http://127.0.0.1:1/?token=ak-the-key-itself-42",
        "user:ak-the-key-itself-42@127.0.0.1:1",
    ],
)
def test_a_base_url_with_credentials_is_refused_without_repeating_them(url: str) -> None:
    with pytest.raises(ConfigError) as caught:
        normalize_base_url(url)
    assert "ak-the-key-itself-42" not in caught.value.message
    assert "user" not in caught.value.message


@pytest.mark.parametrize(
    ("proxy", "said"),
    [
        ("http://corp-user:wrong-pass@proxy:3128", "refused the user and password its URL gives"),
        ("http://proxy:3128", "Put the proxy's user and password in its URL"),
    ],
)
def test_a_407_says_whether_the_credentials_are_missing_or_refused(proxy: str, said: str) -> None:
    """A proxy URL that gives a user and password and still gets 407: they were refused, and
    the message never shows them."""
    choice = choose_proxy("http://127.0.0.1:9", {"HTTP_PROXY": proxy})
    refused = httpx.MockTransport(lambda request: httpx.Response(407, request=request))
    with httpx.Client(transport=ViaProxy(refused, choice)) as client:
        response = client.get("http://127.0.0.1:9/v2/spaces")
    error = error_from_response(response)
    assert said in error.message
    assert "407 Proxy Authentication Required" in error.message
    assert "corp-user" not in error.message
    assert "wrong-pass" not in error.message
