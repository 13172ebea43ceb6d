"""Small helpers every layer of kerlite may use: automatic names, nested structures.

Nothing here imports the rest of kerlite, so any module can import from here.
"""
