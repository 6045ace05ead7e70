"""The ledger keeps no tables of its own.

It reads cases, plans and their organizations, and writes back through their services.
"""
