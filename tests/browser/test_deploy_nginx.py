"""The shipped nginx configuration in front of the real app: a page, the websocket's events, compression and
cache headers all pass through it.

nginx is Debian's (`scripts/ensure-nginx.sh`, run by `make test`), started here as a non-daemon child on a
free loopback port with temporary directories; the only edits to `deploy/nginx/*.conf` are the listen
address, the cache directory and the upstream's addresses, each asserted to happen, plus a second listen
address with TLS (a throwaway self-signed certificate) as an operator adds it.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from deploy_paths import NGINX_SITE, NGINX_UPSTREAM

from .conftest import AppServer, free_port, wait_live

pytestmark = pytest.mark.browser


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)


def replaced(text: str, old: str, new: str) -> str:
    assert old in text, f"the shipped config no longer has {old!r}; update the test's edit"
    return text.replace(old, new)


def self_signed_certificate(work: Path) -> tuple[Path, Path]:
    cert, key = work / "cert.pem", work / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True, timeout=60)
    return cert, key


@pytest.fixture(scope="module")
def tls_port() -> int:
    return free_port()


@pytest.fixture(scope="module")
def nginx(app_server: AppServer, tmp_path_factory: pytest.TempPathFactory, tls_port: int) -> Iterator[str]:
    binary = nginx_binary()
    if binary is None:
        pytest.skip("nginx is not installed and could not be (scripts/ensure-nginx.sh needs root and apt-get)")
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed: no certificate for the TLS listener")
    work = tmp_path_factory.mktemp("nginx")
    port = free_port()
    cert, key = self_signed_certificate(work)
    upstream = NGINX_UPSTREAM.read_text()
    upstream = replaced(upstream, "    server 127.0.0.1:3001;\n    server 127.0.0.1:3002;\n",
                        f"    server 127.0.0.1:{app_server.port};\n")
    site = NGINX_SITE.read_text()
    site = replaced(site, "listen 80;", f"listen 127.0.0.1:{port};\n    listen 127.0.0.1:{tls_port} ssl;\n"
                                        f"    ssl_certificate {cert};\n    ssl_certificate_key {key};")
    site = replaced(site, "/var/cache/nginx/agentoire", str(work / "cache"))
    (work / "upstream.conf").write_text(upstream)
    (work / "site.conf").write_text(site)
    temp = {name: work / name for name in ("client", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir()
    (work / "nginx.conf").write_text(f"""
daemon off;
{"user root;" if os.geteuid() == 0 else ""}
pid {work / 'nginx.pid'};
error_log {work / 'error.log'} info;
worker_processes 1;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    access_log {work / 'access.log'};
    client_body_temp_path {temp['client']};
    proxy_temp_path {temp['proxy']};
    fastcgi_temp_path {temp['fastcgi']};
    uwsgi_temp_path {temp['uwsgi']};
    scgi_temp_path {temp['scgi']};
    include {work / 'upstream.conf'};
    include {work / 'site.conf'};
}}
""")
    check = subprocess.run([binary, "-t", "-c", str(work / "nginx.conf"), "-p", str(work)],
                           capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, check.stderr
    # The browser opens its websocket at the address the build was told is public: restart the app with
    # nginx's address as AGENTOIRE_BASE_URL (and give the session's server back as it was afterwards).
    if app_server.reused:
        pytest.skip("the app must be restarted with nginx's address as its public one; a reused server cannot be")
    restart = True
    if restart:
        app_server.stop()
        app_server.env["AGENTOIRE_BASE_URL"] = f"http://127.0.0.1:{port}"
        app_server.start()
    # As root, nginx's workers would run as nobody, who cannot enter pytest's private temp directories.
    process = subprocess.Popen([binary, "-c", str(work / "nginx.conf"), "-p", str(work)],
                               stdout=subprocess.DEVNULL, stderr=(work / "stderr.log").open("wb"))
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    try:
        yield f"http://127.0.0.1:{port}"
        print("nginx error log:", (work / "error.log").read_text()[-3000:], (work / "stderr.log").read_text())
    finally:
        process.send_signal(signal.SIGQUIT)  # nginx's graceful stop
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        if restart:
            app_server.stop()
            app_server.env.pop("AGENTOIRE_BASE_URL", None)
            app_server.start()


@pytest.fixture
def nginx_https(nginx: str, tls_port: int) -> str:
    return f"https://127.0.0.1:{tls_port}"


def test_behind_tls_the_apps_redirects_keep_the_scheme_the_browser_used(nginx: str, nginx_https: str) -> None:
    # The app only ever sees plain http from nginx; its redirect to the page's folder is built from that.
    for base in (nginx_https, nginx):
        response = httpx.get(base + "/news", verify=False)
        assert response.status_code == 307 and response.headers["location"] == base + "/news/", base
    page = httpx.get(nginx_https + "/news/chinas-open-source-bet", verify=False)
    assert page.status_code == 200 and "China's open-source bet" in page.text


def test_a_page_comes_through_nginx_compressed_with_its_own_head(nginx: str) -> None:
    response = httpx.get(nginx + "/news/chinas-open-source-bet", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200 and response.headers.get("content-encoding") == "gzip"
    assert "<title data-ag-head>China's open-source bet · agentoire</title>" in response.text
    assert httpx.get(nginx + "/news/no-such-story").status_code == 404


def test_the_feed_and_the_api_are_cached_at_nginx_for_as_long_as_the_app_says(nginx: str) -> None:
    for path in ("/feed.xml", "/api/news"):
        first = httpx.get(nginx + path)
        second = httpx.get(nginx + path)
        assert first.status_code == second.status_code == 200
        assert first.headers["cache-control"].startswith("public, max-age=")
        assert second.headers["x-cache"] == "HIT", path
    assert "x-cache" not in httpx.get(nginx + "/api/health").headers


def test_built_assets_are_kept_for_a_year(nginx: str) -> None:
    shell = httpx.get(nginx + "/news", follow_redirects=True).text
    [asset, *_] = re.findall(r'"(/assets/[^"]+\.(?:js|css))"', shell)
    response = httpx.get(nginx + asset)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"


def test_events_travel_over_the_websocket_through_nginx(nginx: str, page) -> None:  # type: ignore[no-untyped-def]
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    page.goto(nginx + "/tools")
    wait_live(page)  # the hydrate event went out and its answer came back through the upgrade
    page.wait_for_function(
        "/^[0-9]+ tools$/.test(document.querySelector('[data-testid=status-tools]').textContent)")
    page.keyboard.press("Control+k")
    page.get_by_test_id("palette-input").fill("china")
    page.wait_for_function("document.querySelectorAll('[data-testid=palette-item]').length > 0")
    assert sockets and all(url.startswith(nginx.replace("http", "ws") + "/_event") for url in sockets), sockets
