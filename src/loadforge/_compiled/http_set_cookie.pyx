# cython: language_level=3
"""The compiled build of `loadforge.http._set_cookie`: the Set-Cookie question as a C scan.

The pure build lowercases a copy of the head and searches it: a new bytes
object and two method calls on every response. This one looks for each
line feed with memchr and compares the 11 bytes after it, letters in
either case, in place. Same answer for every input (the property test in
tests/unit/http/test_compiled_parity.py), including where the search ends:
before the last `tail` bytes, counted as Python's slice bounds count them.
"""

from libc.string cimport memchr

__all__ = ["sets_cookies"]

cdef const unsigned char *_LOWER = b"set-cookie:"
cdef const unsigned char *_UPPER = b"SET-COOKIE:"
cdef Py_ssize_t _NAME = 11  # bytes after the line feed


cpdef bint sets_cookies(list chunks, Py_ssize_t tail) except -1:
    """Whether the head carried in `chunks` has a Set-Cookie field (see the pure build)."""
    data = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    if type(data) is not bytes:
        data = bytes(data)
    cdef bytes head = data
    cdef const unsigned char *start = head
    cdef Py_ssize_t size = len(head)
    cdef Py_ssize_t end = size - tail
    # bytes.find's end bound: negative counts from the end, past the end is the end.
    if end < 0:
        end += size
        if end < 0:
            return False
    elif end > size:
        end = size
    cdef Py_ssize_t at = 0
    cdef Py_ssize_t k
    cdef const unsigned char *found
    while end - at > _NAME:
        found = <const unsigned char *>memchr(start + at, 10, end - _NAME - at)
        if found == NULL:
            return False
        at = found - start + 1
        for k in range(_NAME):
            if start[at + k] != _LOWER[k] and start[at + k] != _UPPER[k]:
                break
        else:
            return True
    return False
