"""The one safe parser: every attack and malformed-document class is refused with a clear code,
and nothing from outside the document ever reaches a parsed value."""

import pytest
from lxml import etree

from interop import cap, xml
from interop.tests.samples import STANDARDS, alert_bytes

SECRET_MARKERS = (b"root:", "root:")


def refused(data, **kwargs):
    with pytest.raises(xml.XMLError) as caught:
        xml.parse(data, **kwargs)
    return caught.value


def test_a_plain_document_parses():
    root = xml.parse(b"<?xml version='1.0'?><a xmlns='urn:x'><b>1</b></a>")
    assert etree.QName(root).localname == "a"
    assert root[0].text == "1"


def test_the_external_entity_sample_is_refused_and_reads_no_file():
    data = (STANDARDS / "edxl-de/2.0/invalid/external-entity.xml").read_bytes()
    error = refused(data)
    assert error.code == "doctype"
    assert "DOCTYPE" in str(error)
    assert "root:" not in str(error)


def test_the_external_entity_is_refused_even_past_the_prefix_check():
    """The cheap check reads the document's first bytes; the parser's own check sees a DOCTYPE
    anywhere (here after a long comment)."""
    data = b"<?xml version='1.0'?>\n<!--" + b"x" * 5000 + b"-->\n" + (
        b'<!DOCTYPE a [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><a>&xxe;</a>')
    assert refused(data).code == "doctype"


def test_an_internal_dtd_without_entities_is_refused():
    assert refused(b"<!DOCTYPE a [<!ELEMENT a (#PCDATA)>]><a>x</a>").code == "doctype"


def test_an_external_dtd_is_refused():
    data = b'<!DOCTYPE a SYSTEM "http://example.invalid/a.dtd"><a>x</a>'
    assert refused(data).code == "doctype"


def test_a_billion_laughs_is_refused_quickly():
    entities = "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    data = (f'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">{entities}]>'
            "<lolz>&lol9;</lolz>").encode()
    assert refused(data).code == "doctype"


def test_a_doctype_in_utf16_is_refused():
    data = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>'
    assert refused(data.encode("utf-16")).code == "doctype"


def test_an_undefined_entity_is_malformed():
    error = refused(b"<a>&xxe;</a>")
    assert error.code == "malformed"
    assert error.params["line"] == 1


def test_a_truncated_document_is_malformed():
    data = alert_bytes()
    error = refused(data[: len(data) // 2])
    assert error.code == "malformed"
    assert error.params["detail"]


def test_a_wrong_encoding_declaration_is_malformed():
    data = "<?xml version='1.0' encoding='UTF-16'?><a>é</a>".encode()
    assert refused(data).code == "malformed"
    latin = "<?xml version='1.0' encoding='UTF-8'?><a>é</a>".encode("latin-1")
    assert refused(latin).code == "malformed"


def test_a_declared_encoding_is_honoured():
    data = "<?xml version='1.0' encoding='ISO-8859-1'?><a>Tijuana, Baja California, México</a>"
    assert xml.parse(data.encode("latin-1")).text.endswith("México")


def test_a_20_mb_document_is_refused_before_parsing():
    data = b"<a>" + b"<b>x</b>" * (20 * 1024 * 1024 // 8) + b"</a>"
    error = refused(data)
    assert error.code == "too_large"
    assert str(xml.MAX_BYTES) in str(error)


def test_the_size_limit_can_be_narrowed():
    assert refused(b"<a>0123456789</a>", max_bytes=10).code == "too_large"


def test_empty_and_non_bytes_are_refused():
    assert refused(b"  \n").code == "empty"
    assert refused("<a/>").code == "not_bytes"


def test_cap_schemas_compile_once():
    assert xml.schema(xml.CAP_12) is xml.schema(xml.CAP_12)
    for namespace in (xml.CAP_10, xml.CAP_11, xml.CAP_12):
        assert isinstance(xml.schema(namespace), etree.XMLSchema)


def test_the_shipped_schemas_are_the_standards_copies():
    for name in ("cap10.xsd", "cap11.xsd", "cap12.xsd"):
        shipped = (xml.SCHEMAS / "cap" / name).read_bytes()
        assert shipped == (STANDARDS / "cap/xsd" / name).read_bytes()


def test_validation_names_the_problem():
    root = xml.parse((STANDARDS / "cap/invalid/invalid.cap").read_bytes())
    with pytest.raises(xml.XMLError) as caught:
        xml.validate(root)
    error = caught.value
    assert error.code == "invalid"
    [problem] = error.problems
    assert problem.kind == "unexpected_element"
    assert problem.element == "info"
    assert "scope" in problem.expected
    assert problem.line > 1


def test_a_bad_value_names_the_value_and_the_choices():
    root = xml.parse(alert_bytes().replace(b"<status>Exercise<", b"<status>Bogus<"))
    with pytest.raises(xml.XMLError) as caught:
        xml.validate(root)
    [problem] = caught.value.problems
    assert (problem.kind, problem.element, problem.value) == ("bad_value", "status", "Bogus")
    assert "Exercise" in problem.expected


def test_errors_are_value_errors_with_their_code():
    error = xml.XMLError("too_large", {"limit": 5})
    assert isinstance(error, ValueError)
    assert str(error) == "The document is larger than 5 bytes."
    assert set(xml.MESSAGES) >= {"doctype", "malformed", "invalid", "too_large",
                                 "unknown_document", "unsupported_version"}


def test_cap_reads_refuse_what_parse_refuses():
    with pytest.raises(xml.XMLError) as caught:
        cap.read((STANDARDS / "edxl-de/2.0/invalid/external-entity.xml").read_bytes())
    assert caught.value.code == "doctype"
