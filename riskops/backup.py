"""Backing up and restoring the database: pg_dump/pg_restore on PostgreSQL, SQLite's online backup API.

The database is the whole state of RiskOps. Redis holds only messages in flight and the live
channel layer: a timer is a row, and after a restore the sweep sends its message again, so an
incident restored with timers pending escalates on time (or at once, if they fell due meanwhile).
"""

import os
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection


def _engine() -> str:
    engine = connection.settings_dict["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise RuntimeError(f"no backup procedure for {engine}")


def _postgres_arguments() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    arguments = ["--host", db["HOST"] or "127.0.0.1", "--port", str(db["PORT"] or 5432)]
    if db["USER"]:
        arguments += ["--username", db["USER"]]
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"] or ""}
    return arguments + ["--dbname", db["NAME"]], env


def database_backup(path: Path) -> None:
    """A consistent copy of the live database, taken while the system runs."""
    if _engine() == "sqlite":
        source = sqlite3.connect(connection.settings_dict["NAME"])
        target = sqlite3.connect(path)
        with target:
            source.backup(target)
        target.close()
        source.close()
        return
    arguments, env = _postgres_arguments()
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", "--file", str(path), *arguments], env=env, check=True
    )


def database_restore(path: Path) -> None:
    """Replaces the database's content by the backup's. Stop the web, worker and beat processes first."""
    if not path.is_file():
        raise FileNotFoundError(path)
    connection.close()
    if _engine() == "sqlite":
        source = sqlite3.connect(path)
        target = sqlite3.connect(connection.settings_dict["NAME"])
        with target:
            source.backup(target)
        target.close()
        source.close()
        return
    arguments, env = _postgres_arguments()
    subprocess.run(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", *arguments, str(path)],
        env=env,
        check=True,
    )
