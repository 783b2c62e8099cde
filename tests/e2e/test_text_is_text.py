"""Text is text in real Chromium: markdown links and images, HTML and bare web addresses in
a customer name, a contact, a legal entity, a saved view, a custom field (label, help,
option) and in URL parameters are shown as typed. No link, image or other element is made
of them, no script runs, and the browser asks no host but the app for anything."""

import re
from urllib.parse import quote, urlencode, urljoin, urlparse

import pytest
from playwright.sync_api import Page, expect

from components.text import shorten
from services import custom_fields as cf
from services.legal_entities import create_legal_entity
from services.saved_views import save_view
from tests.e2e.conftest import app_of_its_own, screenshot
from tests.e2e.helpers import (
    choose,
    click_dataframe,
    dataframe_row,
    edit,
    expander,
    fill,
    wait_ready,
)
from tests.unit.factories import ACTOR, make_customer

MARKUP = ("[x](http://evil.example/a) ![i](http://127.0.0.1:9/x.png) "
          "<img src=x onerror=alert(1)> **b** :red[x] $x$")
ADDRESSES = "www.evil.example me@evil.example http://evil.example/b"
NAME = f"Cu {MARKUP} {ADDRESSES}"
ENTITY = f"Le {MARKUP}"
VIEW = f"Sv {MARKUP}"[:100]
FIELD = f"Cf {MARKUP}"[:100]
OPTION = f"Op {MARKUP}"[:100]
HELP = f"Help {MARKUP} {ADDRESSES}"
CONTACT = f"Co {ADDRESSES}"


def as_typed(text: str) -> re.Pattern:
    """Matches `text` as the page shows it: word joiners (invisible) may sit between its
    characters, nothing else."""
    return re.compile(r"\u2060?".join(re.escape(c).replace("/", r"\/") for c in text))


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    """The app on a database of this test's own, holding hostile text in every place."""
    with app_of_its_own(tmp_path_factory, "text") as app:
        entity = create_legal_entity(ENTITY, actor=ACTOR)
        cf.add_custom_field({"key": "tier", "label": FIELD, "kind": "choice", "help": HELP,
                             "options": [OPTION, "plain"], "section": "Business Information",
                             "grid_default": True}, actor=ACTOR)
        customer = make_customer(name=NAME, legal_entity_id=entity.id,
                                 primary_contact_first_name=CONTACT,
                                 primary_contact_last_name="", cf_tier=OPTION)
        save_view(VIEW, {"entity": [entity.id]}, actor=ACTOR)
        yield app.url, customer


# Every link, image, media or frame, formatted text and toast any frame of the page ever
# shows, recorded as it appears: a toast or an element that is gone again still counts.
RECORD = """
window.__made = [];
const SEEN = "a[href], img, image, video, audio, iframe, source, script, [onerror], .katex, "
    + "del, [data-testid=stToast]";
const note = e => window.__made.push([e.tagName.toLowerCase(),
    e.getAttribute("href") || e.getAttribute("src") || "", e.textContent || ""]);
new MutationObserver(records => {
  for (const r of records) {
    const nodes = r.type === "attributes" ? [r.target] : [...r.addedNodes];
    for (const n of nodes) {
      if (n.nodeType !== 1) continue;
      if (n.matches(SEEN)) note(n);
      n.querySelectorAll(SEEN).forEach(note);
    }
    // A toast's text may arrive after the toast itself (markdown renders late).
    const where = r.target.nodeType === 1 ? r.target : r.target.parentElement;
    const toast = where && where.closest("[data-testid=stToast]");
    if (toast) note(toast);
  }
}).observe(document, {subtree: true, childList: true, characterData: true, attributes: true,
                      attributeFilter: ["href", "src"]});
"""


@pytest.fixture
def watched(page: Page, desk):
    """The tab, recording every request it makes and every element its frames show."""
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.add_init_script(RECORD)
    return page


def made(page: Page) -> list[tuple[str, str, str]]:
    """(tag, href or src, text) of what the page's frames have shown so far."""
    return [tuple(m) for frame in page.frames
            for m in frame.evaluate("window.__made || []")]


def toasted(page: Page, text: str) -> None:
    """Wait until a toast has shown `text`, as typed."""
    pattern = as_typed(text)
    page.wait_for_function(
        "pattern => (window.__made || []).some(([tag, _, text]) => tag === 'div'"
        " && new RegExp(pattern).test(text))", arg=pattern.pattern)


def assert_nothing_made_of_text(page: Page, app_url: str) -> None:
    """No link, image, script or formatting came of the text, at any moment, in the page
    or its frames (the grid), and the browser asked nothing of another host."""
    app_host = urlparse(app_url).netloc
    for tag, target, text in made(page):
        if tag == "a":  # Streamlit's own links lead to pages of the app (a page link is
            # relative to the page it is on)
            assert not target or urlparse(urljoin(f"{app_url}/", target)).netloc == app_host, \
                (tag, target, text)
        elif tag in ("img", "image", "video", "audio", "iframe", "source", "script"):
            assert not target or target.startswith(("/", "./", app_url, "data:", "blob:")), \
                (tag, target)
        else:
            assert tag == "div", (tag, target, text)  # toasts; no onerror, math or strikes
    assert not page.js_dialogs
    elsewhere = [u for u in page.requests
                 if urlparse(u).scheme not in ("data", "blob") and urlparse(u).netloc != app_host]
    assert not elsewhere, elsewhere


def visit(page: Page, url: str) -> None:
    page.goto(url)
    wait_ready(page)


@pytest.mark.parametrize("raw", [MARKUP, ADDRESSES], ids=["markup", "addresses"])
def test_a_crafted_customer_link_is_quoted_as_typed(watched, desk, raw):
    app_url, _ = desk
    visit(watched, f"{app_url}/customer?{urlencode({'customer': raw})}")
    expect(watched.get_by_text(as_typed(f"“{shorten(raw)}” is not a customer number"))
           ).to_be_visible()
    screenshot(watched, f"text-is-text-link-{'markup' if raw == MARKUP else 'addresses'}")
    assert_nothing_made_of_text(watched, app_url)


def test_the_profile_shows_every_name_label_and_help_as_typed(watched, desk):
    app_url, customer = desk
    visit(watched, f"{app_url}/customer?customer={customer.id}")
    expect(watched.get_by_role("heading", name=as_typed(NAME))).to_be_visible()
    expect(watched.get_by_text(as_typed(ENTITY)).first).to_be_visible()
    expect(watched.get_by_text(as_typed(CONTACT))).to_be_visible()
    business = edit(watched, "Business Information")
    field = business.get_by_test_id("stSelectbox").filter(has_text=as_typed(FIELD))
    expect(field.get_by_role("combobox")).to_have_value(OPTION)
    field.get_by_role("button", name=re.compile("^Help for ")).hover()
    expect(watched.get_by_text(as_typed(HELP))).to_be_visible()
    screenshot(watched, "text-is-text-profile")
    history = expander(watched, "History")
    click_dataframe(watched, history, dataframe_row(history, "Created customer"))
    expect(watched.get_by_role("cell", name=as_typed(NAME))).to_be_visible()
    assert_nothing_made_of_text(watched, app_url)


def test_the_customers_page_its_filters_charts_and_views_as_typed(watched, desk):
    app_url, _ = desk
    query = urlencode({"charts": "true", "q": "Cu", "x": MARKUP, "sort": ADDRESSES})
    visit(watched, f"{app_url}/?{query}")
    expect(watched.get_by_text("1 customer matches")).to_be_visible()
    expect(watched.locator("canvas, svg").first).to_be_visible()  # the charts
    filters = expander(watched, "Filters")
    expect(filters.get_by_text(as_typed(FIELD))).to_be_visible()
    views = expander(watched, "Sort and saved views")
    choose(watched, views, "Saved view", VIEW, typed="Sv")
    toasted(watched, f"Showing the view {VIEW}.")
    wait_ready(watched)
    screenshot(watched, "text-is-text-customers")
    mine = f"Mine {MARKUP}"[:100]
    fill(views, "Save current view as", mine)
    views.get_by_role("button", name="Save view").click()
    toasted(watched, f"View {mine} saved.")
    assert_nothing_made_of_text(watched, app_url)


def test_a_new_customer_named_in_markup_is_greeted_as_typed(watched, desk):
    app_url, _ = desk
    visit(watched, f"{app_url}/new-customer")
    name = "New [x](http://evil.example/a) <img src=x onerror=alert(1)> **b** www.evil.example"
    fill(watched, "Customer Name *", name)
    fill(watched, "Primary Contact Email *", "ap@new.example")
    choose(watched, watched, "Country", "Germany")
    watched.get_by_role("button", name="Create Customer").click()
    expect(watched.get_by_role("heading", name=as_typed(name))).to_be_visible()
    toasted(watched, f"Customer {name} created.")
    screenshot(watched, "text-is-text-created")
    assert_nothing_made_of_text(watched, app_url)


@pytest.mark.parametrize("path", ["activity", "settings", "import"])
def test_activity_settings_and_import_as_typed(watched, desk, path):
    app_url, customer = desk
    visit(watched, f"{app_url}/{path}?{urlencode({'customer': MARKUP, quote(MARKUP): '1'})}")
    if path == "activity":
        click_dataframe(watched, watched, dataframe_row(watched, as_typed(ENTITY)))
        expect(watched.get_by_role("cell", name=as_typed(ENTITY))).to_be_visible()
        wait_ready(watched)
        # The customer's row: its link cell reads as the link's address to assistive
        # technology.
        row = dataframe_row(watched, f"customer?customer={customer.id}#")
        click_dataframe(watched, watched, row)
        expect(watched.get_by_role("link", name=as_typed(f"{NAME} (#{customer.id})"))
               ).to_be_visible()
    elif path == "settings":
        expect(watched.get_by_role("combobox", name="Field to change")).to_have_value(
            as_typed(f"{FIELD} (tier)"))
    else:
        expect(watched.get_by_role("heading", name="Import customers")).to_be_visible()
    screenshot(watched, f"text-is-text-{path}")
    assert_nothing_made_of_text(watched, app_url)
