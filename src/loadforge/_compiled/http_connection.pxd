# The compiled build's view of `_connection.py` (Cython pure-Python mode): `HttpConnection`
# as an extension type whose per-request state is C fields, read and written by its own
# methods without an attribute lookup. The pure-Python build ignores this file.

cdef class HttpConnection:
    # Lifetime: the connection.
    cdef public object origin
    cdef public object state
    cdef public long requests_sent
    cdef public double idle_since
    cdef object _ssl_context
    cdef double _keepalive_expiry
    cdef object _on_closed
    cdef object _target_policy
    cdef object _loop
    cdef object _transport
    cdef object _parser
    cdef bint _parser_spent
    cdef object _timer
    cdef double _timer_at
    cdef double _deadline
    cdef public double connecting_s
    cdef public tuple opening_s
    # Lifetime: one request/response exchange.
    cdef object _waiter
    cdef bint _is_head
    cdef public list head_chunks
    cdef public long head_tail
    cdef public long interim
    cdef public long status
    cdef public list body_chunks
    cdef public long nbytes
    cdef public double first_byte_at
    cdef public bint stamps_first_byte
    cdef public double finished_at
