"""Enlace speaking the standards. `interop.xml` (safe parsing, schema validation) and
`interop.cap` (CAP in and out) are pure codecs with no Django import; the rest of the package is
the Django app: received alerts, CAP out for incidents, the Atom feed and the import pages and
API."""
