# The compiled build's view of `metrics/collector.py` (Cython pure-Python mode): `MetricsCollector`
# an extension type whose dicts are C fields, and `record` a C call for a caller that holds the
# type (`Sender`), which counts into an endpoint's `_Recording` through C fields.

cimport cython


cdef class _Recording:
    cdef public object endpoint
    cdef public dict latencies
    cdef public long long nbytes


cdef class MetricsCollector:
    cdef object _current
    cdef dict _endpoints
    cdef dict _recording
    cdef dict _methods
    cdef dict _responses
    cdef dict _connections

    @cython.locals(latencies=dict, entry=_Recording)
    cpdef record(self, str name, str method, long status, long latency_us, long nbytes, object error)
