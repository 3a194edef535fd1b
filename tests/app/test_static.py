"""Static files: versioned URLs cached for a year, plain ones revalidated, large ones compressed."""

from __future__ import annotations

import gzip
import re
from importlib import resources

import brotli
import pytest
import zstandard
from fastapi.testclient import TestClient

from app.main import create_app
from app.paths import STATIC
from app.routes.pages import content_token

client = TestClient(create_app())
IMMUTABLE = "public, max-age=31536000, immutable"
PLOTLY = (resources.files("plotly") / "package_data" / "plotly.min.js").read_bytes()
DECODE = {"gzip": gzip.decompress, "br": brotli.decompress, "zstd": zstandard.decompress}


def linked(path: str) -> list[str]:
    return re.findall(r'(?:src|href)="(/(?:static|vendor)/[^"]+)"', client.get(path).text)


def test_pages_link_their_files_under_a_version_in_the_path():
    urls = linked("/") + linked("/circuit") + linked("/compare")
    assert urls and all("?" not in u for u in urls)
    token = content_token(STATIC)
    assert f"/static/{token}/js/main.js" in urls and f"/static/{token}/js/circuit.js" in urls
    assert f"/static/{token}/js/compare.js" in urls
    assert f"/static/{token}/css/app.css" in urls
    assert any(re.fullmatch(r"/vendor/plotly-\d+\.\d+\.\d+\.min\.js", u) for u in urls)


def test_versioned_files_are_cached_for_a_year_and_plain_ones_revalidated():
    token = content_token(STATIC)
    for name in ("js/main.js", "js/lang/zh.js", "css/app.css"):
        versioned = client.get(f"/static/{token}/{name}")
        plain = client.get(f"/static/{name}")
        assert versioned.status_code == plain.status_code == 200
        assert versioned.content == plain.content == (STATIC / name).read_bytes()
        assert versioned.headers["cache-control"] == IMMUTABLE
        assert plain.headers["cache-control"] == "no-cache"
    (plotly_url,) = [u for u in linked("/") if u.startswith("/vendor/")]
    assert client.get(plotly_url).headers["cache-control"] == IMMUTABLE
    assert client.get("/vendor/plotly.min.js").headers["cache-control"] == "no-cache"
    assert client.get(f"/static/{token}/js/nothing.js").status_code == 404


def test_a_revalidated_versioned_file_keeps_its_cache_header():
    url = f"/static/{content_token(STATIC)}/js/main.js"
    etag = client.get(url).headers["etag"]
    r = client.get(url, headers={"If-None-Match": etag})
    assert r.status_code == 304 and r.headers["cache-control"] == IMMUTABLE


def test_the_token_follows_the_contents(tmp_path):
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "a.js").write_text("export const a = 1;\n")
    before = content_token(tmp_path)
    assert content_token(tmp_path) == before and re.fullmatch(r"[0-9a-f]{12}", before)
    (tmp_path / "js" / "a.js").write_text("export const a = 2;\n")
    assert content_token(tmp_path) != before


@pytest.mark.parametrize("encoding", ["gzip", "br", "zstd"])
def test_plotly_is_compressed_when_the_client_accepts_it(encoding):
    with client.stream("GET", "/vendor/plotly.min.js", headers={"Accept-Encoding": encoding}) as r:
        raw = b"".join(r.iter_raw())
    assert r.headers["content-encoding"] == encoding
    assert len(raw) < len(PLOTLY) / 2.5
    assert DECODE[encoding](raw) == PLOTLY


@pytest.mark.parametrize(
    "accept, encoding",
    [("zstd", "zstd"), ("gzip, deflate, br, zstd", "zstd"), ("gzip", "gzip"), ("br", "br")],
)
def test_versioned_plotly_is_compressed_once_and_served_from_memory(accept, encoding):
    from app.routes.pages import PLOTLY_URL, _packed_plotly

    with client.stream("GET", PLOTLY_URL, headers={"Accept-Encoding": accept}) as r:
        raw = b"".join(r.iter_raw())
    assert r.headers["content-encoding"] == encoding and r.headers["cache-control"] == IMMUTABLE
    assert DECODE[encoding](raw) == PLOTLY
    if encoding != "br":  # br is left to the middleware, per request
        assert raw == _packed_plotly(encoding) and _packed_plotly.cache_info().hits >= 1


def test_gzip_for_the_page_and_the_api_and_nothing_for_who_does_not_ask():
    for path in ("/", "/api/options", f"/static/{content_token(STATIC)}/js/main.js"):
        with client.stream("GET", path, headers={"Accept-Encoding": "gzip"}) as r:
            raw = b"".join(r.iter_raw())
        assert (
            r.headers["content-encoding"] == "gzip"
            and "accept-encoding" in r.headers["vary"].lower()
        )
        assert gzip.decompress(raw) == client.get(path, headers={"Accept-Encoding": ""}).content
    with client.stream(
        "GET", "/vendor/plotly.min.js", headers={"Accept-Encoding": "identity"}
    ) as r:
        assert "content-encoding" not in r.headers and b"".join(r.iter_raw()) == PLOTLY


def test_the_docs_load_their_files_from_this_server():
    for path in ("/docs", "/redoc"):
        html = client.get(path).text
        urls = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert urls and all(u.startswith("/") for u in urls), urls
        for url in urls:
            r = client.get(url)
            assert r.status_code == 200, url
            if url.startswith("/docs/assets/"):
                assert r.headers["cache-control"] == IMMUTABLE
    assert b"cdn.redoc.ly" not in client.get(re.search(r'src="([^"]+)"', html)[1]).content
