"""The README's Docker examples are the ones the suite runs and the image defines."""

from __future__ import annotations

import re
from pathlib import Path

from test_docker_image import IMAGE, RUN, TOKEN

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
HEALTH = "import urllib.request as u; u.urlopen('http://127.0.0.1:8080/__admin/health', timeout=1)"


def test_readme_docker_run_line_is_the_tested_one():
    tested = " ".join(RUN).format(port=8080).replace(IMAGE, "mockcrm")
    assert tested in README
    assert f"X-Admin-Token: {TOKEN}" in README


def test_readme_health_checks_call_the_images_probe():
    section = README[README.index("## Use in CI (Docker)") : README.index("## The Zylker seed")]
    assert section.count(HEALTH) == 2  # GitHub Actions and docker-compose
    assert "/__admin/health" in DOCKERFILE and "HEALTHCHECK" in DOCKERFILE
    assert re.search(r"condition: service_healthy", section)


def test_image_defaults_every_setting_by_environment():
    assert "MOCKCRM_HOST=0.0.0.0" in DOCKERFILE and "MOCKCRM_PORT=8080" in DOCKERFILE
    assert 'ENTRYPOINT ["mockcrm", "serve"]' in DOCKERFILE
    assert "USER mockcrm" in DOCKERFILE and "EXPOSE 8080" in DOCKERFILE
