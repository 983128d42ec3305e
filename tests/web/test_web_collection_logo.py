"""The convener's logo on a collection's public form (TestClient, SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from PIL import Image
from tests.web.test_web_collections import _anonymous, _setup


def _picture(size: tuple[int, int] = (900, 300), form: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "#0b4f6c").save(out, format=form)
    return out.getvalue()


def _upload(client: TestClient, web, base: str, data: bytes, name: str = "logo.png"):
    page = client.get(f"{base}/edit")
    assert page.status_code == 200, page.text
    return client.post(
        f"{base}/logo",
        data={"csrf_token": web.csrf_of(page.text)},
        files={"logo": (name, data, "image/png")},
        follow_redirects=False,
    )


def test_a_logo_is_made_small_served_from_here_and_can_be_removed(
    seeded, client_for: Callable[[str], TestClient], web
) -> None:
    owner = client_for("owner@network.org")
    token = _setup(owner, web, seeded.workspace_id)
    base = f"/w/{seeded.workspace_id}/collections/1"
    with _anonymous(owner.app, "192.0.2.50") as visitor:
        assert visitor.get(f"/s/{token}/logo").status_code == 404
        assert "host-logo" not in visitor.get(f"/s/{token}").text

    saved = _upload(owner, web, base, _picture())
    assert saved.status_code == 303 and saved.headers["location"].endswith("logo=saved#logo")
    assert "Logo saved." in owner.get(saved.headers["location"]).text

    with _anonymous(owner.app, "192.0.2.51") as visitor:
        served = visitor.get(f"/s/{token}/logo")
        assert served.status_code == 200
        assert served.headers["content-type"] == "image/png"
        assert served.headers["x-content-type-options"] == "nosniff"
        with Image.open(io.BytesIO(served.content)) as shown:
            assert shown.format == "PNG" and shown.size == (480, 160)
        form = visitor.get(f"/s/{token}").text
        assert re.search(rf'<img class="host-logo" src="/s/{token}/logo"[^>]*width="480"', form)

    page = owner.get(f"{base}/edit")
    removed = owner.post(
        f"{base}/logo/remove",
        data={"csrf_token": web.csrf_of(page.text)},
        follow_redirects=False,
    )
    assert removed.status_code == 303
    with _anonymous(owner.app, "192.0.2.52") as visitor:
        assert visitor.get(f"/s/{token}/logo").status_code == 404


def test_a_file_that_is_not_a_picture_is_refused_with_the_reason(
    seeded, client_for: Callable[[str], TestClient], web
) -> None:
    owner = client_for("owner@network.org")
    token = _setup(owner, web, seeded.workspace_id)
    base = f"/w/{seeded.workspace_id}/collections/1"
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    refused = _upload(owner, web, base, svg, name="logo.svg")
    assert refused.status_code == 400
    assert "logo.svg is not a picture upstream can read" in refused.text
    too_big = _upload(owner, web, base, b"\x89PNG" + b"0" * 1_000_001, name="huge.png")
    assert too_big.status_code == 400 and "larger than 1 MB" in too_big.text
    with _anonymous(owner.app, "192.0.2.53") as visitor:
        assert visitor.get(f"/s/{token}/logo").status_code == 404


def test_only_the_collections_own_organisation_changes_its_logo(
    seeded, client_for: Callable[[str], TestClient], web
) -> None:
    owner = client_for("owner@network.org")
    _setup(owner, web, seeded.workspace_id, organisation="")
    admin = client_for("admin@northmoor.gov.uk")
    base = f"/w/{seeded.workspace_id}/collections/1"
    csrf = web.csrf_of(admin.get(f"/w/{seeded.workspace_id}/collections").text)
    attempt = admin.post(
        f"{base}/logo",
        data={"csrf_token": csrf},
        files={"logo": ("logo.png", _picture(), "image/png")},
        follow_redirects=False,
    )
    assert attempt.status_code == 403
    analyst = client_for("anna@northmoor.gov.uk")
    assert analyst.get(f"{base}/logo").status_code == 403
