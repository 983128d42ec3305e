"""Hostile addresses and uploads get a plain 400 or 404, never a server error."""

from __future__ import annotations

import io
import time
import zipfile

from fastapi.testclient import TestClient

HUGE = "9" * 30


def _upload(client: TestClient, w: int, token: str, name: str, data: bytes):
    return client.post(
        f"/w/{w}/import",
        data={"csrf_token": token},
        files={"file": (name, data, "application/octet-stream")},
        follow_redirects=False,
    )


def test_huge_ids_in_addresses_are_not_found(client_for, seeded) -> None:
    anna = client_for("anna@northmoor.gov.uk")
    w = seeded.workspace_id
    for path in (
        f"/w/{HUGE}/evidence",
        f"/w/{w}/evidence/{HUGE}",
        f"/api/workspaces/{w}/items/{HUGE}",
    ):
        response = anna.get(path)
        assert response.status_code == 404, (path, response.status_code)
    listing = anna.get(f"/api/workspaces/{w}/items", params={"offset": HUGE})
    assert listing.status_code in {400, 422}


def test_a_word_where_an_item_number_belongs_is_a_page_not_found(client_for, seeded) -> None:
    anna = client_for("anna@northmoor.gov.uk")
    page = anna.get(f"/w/{seeded.workspace_id}/evidence/new")
    assert page.status_code == 404
    assert "There is nothing at this address" in page.text
    assert "valid integer" not in page.text


def test_huge_and_quoted_filters_are_plain_400s(client_for, seeded) -> None:
    anna = client_for("anna@northmoor.gov.uk")
    w = seeded.workspace_id
    for params in ({"source": HUGE}, {"attribute": 'ward"'}, {"attribute": "a\\b", "value": "x"}):
        page = anna.get(f"/w/{w}/evidence", params=params)
        assert page.status_code in {200, 400}, (params, page.status_code)
        assert "must be chosen from the list" in page.text
        export = anna.get(f"/w/{w}/evidence/export.csv", params=params)
        assert export.status_code == 400, (params, export.status_code)
        api = anna.get(f"/api/workspaces/{w}/items", params=params)
        assert api.status_code == 422, (params, api.status_code)


def test_wizard_refuses_a_zip_bomb_with_a_message(client_for, seeded, web) -> None:
    anna = client_for("anna@northmoor.gov.uk")
    w = seeded.workspace_id
    token = web.page_csrf(anna, f"/w/{w}/import")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            for _ in range(260):
                part.write(b"\0" * (1024 * 1024))
    response = _upload(anna, w, token, "bomb.xlsx", out.getvalue())
    assert response.status_code == 400
    assert "unpacks to more than 200 MB" in response.text


def test_deeply_nested_json_upload_is_a_clear_message(client_for, seeded, web) -> None:
    anna = client_for("anna@northmoor.gov.uk")
    w = seeded.workspace_id
    token = web.page_csrf(anna, f"/w/{w}/import")
    response = _upload(anna, w, token, "deep.json", b"[" * 100_000)
    assert response.status_code == 400
    assert "nested too deeply" in response.text


def test_preview_and_mapping_of_a_long_line_file(client_for, seeded, web) -> None:
    anna = client_for("anna@northmoor.gov.uk")
    w = seeded.workspace_id
    token = web.page_csrf(anna, f"/w/{w}/import")
    data = b"id,comment\n1,A short reply about the bins\n2," + b"x" * 5_000_000 + b"\n"
    uploaded = _upload(anna, w, token, "long.csv", data)
    assert uploaded.status_code == 303, uploaded.text
    base = uploaded.headers["location"].rsplit("/", 1)[0]
    started = time.monotonic()
    preview = anna.get(f"{base}/preview")
    assert preview.status_code == 200 and "A short reply about the bins" in preview.text
    mapping = anna.get(f"{base}/map")
    assert mapping.status_code == 200 and 'name="text_column"' in mapping.text
    assert time.monotonic() - started < 30
