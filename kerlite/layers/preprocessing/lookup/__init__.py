"""Lookup and text preprocessing layers (StringLookup, TextVectorization...)."""
