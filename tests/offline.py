"""Nothing a test starts reaches beyond this machine, whatever this machine can reach.

Every address is a closed port on loopback (connections are refused at once): the tool checks' registry
APIs for the whole suite (`tests/conftest.py`; tests of the checks serve their own), and, for the apps a
browser test runs with their refresh loop on, a proxy for every address off the machine, so the seeded
public sources and the tools' homepages fail fast instead of holding the refresh lease on the network.
"""

from __future__ import annotations

CLOSED_PORT_URL = "http://127.0.0.1:9"
CHECK_API_VARIABLES = ("AGENTOIRE_GITHUB_API_URL", "AGENTOIRE_PYPI_URL", "AGENTOIRE_NPM_URL",
                       "AGENTOIRE_NPM_DOWNLOADS_URL", "AGENTOIRE_HF_API_URL")


def check_apis_closed() -> dict[str, str]:
    return dict.fromkeys(CHECK_API_VARIABLES, CLOSED_PORT_URL)


def internet_closed() -> dict[str, str]:
    """Proxy variables (honoured by httpx) sending every request off loopback to the closed port."""
    return {**dict.fromkeys(("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"), CLOSED_PORT_URL),
            "NO_PROXY": "127.0.0.1,localhost"}
