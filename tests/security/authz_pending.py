"""URL names and API operations of apps still being written whose matrix declaration is pending (reported as xfail).

Only other apps' URLs may stand here, never core's or sampling's; each app may also keep a PENDING list in its own
``<app>/tests/authz.py``. Empty this list as the declarations arrive.
"""

PENDING: list[str] = []
