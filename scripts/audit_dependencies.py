"""Dependency audit for CI: pip-audit over the installed environment (the pinned dependencies
of pyproject.toml and what they pull in).

Fails on any known vulnerability. When pip-audit cannot reach a vulnerability database (PyPI's
JSON API or OSV; some build networks only mirror the package index) every package comes back
"skipped": the script then says loudly that nothing was audited and, unless
ZI_AUDIT_STRICT=1, lets the build go on, because an unreachable database is not a finding.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent


def main() -> int:
    command = [str(BIN / "pip-audit"), "--local", "--skip-editable", "--progress-spinner", "off"]
    result = subprocess.run(  # noqa: S603 (our own venv's pip-audit, fixed arguments)
        [*command, "--format", "json"], capture_output=True, text=True
    )
    if result.returncode not in (0, 1) or not result.stdout.strip():
        print(result.stderr.strip()[-2000:], file=sys.stderr)
        return _unreachable("pip-audit did not run to the end (see above)")
    dependencies = json.loads(result.stdout)["dependencies"]
    audited = [d for d in dependencies if "skip_reason" not in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fix yet"
            print(f"VULNERABLE {dep['name']} {dep['version']}: {vuln['id']} (fixed in {fixed})")
    print(
        f"pip-audit: {len(audited)} of {len(dependencies)} packages audited, "
        f"{len(vulnerable)} with known vulnerabilities."
    )
    if vulnerable:
        return 1
    if not audited:
        reason = dependencies[0]["skip_reason"] if dependencies else "no packages"
        return _unreachable(f"no package could be audited ({reason})")
    return 0


def _unreachable(why: str) -> int:
    print(
        f"WARNING: dependencies NOT audited: {why}. The vulnerability database is out of reach "
        "from this network; run `make audit` where PyPI's JSON API or OSV is reachable."
    )
    return 1 if os.environ.get("ZI_AUDIT_STRICT") == "1" else 0


if __name__ == "__main__":
    sys.exit(main())
