"""The roster import keeps no tables: it writes organizations, people and posts (organizations)."""
