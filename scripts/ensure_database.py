"""Create the database named in DATABASE_URL (UTF-8, C.UTF-8 locale) if it does not exist.

Without DATABASE_URL, start the embedded PostgreSQL server and create the database there.
"""

import os
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        from quality_platform import embedded

        embedded.create_database(os.environ.get("EMBEDDED_DB_NAME", "quality_platform"))
        print(f"内置 PostgreSQL 已启动（embedded PostgreSQL）：{embedded.PGDATA}")
        return
    import psycopg

    parsed = urlparse(url)
    name = unquote(parsed.path.lstrip("/"))
    admin_url = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(
                f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
            )
            print(f"已创建数据库 {name}")


if __name__ == "__main__":
    main()
