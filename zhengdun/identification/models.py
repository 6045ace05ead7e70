"""Identification keeps no tables of its own: it decides on cases (cases.Case) through their workflow."""
