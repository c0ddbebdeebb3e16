# The compiled build's view of `http/_sending.py` (Cython pure-Python mode): `Sender` an
# extension type, `_response_from` a C call that reads the connection's C fields and writes
# the new response's, `_record` a C call that reads the response's, and the worker's
# collector held as its C type, so that recording a request is a C call.

cimport cython

from loadforge._compiled.http_allocation cimport PoolState
from loadforge._compiled.http_connection cimport HttpConnection as CConnection
from loadforge._compiled.http_response cimport Response as CResponse
from loadforge._compiled.metrics_collector cimport MetricsCollector as CCollector


cdef class Sender:
    cdef object _pool
    cdef PoolState _books
    cdef public object cookies
    cdef object _recorder
    cdef CCollector _collector
    cdef object _rate_gate
    cdef public bint record_hops
    cdef public bint record_timings

    @cython.locals(response=CResponse)
    cpdef CResponse _response_from(self, CConnection connection, object prepared, str name, double started)
    cpdef object _record(self, CResponse response, str name, str method, object expect)
