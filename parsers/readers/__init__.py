"""Readers: one module per format, each `read_<format>(data, limits, deadline) -> Layout`.

`read()` chooses the reader by sniffing the bytes; the declared media type and the URL's extension
only break ties (servers send PDFs as application/octet-stream and error pages as .pdf).
"""
