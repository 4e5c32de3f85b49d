"""Alembic migrations of the catalogue, shipped inside the package.

Adding a migration: copy the newest file of ``versions/``, name it
``NNNN_what.py`` with the next number, set ``revision = "NNNN_what"`` (at most
32 characters) and ``down_revision`` to the previous revision, and write
``upgrade``/``downgrade`` with ``op``. The same file must run on SQLite and
PostgreSQL: ALTERs on SQLite go through ``op.batch_alter_table``. A batch
alter of ``page`` re-creates that table on SQLite and drops its search
triggers: call :func:`archive.migrations.search_ddl.create_sqlite_triggers`
after it. ``tests/archive/test_migrations.py`` checks that the migrations
build exactly the tables of ``archive/models.py``.

From a shell: ``alembic -c archive/migrations/alembic.ini upgrade head`` with
``SOHOA_DATABASE_URL`` set; the application calls
:func:`archive.db.init_schema` instead.
"""
