"""Check a running team server through its HTTPS proxy, as a person would use it.

Signs in, browses, searches by words and by meaning (the search index job runs
on a job worker), starts a coding run (on the job worker, predicting on the Dask
cluster when UPSTREAM_SCHEDULER is set) and waits for it to finish. Exits
non-zero, saying what failed, if anything does. Loopback addresses only.

Usage: python deploy/smoke_check.py https://127.0.0.1:8443 --ca tls/fullchain.pem
       --email owner@example.org --password ... --workspace Consultation
"""

from __future__ import annotations

import argparse
import re
import sys
import time

import httpx

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
WORKSPACE_LINK = re.compile(r'href="/w/(\d+)/')


def token(page: httpx.Response) -> str:
    """The CSRF token in a page's forms."""
    found = CSRF.search(page.text)
    if found is None:
        raise SystemExit(f"no form on {page.url}")
    return found.group(1)


def wait_for(client: httpx.Client, path: str, done: str, seconds: float) -> float:
    """Fetch ``path`` until its page contains ``done``; return how long it took."""
    began = time.monotonic()
    while done not in client.get(path).text:
        if time.monotonic() - began > seconds:
            raise SystemExit(f"{path} never showed {done!r} within {seconds:.0f} s")
        time.sleep(1)
    return time.monotonic() - began


def main() -> None:
    """Run the checks and print what each one found."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    parser.add_argument("--ca", required=True, help="certificate to trust (self-signed here)")
    parser.add_argument("--email", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--search", default="nothing for teenagers to do")
    parser.add_argument("--expect", default="nothing for teenagers round here")
    args = parser.parse_args()
    with httpx.Client(base_url=args.url, verify=args.ca, timeout=60) as client:
        health = client.get("/healthz")
        print(f"healthz over HTTPS: {health.status_code} {health.text.strip()}")
        if health.status_code != 200:
            raise SystemExit("the server is not healthy")
        login = client.get("/login")
        sent = client.post(
            "/login",
            data={"email": args.email, "password": args.password, "csrf_token": token(login)},
        )
        if sent.status_code != 303:
            raise SystemExit(f"sign-in answered {sent.status_code}")
        secure = "secure" in sent.headers.get("set-cookie", "").lower()
        print(f"signed in; session cookie marked Secure: {secure}")
        home = client.get("/", follow_redirects=True)
        workspace = WORKSPACE_LINK.search(home.text)
        if workspace is None:
            raise SystemExit("no workspace on the home page")
        w = f"/w/{workspace.group(1)}"
        for path in (f"{w}/evidence", f"{w}/evidence?q=bins", f"{w}/dashboards"):
            answer = client.get(path)
            print(f"GET {path}: {answer.status_code}")
            if answer.status_code != 200:
                raise SystemExit(f"{path} answered {answer.status_code}")
        meaning = f"{w}/evidence?mode=meaning&q={args.search.replace(' ', '+')}"
        took = wait_for(client, meaning, args.expect, 300)
        print(f"meaning search answered from the index the job worker built ({took:.0f} s)")
        coding = client.get(f"{w}/coding")
        started = client.post(
            f"{w}/coding/run",
            data={"csrf_token": token(coding), "codebook": "dbe", "embedder": "default"},
        )
        if started.status_code != 303:
            raise SystemExit(f"starting a coding run answered {started.status_code}")
        job = started.headers["location"]
        began = time.monotonic()
        while 'http-equiv="refresh"' in (page := client.get(job)).text:  # still going
            if time.monotonic() - began > 900:
                raise SystemExit(f"the coding job {job} did not finish within 900 s")
            time.sleep(2)
        if 'class="notice error"' in page.text:
            raise SystemExit(f"the coding job {job} failed")
        took = time.monotonic() - began
        print(f"coding job {job} finished on the job worker ({took:.0f} s)")
    print("all checks passed")


if __name__ == "__main__":
    sys.exit(main())
