# The compiled build's view of `http/_sending.py` (Cython pure-Python mode): `Sender` an
# extension type, and `_response_from` a C call that reads the connection's C fields.

from loadforge._compiled.http_allocation cimport PoolState
from loadforge._compiled.http_connection cimport HttpConnection as CConnection


cdef class Sender:
    cdef object _pool
    cdef PoolState _books
    cdef public object cookies
    cdef object _recorder
    cdef object _rate_gate
    cdef public bint record_hops
    cdef public bint record_timings

    cpdef object _response_from(self, CConnection connection, object prepared, str name, double started)
