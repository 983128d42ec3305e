"""Who sees what: organisations' private evidence, contributors, roles, API tokens."""

from __future__ import annotations

from fastapi.testclient import TestClient

from upstream.store import Store
from upstream.store.accounts import Accounts


def test_other_organisations_private_item_is_404_in_html_and_api(client_for, seeded) -> None:
    anna = client_for("anna@northmoor.gov.uk")  # Northmoor analyst
    w = seeded.workspace_id
    theirs = seeded.items["south-private"]
    page = anna.get(f"/w/{w}/evidence/{theirs}")
    assert page.status_code == 404
    assert "staff morale" not in page.text
    api = anna.get(f"/api/workspaces/{w}/items/{theirs}")
    assert api.status_code == 404
    assert api.json() == {"detail": anna.get(f"/api/workspaces/{w}/items/999999").json()["detail"]}
    # The same answer as for an item that does not exist at all: nothing leaks.
    assert anna.get(f"/w/{w}/evidence/999999").status_code == 404

    # Their own private item and the other council's shared item are visible.
    assert anna.get(f"/w/{w}/evidence/{seeded.items['north-private']}").status_code == 200
    assert anna.get(f"/api/workspaces/{w}/items/{seeded.items['south-shared']}").status_code == 200
    listed = anna.get(f"/api/workspaces/{w}/items").json()
    texts = {i["text"] for i in listed["items"]}
    assert listed["total"] == 3 and not any("morale" in t for t in texts)
    browser = anna.get(f"/w/{w}/evidence?q=private")
    assert "budget gap" in browser.text and "morale" not in browser.text


def test_owner_sees_every_organisations_evidence(client_for, seeded) -> None:
    owner = client_for("owner@network.org")
    w = seeded.workspace_id
    for item in seeded.items.values():
        assert owner.get(f"/w/{w}/evidence/{item}").status_code == 200
    assert owner.get(f"/api/workspaces/{w}/items").json()["total"] == 4


def test_contributor_sees_only_their_own_submissions(client_for, seeded, web) -> None:
    cara = client_for("cara@northmoor.gov.uk")
    w = seeded.workspace_id
    token = web.page_csrf(cara, f"/w/{w}/contribute")
    sent = cara.post(
        f"/w/{w}/contribute",
        data={
            "csrf_token": token,
            "text": "The new hub has made my job easier.",
            "question": "What changed?",
            "item_date": "2025-04-01",
        },
        follow_redirects=False,
    )
    assert sent.status_code == 303
    item_id = int(sent.headers["location"].rsplit("=", 1)[1])

    mine = cara.get(f"/w/{w}/evidence")
    assert "My submissions" in mine.text
    assert "The new hub has made my job easier." in mine.text
    assert "Procurement rules" not in mine.text  # shared, but not theirs
    assert cara.get(f"/w/{w}/evidence/{item_id}").status_code == 200
    for other in seeded.items.values():
        assert cara.get(f"/w/{w}/evidence/{other}").status_code == 404
        assert cara.get(f"/api/workspaces/{w}/items/{other}").status_code == 404
    assert cara.get(f"/api/workspaces/{w}/items").json()["total"] == 1
    # Contributors cannot import, export or see runs.
    assert cara.get(f"/w/{w}/import").status_code == 403
    assert cara.get(f"/w/{w}/evidence/export.csv").status_code == 403
    assert cara.get(f"/w/{w}/runs").status_code == 403

    # The submission is private to Northmoor: Anna sees it, Ben (Southvale) does not.
    anna = client_for("anna@northmoor.gov.uk")
    assert anna.get(f"/w/{w}/evidence/{item_id}").status_code == 200
    ben = client_for("ben@southvale.gov.uk")
    assert ben.get(f"/w/{w}/evidence/{item_id}").status_code == 404


def test_empty_contribution_is_explained(client_for, seeded, web) -> None:
    cara = client_for("cara@northmoor.gov.uk")
    w = seeded.workspace_id
    token = web.page_csrf(cara, f"/w/{w}/contribute")
    response = cara.post(
        f"/w/{w}/contribute", data={"csrf_token": token, "text": "  ", "item_date": "31/02/2025"}
    )
    assert response.status_code == 400
    assert "Write your story" in response.text and "must be a date" in response.text


def test_workspace_of_which_one_is_not_a_member_is_404(client_for, seeded) -> None:
    with Store(seeded.db) as store:
        other = store.workspace("Another network", create=True)
    anna = client_for("anna@northmoor.gov.uk")
    assert anna.get(f"/w/{other.id}/evidence").status_code == 404
    assert anna.get(f"/api/workspaces/{other.id}/items").status_code == 404
    assert anna.get(f"/go?workspace={other.id}").status_code == 404


def test_roles_limit_what_people_can_do(client_for, seeded, web) -> None:
    w = seeded.workspace_id
    vic = client_for("vic@southvale.gov.uk")  # viewer
    assert vic.get(f"/w/{w}/evidence").status_code == 200
    assert vic.get(f"/w/{w}/import").status_code == 403
    assert vic.get(f"/w/{w}/admin").status_code == 403
    item = seeded.items["south-shared"]
    token = web.page_csrf(vic, f"/w/{w}/evidence/{item}")
    refused = vic.post(f"/w/{w}/evidence/{item}/delete", data={"csrf_token": token})
    assert refused.status_code == 403

    # An organisation admin manages only their own organisation's items.
    admin = client_for("admin@northmoor.gov.uk")
    token = web.page_csrf(admin, f"/w/{w}/evidence/{item}")
    assert (
        admin.post(f"/w/{w}/evidence/{item}/delete", data={"csrf_token": token}).status_code == 403
    )
    own = seeded.items["north-shared"]
    deleted = admin.post(
        f"/w/{w}/evidence/{own}/delete", data={"csrf_token": token}, follow_redirects=False
    )
    assert deleted.status_code == 303
    assert admin.get(f"/w/{w}/evidence/{own}").status_code == 404


def test_role_changes_are_limited_and_audited(client_for, seeded, web) -> None:
    w = seeded.workspace_id
    with Store(seeded.db) as store:
        accounts = Accounts(store)
        cara = accounts.user("cara@northmoor.gov.uk")
        vic = accounts.user("vic@southvale.gov.uk")
    assert cara is not None and vic is not None
    admin = client_for("admin@northmoor.gov.uk")
    page = admin.get(f"/w/{w}/admin")
    assert "cara@northmoor.gov.uk" in page.text and "vic@southvale.gov.uk" not in page.text
    token = web.csrf_of(page.text)
    url = f"/w/{w}/admin/members/{{}}/role"
    changed = admin.post(
        url.format(cara.id), data={"csrf_token": token, "role": "analyst"}, follow_redirects=False
    )
    assert changed.status_code == 303
    # Not the other council's people, and nobody can be made owner by an org admin.
    assert (
        admin.post(url.format(vic.id), data={"csrf_token": token, "role": "analyst"}).status_code
        == 403
    )
    assert (
        admin.post(url.format(cara.id), data={"csrf_token": token, "role": "owner"}).status_code
        == 403
    )

    owner = client_for("owner@network.org")
    audit = owner.get(f"/w/{w}/admin").text
    assert "role_change" in audit and "admin@northmoor.gov.uk" in audit


def test_api_needs_a_token_and_honours_it(client_for, seeded, make_app) -> None:
    w = seeded.workspace_id
    with Store(seeded.db) as store:
        token = Accounts(store).create_token("ben@southvale.gov.uk", "tests")
    with TestClient(make_app(seeded.db)) as client:
        missing = client.get(f"/api/workspaces/{w}/items")
        assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
        bad = client.get(f"/api/workspaces/{w}/items", headers={"Authorization": "Bearer ups_nope"})
        assert bad.status_code == 401
        auth = {"Authorization": f"Bearer {token}"}
        listed = client.get(f"/api/workspaces/{w}/items", headers=auth).json()
        assert listed["total"] == 3
        assert (
            client.get(
                f"/api/workspaces/{w}/items/{seeded.items['north-private']}", headers=auth
            ).status_code
            == 404
        )
        assert (
            client.get(
                f"/api/workspaces/{w}/items/{seeded.items['south-private']}", headers=auth
            ).status_code
            == 200
        )
        spaces = client.get("/api/workspaces", headers=auth).json()
        assert spaces == [
            {
                "id": w,
                "name": "Learning Network",
                "role": "analyst",
                "organisation": "Southvale Council",
            }
        ]
        assert client.get(f"/api/workspaces/{w}/runs", headers=auth).json() == []
        assert client.get(f"/api/workspaces/{w}/codings", headers=auth).json() == []
        assert client.get(f"/api/workspaces/{w}/themes", headers=auth).json() == []
        filtered = client.get(
            f"/api/workspaces/{w}/items?date_from=2025-01-01&q=youth", headers=auth
        ).json()
        assert [i["text"] for i in filtered["items"]] == [
            "Residents co-designed the new youth hub."
        ]
        assert (
            client.get(f"/api/workspaces/{w}/items?date_from=soon", headers=auth).status_code == 422
        )


def test_openapi_document(seeded_sqlite, make_app) -> None:
    with TestClient(make_app(seeded_sqlite.db)) as client:
        doc = client.get("/api/openapi.json").json()
    paths = set(doc["paths"])
    assert "/api/workspaces/{workspace_id}/items/{item_id}" in paths
    assert "/api/workspaces/{workspace_id}/runs" in paths
    assert all(p.startswith("/api/") for p in paths)
    assert "HTTPBearer" in doc["components"]["securitySchemes"]


def test_the_audit_log_names_an_imported_file_without_the_servers_folders(
    client_for, seeded, tmp_path
) -> None:
    from upstream.store import Store
    from upstream.workflows.ingest import ImportOptions, import_file

    folder = tmp_path / "server-only-folder"
    folder.mkdir()
    path = folder / "replies-may.csv"
    path.write_text("text\nKeep the library open on Saturdays\n", encoding="utf-8")
    with Store(seeded.db) as store:
        import_file(
            store, path, ImportOptions(workspace="Learning Network", actor="owner@network.org")
        )
    page = client_for("owner@network.org").get(f"/w/{seeded.workspace_id}/admin").text
    assert "file: replies-may.csv" in page
    assert "server-only-folder" not in page


def test_people_are_added_from_the_admin_page_within_the_adder_s_rights(
    client_for, seeded, make_app, web
) -> None:
    import re

    w = seeded.workspace_id
    owner = client_for("owner@network.org")
    page = owner.get(f"/w/{w}/admin")
    assert "Add a person" in page.text
    token = web.csrf_of(page.text)
    added = owner.post(
        f"/w/{w}/admin/members",
        data={
            "csrf_token": token,
            "email": "dee@southvale.gov.uk",
            "name": "Dee",
            "role": "viewer",
            "organisation": "Southvale Council",
        },
    )
    assert added.status_code == 200, added.text
    found = re.search(r"Their password is (\S+) \. It is shown only this once", added.text)
    assert found and "Added dee@southvale.gov.uk as viewer for Southvale Council" in added.text
    with TestClient(make_app(seeded.db)) as dee:
        web.sign_in(dee, "dee@southvale.gov.uk", found.group(1))  # the password works
        assert dee.get(f"/w/{w}/evidence").status_code == 200
    # Adding them again says so, and shows no password.
    again = owner.post(
        f"/w/{w}/admin/members",
        data={"csrf_token": token, "email": "DEE@southvale.gov.uk", "role": "viewer"},
    )
    assert again.status_code == 400 and "already in this workspace" in again.text
    assert "Their password is" not in again.text

    # An organisation's admin adds people to their own organisation only, never as owner.
    admin = client_for("admin@northmoor.gov.uk")
    form = admin.get(f"/w/{w}/admin").text
    assert 'value="owner"' not in form.split("Add a person", 1)[1].split("</form>", 1)[0]
    admin_token = web.csrf_of(form)
    data = {"csrf_token": admin_token, "email": "eve@example.org", "organisation": "Southvale"}
    refused = admin.post(f"/w/{w}/admin/members", data={**data, "role": "owner"})
    assert refused.status_code == 403
    mine = admin.post(f"/w/{w}/admin/members", data={**data, "role": "analyst"})
    assert mine.status_code == 200 and "as analyst for Northmoor Council" in mine.text
    # People who cannot manage members cannot add anyone; every form needs its token.
    anna = client_for("anna@northmoor.gov.uk")
    own_token = web.page_csrf(anna, f"/w/{w}/evidence")
    attempt = {**data, "csrf_token": own_token, "role": "viewer"}
    assert anna.post(f"/w/{w}/admin/members", data=attempt).status_code == 403
    assert admin.post(
        f"/w/{w}/admin/members", data={"email": "x@y.org", "role": "viewer"}
    ).status_code in {400, 403}
    with Store(seeded.db) as store:
        audit = [e.action for e in store.workspace("Learning Network").audit_log()]
    assert audit.count("role_change") >= 2
