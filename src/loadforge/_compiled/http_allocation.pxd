# The compiled build's view of `http/_allocation.py` (Cython pure-Python mode): `PoolState`
# an extension type whose books are C fields, so a checkout and a release are C calls.

cdef class PoolState:
    cdef public long max_connections
    cdef object _new_connection
    cdef object _on_work
    cdef set _connections
    cdef dict _idle
    cdef object _waiters
    cdef public long opened_total
    cdef public list to_close

    cpdef object checkout(self, object origin, double now)
    cpdef object release(self, object connection)
