"""Who may do what in sampling: named predicates used by services, views, templates, the API and the menu."""

from __future__ import annotations

# --- draw (随机抽取) ---------------------------------------------------------------------------

# --- tasks, samples, results, objections, post-processing, publication, import -----------------
