"""Any link into any page, however it was crafted, opens a page: a friendly message where
a parameter names nothing, never a traceback. Hypothesis writes the links."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from components import book_filters
from components.ids import parse_id
from components.text import WORD_JOINER, md_escape, shorten
from services import custom_fields as cf
from tests.app.conftest import APP, as_read, texts
from tests.hostile import HOSTILE
from tests.unit.factories import ACTOR, make_customer

# Each page's URL parameters, and some it might be given by mistake. The Customers page's
# filters are added from its own table of them.
PAGES = {
    "app_pages/customers.py": ("customer", "charts", "page", "rows"),
    "app_pages/customer_profile.py": ("customer", "q", "page"),
    "app_pages/activity.py": ("customer", "activity.customer", "who", "since", "until"),
    "app_pages/import_customers.py": ("preset", "mode", "import.preset"),
    "app_pages/settings.py": ("settings.tax_managed", "entity"),
    "app_pages/new_customer.py": ("customer", "country", "currency"),
}
LINK_TEXT = [
    "²", "٣", "１２", "1" * 20, "9" * 10, "2147483648", "0", "-1", "+1", "1.0", "1e3", "#1",
    " 1 ", "0x10", "NaN", "Infinity", "-inf", "9999-12-31", "0001-01-01", "2024-02-30",
    "10000-01-01", "true", "false", "Archived", "archived", "100 rows per page",
    "[x](http://evil.example)", "![i](http://127.0.0.1:9/x.png)", "<img src=x onerror=alert(1)>",
    "**b**", ":red[x]", "$x$", "www.evil.example", "me@evil.example", "%00", "\u202e1",
    *HOSTILE.values(),
]
value = st.one_of(st.sampled_from(LINK_TEXT), st.text(max_size=40),
                  st.integers(min_value=-2**70, max_value=2**70).map(str))
values = st.one_of(value, st.lists(value, min_size=1, max_size=3))

SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
FEWER = settings(SETTINGS, max_examples=12)


def links(params) -> st.SearchStrategy[dict]:
    return st.dictionaries(st.one_of(st.sampled_from(params), st.text(min_size=1, max_size=12)),
                           values, max_size=5)


@pytest.fixture
def book(app_db):
    """A customer and a custom field of each filter kind, so every filter reads the URL."""
    for key, kind, options in (("segment", "choice", ["SMB", "Enterprise"]),
                               ("tags", "multi_choice", ["a", "b"]), ("seats", "integer", None),
                               ("arr", "decimal", None), ("renewal", "date", None),
                               ("vip", "bool", None), ("notes", "text", None)):
        cf.add_custom_field({"key": key, "label": key.title(), "kind": kind,
                             "options": options, "section": "Business Information"},
                            actor=ACTOR)
    return make_customer()


def customers_page_params() -> list[str]:
    return [*PAGES["app_pages/customers.py"], *book_filters.url_defaults()]


def open_link(page: str, query: dict) -> AppTest:
    """The app opened at `page` with `query` in its URL, as a first visit."""
    at = AppTest.from_file(APP, default_timeout=30)
    for key, raw in query.items():
        at.query_params[key] = raw
    at.switch_page(page)
    return at.run()


def assert_no_traceback(at: AppTest, query: dict) -> None:
    assert not at.exception, (query, [e.value for e in at.exception])


@SETTINGS
@given(data=st.data())
def test_any_link_to_the_customers_page(book, data):
    query = data.draw(links(customers_page_params()))
    at = open_link("app_pages/customers.py", query)
    assert_no_traceback(at, query)


@SETTINGS
@given(data=st.data())
def test_any_customer_link_opens_a_profile_or_says_why_not(book, data):
    raw = data.draw(st.one_of(value, st.sampled_from([str(book.id), f"#{book.id}"])))
    query = {**data.draw(links(PAGES["app_pages/customer_profile.py"])), "customer": raw}
    at = open_link("app_pages/customer_profile.py", query)
    assert_no_traceback(at, query)
    named = parse_id(raw)
    if named == book.id:
        assert at.title[0].value == md_escape(book.name)
    elif named is not None:
        assert texts(at.error) == [f"Customer #{named} does not exist."]
    else:
        (message,) = texts(at.error)
        assert shorten(raw).replace(WORD_JOINER, "") in message
        assert message.endswith("is not a customer number (a number from 1 to 2,147,483,647, "
                                "e.g. 42).")


@pytest.mark.parametrize("page", [p for p in PAGES if p not in (
    "app_pages/customers.py", "app_pages/customer_profile.py")])
@FEWER
@given(data=st.data())
def test_any_link_to_the_other_pages(book, page, data):
    query = data.draw(links(PAGES[page]))
    at = open_link(page, query)
    assert_no_traceback(at, query)


@pytest.mark.parametrize("raw", ["²", "٣", "1" * 20, "2147483648", "0", "-1", "x", "<b>1</b>"])
def test_a_customer_number_that_is_none_gets_a_message_on_the_profile(book, raw):
    at = open_link("app_pages/customer_profile.py", {"customer": raw})
    assert_no_traceback(at, {"customer": raw})
    assert as_read(at.error[0].value) == (f"“{raw}” is not a customer number (a number from 1 "
                                          "to 2,147,483,647, e.g. 42).")


@pytest.mark.parametrize("typed", ["²", "٣", "1" * 20, "2147483648", "0", "-5", "4 2"])
def test_a_customer_id_typed_on_activity_that_is_none_gets_a_message(book, typed):
    at = open_link("app_pages/activity.py", {})
    at.text_input(key="activity.customer").input(typed).run()
    assert_no_traceback(at, {"typed": typed})
    assert as_read(at.error[0].value) == ("Customer ID is a number from 1 to 2,147,483,647, "
                                          "e.g. 42.")


@FEWER
@given(typed=value)
def test_anything_typed_as_activity_customer_id_is_taken_or_explained(book, typed):
    at = open_link("app_pages/activity.py", {})
    at.text_input(key="activity.customer").input(typed).run()
    assert_no_traceback(at, {"typed": typed})
