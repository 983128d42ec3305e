"""One organisation's private words stay with the people who may see them.

Coding explanations, themes, run summaries, the evidence filters, capability
checks on other organisations' things, the roundtable live panel and anonymous
sessions: each test here failed before the matching fix.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from upstream.frameworks import load_codebook
from upstream.store import Store
from upstream.store.accounts import Accounts
from upstream.store.coding_repository import CodingStore, MachineCoding
from upstream.workflows.coding import code_workspace

SECRET = "Private: staff morale is low after the restructure."
WORKSPACE = "Learning Network"


def add_people(db: str) -> None:
    """A viewer with no organisation, and an analyst of another workspace."""
    with Store(db) as store:
        accounts = Accounts(store)
        workspace = store.workspace(WORKSPACE)
        accounts.ensure_user("nora@network.org", password="correct horse battery")
        accounts.set_membership(workspace, "nora@network.org", "viewer", organisation=None)
        other = store.workspace("Elsewhere", create=True)
        accounts.ensure_user("zed@elsewhere.org", password="correct horse battery")
        accounts.set_membership(other, "zed@elsewhere.org", "analyst", organisation="Elsewhere")


def _label(db: str, item_ids: list[int], code: str) -> None:
    with Store(db) as store:
        coding = CodingStore(store.workspace(WORKSPACE))
        codebook_id = coding.codebook_id("nom")
        assert codebook_id is not None
        for item_id in item_ids:
            coding.decide(item_id, codebook_id, "recode", actor="ben@southvale.gov.uk", code=code)


def test_coding_explanations_quote_only_what_the_viewer_may_see(
    seeded, client_for: Callable[[str], TestClient]
) -> None:
    add_people(seeded.db)
    items = seeded.items
    codebook = load_codebook("nom")
    code = codebook.codes[-1].id
    with Store(seeded.db) as store:
        code_workspace(store, WORKSPACE, codebook, embedder="hashing", threshold=0.0)
    # Southvale labels its private item, and so every coding with that code learns from it.
    _label(seeded.db, [items["south-private"], items["north-shared"]], code)
    with Store(seeded.db) as store:
        run_id = code_workspace(
            store, WORKSPACE, codebook, embedder="hashing", threshold=0.0
        ).run_id
        stored = CodingStore(store.workspace(WORKSPACE)).codings(run_id=run_id)
    neighbours = [nb for c in stored for nb in c.explanation.get("neighbours", [])]
    assert str(items["south-private"]) in {nb["id"] for nb in neighbours}
    # Only ids are stored for evidence; codebook texts are nobody's words.
    assert all("text" not in nb for nb in neighbours if nb["id"].isdigit())
    assert all(SECRET not in str(c.explanation) for c in stored)

    w = seeded.workspace_id
    owner = client_for("owner@network.org").get(f"/w/{w}/coding?run={run_id}")
    assert owner.status_code == 200 and "staff morale" in owner.text
    for email in ("anna@northmoor.gov.uk", "nora@network.org"):
        page = client_for(email).get(f"/w/{w}/coding?run={run_id}")
        assert page.status_code == 200, email
        assert "Closest examples" in page.text, email
        assert "staff morale" not in page.text, email


def test_old_explanations_holding_texts_are_filtered_by_id(
    seeded, client_for: Callable[[str], TestClient]
) -> None:
    add_people(seeded.db)
    items = seeded.items
    codebook = load_codebook("nom")
    code = codebook.codes[0].id
    with Store(seeded.db) as store:
        coding = CodingStore(store.workspace(WORKSPACE))
        codebook_id = coding.save_codebook(codebook)
        run_id = coding.start_run(
            "coding", parameters={"codebook": "nom"}, versions={}, seed=0, actor="owner"
        )
        old = {
            "terms": [["procurement", 0.5]],
            "neighbours": [
                {
                    "id": str(items["south-private"]),
                    "text": SECRET,
                    "similarity": 0.9,
                    "code": code,
                },
                {
                    "id": str(items["north-private"]),
                    "text": "stale words",
                    "similarity": 0.8,
                    "code": code,
                },
                {"id": "train:7", "text": "a training row", "similarity": 0.7, "code": code},
            ],
        }
        coding.add_machine_codings(
            run_id,
            codebook_id,
            [MachineCoding(items["north-shared"], code, 0.9, False, old)],
            coder="upstream",
        )
        coding.finish_run(run_id, summary={"items": 1, "coded": 1, "uncoded": 0})
    w = seeded.workspace_id
    anna = client_for("anna@northmoor.gov.uk").get(f"/w/{w}/coding?run={run_id}")
    assert anna.status_code == 200 and "Closest examples" in anna.text
    assert "staff morale" not in anna.text
    # Her own organisation's item is shown as it is now, never as the explanation kept it.
    assert "budget gap" in anna.text and "stale words" not in anna.text
    assert "a training row" not in anna.text
    nora = client_for("nora@network.org").get(f"/w/{w}/coding?run={run_id}")
    assert nora.status_code == 200
    assert "staff morale" not in nora.text and "budget gap" not in nora.text


SECRET_FILE = "southvale-morale-survey.csv"
SECRET_WORDS = ("Restructure fallout", "morale", SECRET_FILE)


def add_secret_theme_run(seeded) -> int:
    """A theme run whose first theme holds only Southvale's private items."""
    from upstream.records.drafts import ItemDraft
    from upstream.records.themes import Quote, Theme
    from upstream.store.theme_repository import ThemeStore

    items = seeded.items
    with Store(seeded.db) as store:
        workspace = store.workspace(WORKSPACE)
        with workspace.writer() as writer:
            source = writer.add_source(SECRET_FILE, kind="survey")
            draft = ItemDraft(
                text="Private: morale survey shows burnout.",
                line=2,
                organisation="Southvale Council",
            )
            writer.insert_items(source, [draft], shared=False)
        extra = next(i.id for i in workspace.items() if i.text == draft.text)
        ids = [items["south-private"], extra, items["north-shared"], items["south-shared"]]
        secret = Theme(
            id=0,
            label="Restructure fallout",
            keywords=("morale", "restructure"),
            size=2,
            respondents=2,
            organisations=("Southvale Council",),
            engagement_size=None,
            quotes=(Quote(index=0, text=SECRET, similarity=0.9),),
            members=(0, 1),
        )
        public = Theme(
            id=1,
            label="Pilots and youth hubs",
            keywords=("pilots", "hub"),
            size=2,
            respondents=2,
            organisations=("Northmoor Council", "Southvale Council"),
            engagement_size=None,
            quotes=(),
            members=(2, 3),
        )
        return ThemeStore(workspace).save_run(
            [secret, public],
            ids,
            parameters={"embedder": "hashing"},
            versions={},
            seed=0,
            summary={
                "items": 4,
                "themes": 2,
                "unassigned": 0,
                "unassigned_item_ids": [extra],
                "set_aside": [{"item_id": items["south-private"], "reasons": ["off topic"]}],
                "evidence": f"Items from {SECRET_FILE}",
            },
            actor="ben@southvale.gov.uk",
        )


def test_themes_and_run_summaries_of_hidden_items_say_nothing_of_them(
    seeded, client_for: Callable[[str], TestClient]
) -> None:
    add_people(seeded.db)
    run_id = add_secret_theme_run(seeded)
    w = seeded.workspace_id
    with Store(seeded.db) as store:
        from upstream.store.theme_repository import ThemeStore

        themes = ThemeStore(store.workspace(WORKSPACE)).themes(run_id)
    secret = next(t for t in themes if t.label == "Restructure fallout")
    private_ids = {seeded.items["south-private"], *secret.item_ids}

    # Southvale's own analyst still sees it all.
    ben = client_for("ben@southvale.gov.uk")
    assert "Restructure fallout" in ben.get(f"/w/{w}/themes/{secret.id}").text
    assert SECRET_FILE in ben.get(f"/w/{w}/runs/{run_id}").text

    for email in ("anna@northmoor.gov.uk", "nora@network.org"):
        client = client_for(email)
        pages = {
            "themes": client.get(f"/w/{w}/themes?run={run_id}"),
            "theme": client.get(f"/w/{w}/themes/{secret.id}"),
            "evidence": client.get(f"/w/{w}/evidence"),
            "run": client.get(f"/w/{w}/runs/{run_id}"),
            "api themes": client.get(f"/api/workspaces/{w}/themes"),
            "api runs": client.get(f"/api/workspaces/{w}/runs"),
            "api run": client.get(f"/api/workspaces/{w}/runs/{run_id}"),
        }
        for name, response in pages.items():
            assert response.status_code == 200, (email, name, response.text)
            for word in SECRET_WORDS:
                assert word not in response.text, (email, name, word)
        for name in ("api runs", "api run"):
            body = pages[name].json()
            summaries = [r["summary"] for r in (body if isinstance(body, list) else [body])]
            for summary in summaries:
                listed = {int(i) for i in summary.get("unassigned_item_ids", [])}
                listed |= {int(a["item_id"]) for a in summary.get("set_aside", [])}
                assert not listed & private_ids, (email, name)
        hidden = next(t for t in pages["api themes"].json() if t["id"] == secret.id)
        assert hidden["hidden"] is True and hidden["label"] == "" and hidden["keywords"] == []
        assert "Pilots and youth hubs" in pages["themes"].text
        assert "Fewer than 10 items, all private" in pages["themes"].text
        assert "<title>Theme 1 " in pages["theme"].text or "<title>Theme " in pages["theme"].text


def test_a_theme_of_another_organisations_items_cannot_be_renamed(
    seeded, client_for: Callable[[str], TestClient], web
) -> None:
    run_id = add_secret_theme_run(seeded)
    w = seeded.workspace_id
    with Store(seeded.db) as store:
        from upstream.store.theme_repository import ThemeStore

        themes = ThemeStore(store.workspace(WORKSPACE)).themes(run_id)
    secret = next(t for t in themes if t.label == "Restructure fallout")
    public = next(t for t in themes if t.label != "Restructure fallout")
    anna = client_for("anna@northmoor.gov.uk")
    token = web.page_csrf(anna, f"/w/{w}/themes")
    for path, data in (
        (f"/w/{w}/themes/{secret.id}/rename", {"label": "Mine now"}),
        (f"/w/{w}/themes/{secret.id}/split", {"parts": "2"}),
        (f"/w/{w}/themes/merge", {"run": str(run_id), "theme": [str(secret.id), str(public.id)]}),
    ):
        response = anna.post(path, data={**data, "csrf_token": token}, follow_redirects=False)
        assert response.status_code == 403, path
    ben = client_for("ben@southvale.gov.uk")
    token = web.page_csrf(ben, f"/w/{w}/themes")
    renamed = ben.post(
        f"/w/{w}/themes/{secret.id}/rename",
        data={"label": "Morale", "csrf_token": token},
        follow_redirects=False,
    )
    assert renamed.status_code == 303


def test_the_theme_picker_names_a_partly_hidden_theme_from_the_words_one_may_see(
    seeded, client_for: Callable[[str], TestClient]
) -> None:
    from upstream.records.themes import Theme
    from upstream.store.theme_repository import ThemeStore

    add_people(seeded.db)
    items = seeded.items
    partly = Theme(
        id=0,
        label="Quietly merging depots",  # words from Southvale's private item only
        keywords=("merging", "depots"),
        size=2,
        respondents=2,
        organisations=("Northmoor Council", "Southvale Council"),
        engagement_size=None,
        quotes=(),
        members=(0, 1),
    )
    with Store(seeded.db) as store:
        ThemeStore(store.workspace(WORKSPACE)).save_run(
            [partly],
            [items["south-private"], items["north-shared"]],
            parameters={"embedder": "hashing"},
            versions={},
            seed=0,
            summary={"items": 2, "themes": 1, "unassigned": 0},
            actor="ben@southvale.gov.uk",
        )
    w = seeded.workspace_id
    assert (
        "Quietly merging depots" in client_for("ben@southvale.gov.uk").get(f"/w/{w}/evidence").text
    )
    anna = client_for("anna@northmoor.gov.uk").get(f"/w/{w}/evidence").text
    assert "merging" not in anna.lower() and "depots" not in anna.lower()
    assert "Run " in anna, "Anna is still offered the theme, under a name she may see"
