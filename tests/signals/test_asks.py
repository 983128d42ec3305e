"""Telling a wish from an account of something done."""

from __future__ import annotations

import pytest

from upstream.signals.asks import asks_for


@pytest.mark.parametrize(
    ("text", "prompt"),
    [
        ("Make the neighbourhood budgets permanent so teams can plan beyond March.", None),
        ("Rewrite our contract rules so small groups can actually bid. Go and see them.", None),
        ("Small grants, quick decisions, light paperwork. That's it, that's the ask.", None),
        ("Joined-up visits. In a cold flat I want to refer for a heating grant in one go.", None),
        ("Change the rules on small grants", None),
        ("Staff should be trusted to spend small sums", None),
        ("Why can't we share one record with health?", None),
        ("Fewer, longer grants to local groups", "Do differently"),
        ("More time with families", "What one change would most help you?"),
    ],
)
def test_wishes_requests_and_instructions_ask(text: str, prompt: str | None) -> None:
    assert asks_for(text, prompt)


@pytest.mark.parametrize(
    ("text", "prompt"),
    [
        ("Each neighbourhood has a pooled budget of about £400k from three partners.", None),
        ("Went to see their grants panel. It helped to see it working.", None),
        ("I can now authorise up to £500 myself. It tells me I'm trusted.", None),
        ("Now they ask what we think should happen and help pay for it.", None),
        ("Linked dataset rebuilt monthly. Clunky but legal, and it works", None),
        ("Trust between partners built over years of small wins", None),
        ("Change is slow but the pooled budget held", None),
        ("Free parking after 3pm brought people back", None),
        ("People like us were asked first this time", None),
        ("Tenants deciding how neighbourhood money is spent", "Keep"),
        ("Pooled budgets with the NHS", "What has helped, and what would you keep?"),
    ],
)
def test_accounts_of_what_was_done_do_not(text: str, prompt: str | None) -> None:
    assert not asks_for(text, prompt)
