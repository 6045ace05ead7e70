"""Backup and restore (数据备份恢复): `manage.py backup` and `manage.py restore`.

An archive holds the database (SQLite's online backup, or `pg_dump --format=custom`),
every file of the data folder that matters (evidence, upload previews, anything
else kept there) and a manifest with each member's SHA-256, the schema (last
applied migration per app) and the program's version. The secret key is written
beside the archive, never into it (files.py says why). The database is copied
first, the files after: a file is written before its row and, deleted softly,
is removed only by purge_deleted_files long after, so every file a database
snapshot names is still on disk when the files are copied.
"""
