"""The compiled builds of the request path's modules, made by Cython at install time.

Each module here is built from the same `.py` file as its pure-Python twin
(with the `.pxd` beside that file), under a name of its own so that Python,
which prefers an extension module to a source file of the same name, can
still import the pure one. `loadforge.extensions` says which twin runs.
"""
