# The compiled build's view of `http/_response.py` (Cython pure-Python mode): `Response`
# an extension type with C fields for its counts and times.

cdef class Response:
    cdef object _body
    cdef object _content
    cdef object _head_chunks
    cdef object _headers
    cdef object _interim
    cdef object _recorder
    cdef public double elapsed_ms
    cdef public object error
    cdef public object name
    cdef public long nbytes
    cdef public object request_method
    cdef public long status
    cdef public object url
