"""Say clearly which system libraries a pip install cannot bring are missing (make run)."""

import shutil
import sys

problems = []
try:
    import weasyprint  # noqa: F401  (loads Pango through cffi at import time)
except OSError as error:
    problems.append(
        "WeasyPrint cannot load Pango, so PDF reports will fail: "
        f"{error}\n    Debian/Ubuntu: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
        "libharfbuzz-subset0 fonts-dejavu-core"
    )
if not shutil.which("msgfmt"):
    print(
        "note: gettext (msgfmt) not found; compiled translations are committed, "
        "so this only matters to translators (apt-get install gettext)."
    )
if problems:
    print("\nMISSING SYSTEM LIBRARIES:\n  - " + "\n  - ".join(problems) + "\n", file=sys.stderr)
    print("The portal starts anyway; only the features named above fail.\n", file=sys.stderr)
else:
    print("System libraries: OK (Pango found for WeasyPrint).")
