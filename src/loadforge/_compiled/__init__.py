"""The compiled builds of the request path's modules, made by Cython at install time.

Each module here is built from the same `.py` file as its pure-Python twin
(with the `.pxd` of its name here), or from a `.pyx` of its name here where
C does what pure-Python mode cannot, under a name of its own so that Python,
which prefers an extension module to a source file of the same name, can
still import the pure one. `loadforge.extensions` says which twin runs.
"""
