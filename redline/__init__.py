"""Redline: legal policies published with their history and notice periods enforced."""
