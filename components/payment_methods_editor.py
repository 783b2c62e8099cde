"""The Payment Methods section: each method as a line of text with its status badges, and
for editors Add, Edit, Make default, Revoke and Remove (both asked first; removing the
default asks which method takes its place). Read only for viewers and while the customer
is archived.

A method is a reference to where the payment data lives, so the form asks for the provider's
references and, for a card, what identifies it to people (brand, last 4 digits, expiry);
there is no field for a card number or a CVC."""

from collections.abc import Sequence
from functools import cache

import streamlit as st

from components.confirm import ask, confirm_dialog
from components.field_inputs import REQUIRED_MARK, field_error, render_field, write_field
from components.payment_method_text import (
    BADGES,
    autopay_problem,
    method_details,
    method_line,
    method_text,
)
from components.profile_writes import run_write
from components.session import may_edit
from components.text import md_escape
from models.catalogue import payment_method_fields
from models.customer import Customer
from models.fields import FieldSpec
from models.payment_method import CARD, METHOD_TYPES, PROVIDERS, STATUSES, PaymentMethod
from services.payment_methods import (
    add_payment_method,
    make_default,
    remove_payment_method,
    revoke_payment_method,
    status,
    update_payment_method,
)

# The form two fields to a row; the card's own fields show only while Type is Card.
ROWS = (("provider", "method_type"), ("reference", "provider_customer_id"),
        ("brand", "last4"), ("exp_month", "exp_year"), ("holder_name", "bank_name"))
CARD_ONLY = frozenset({"brand", "last4", "exp_month", "exp_year"})
CHOICES = {"provider": PROVIDERS, "method_type": METHOD_TYPES}


@cache
def _specs() -> dict[str, FieldSpec]:
    return {s.key: s for s in payment_method_fields()}


def _prefix(customer_id: int) -> str:
    return f"profile.{customer_id}.payment_methods"


def _run(customer_id: int, form: str, action, *args, done: str, **kwargs) -> None:
    run_write(customer_id, _prefix(customer_id), form, action, *args, done=done, **kwargs)


def _is_card(key_prefix: str) -> bool:
    return st.session_state.get(f"{key_prefix}.method_type") == CARD


def _form_values(key_prefix: str) -> dict:
    """What the form holds; a card's own fields are left empty for any other type."""
    card = _is_card(key_prefix)
    return {key: None if key in CARD_ONLY and not card
            else st.session_state.get(f"{key_prefix}.{key}") for key in _specs()}


def _choice(spec: FieldSpec, key: str) -> None:
    """Provider and Type: picked from their labels. Type redraws the form at once, since
    the card's fields come and go with it."""
    names = CHOICES[spec.key]
    st.selectbox(md_escape(spec.label) + REQUIRED_MARK, list(spec.options), key=key,
                 format_func=names.get, index=None,
                 placeholder=f"Choose a {spec.label.lower()}", help=md_escape(spec.help))


def _method_form(customer_id: int, form: str, submit_label: str, on_submit, args) -> None:
    key_prefix = f"{_prefix(customer_id)}.{form}"
    errors = st.session_state.get(f"{key_prefix}.errors", {})
    card = _is_card(key_prefix)
    with st.container(border=True):
        for row in ROWS:
            shown = [key for key in row if card or key not in CARD_ONLY]
            if not shown:
                continue
            for column, key in zip(st.columns(2), shown, strict=False):
                spec = _specs()[key]
                with column:
                    if key in CHOICES:
                        _choice(spec, f"{key_prefix}.{key}")
                    else:
                        render_field(spec, f"{key_prefix}.{key}", required=spec.required)
                    field_error(errors, key)
        field_error(errors, "_")
        with st.container(horizontal=True):
            st.button(md_escape(submit_label), key=f"{key_prefix}.submit", type="primary",
                      on_click=on_submit, args=args)
            st.button("Cancel", key=f"{key_prefix}.cancel", on_click=_toggle,
                      args=(customer_id, form))


def _add(customer_id: int) -> None:
    values = _form_values(f"{_prefix(customer_id)}.new")
    _run(customer_id, "new", add_payment_method, customer_id, values,
         done="Payment method added.")


def _edit(customer_id: int, method_id: int) -> None:
    values = _form_values(f"{_prefix(customer_id)}.edit{method_id}")
    _run(customer_id, f"edit{method_id}", update_payment_method, method_id, values,
         done="Payment method saved.")


def _toggle(customer_id: int, form: str, method: PaymentMethod | None = None) -> None:
    """Open the form (filled with `method`, or empty with Type Card) or close it."""
    key_prefix = f"{_prefix(customer_id)}.{form}"
    opening = not st.session_state.get(f"{key_prefix}.open")
    st.session_state[f"{key_prefix}.open"] = opening
    st.session_state.pop(f"{key_prefix}.errors", None)
    if not opening:
        return
    for key, spec in _specs().items():
        value = getattr(method, spec.attr) if method else None
        if key in CHOICES:
            st.session_state[f"{key_prefix}.{key}"] = value
        else:
            write_field(spec, f"{key_prefix}.{key}", value)
    if method is None:
        st.session_state[f"{key_prefix}.method_type"] = CARD


def _method_row(customer: Customer, method: PaymentMethod, editor: bool) -> None:
    prefix = _prefix(customer.id)
    revoked = method.revoked_at is not None
    info, actions = st.columns([3, 2])
    with info:
        name, rest = method_line(method)
        code = status(method)
        default = "  :blue-badge[Default]" if method.is_default else ""
        state = (f"  :{md_escape(BADGES[code])}-badge[{md_escape(STATUSES[code])}]"
                 if code in BADGES else "")
        st.markdown(f"**{md_escape(name)}** · {md_escape(rest)}{default}{state}")
        details = method_details(method)
        if details:
            st.caption(md_escape(details))
    if not editor:
        return
    with actions, st.container(horizontal=True, horizontal_alignment="right"):
        st.button("Edit", key=f"{prefix}.editbtn{method.id}", on_click=_toggle,
                  args=(customer.id, f"edit{method.id}", method))
        if not method.is_default and not revoked:
            st.button("Make default", key=f"{prefix}.default{method.id}", on_click=_run,
                      args=(customer.id, "list", make_default, method.id),
                      kwargs={"done": "Default payment method changed."})
        if not revoked:
            st.button("Revoke", key=f"{prefix}.revoke{method.id}", on_click=ask,
                      args=(f"{prefix}.revoking", method.id))
        st.button("Remove", key=f"{prefix}.remove{method.id}", on_click=ask,
                  args=(f"{prefix}.removing", method.id))
    if st.session_state.get(f"{prefix}.edit{method.id}.open"):
        _method_form(customer.id, f"edit{method.id}", "Save payment method", _edit,
                     (customer.id, method.id))


def _asked(key: str, methods: Sequence[PaymentMethod]) -> PaymentMethod | None:
    """The method a confirm step asks about; the question goes if the method went."""
    method = next((m for m in methods if m.id == st.session_state.get(key)), None)
    if method is None:
        st.session_state.pop(key, None)
    return method


def _confirm_revoke(customer: Customer, methods: Sequence[PaymentMethod]) -> None:
    key = f"{_prefix(customer.id)}.revoking"
    method = _asked(key, methods)
    if method is None:
        return
    what = (f"Revoke {method_text(method)}? It stays in the list marked Revoked and can no "
            "longer be charged or made the default.")
    if method.is_default and customer.auto_pay:
        what += " It is the default: Auto Pay has nothing to charge until another usable " \
                "method is made the default."
    confirm_dialog(key, "Revoke payment method", what, "Revoke",
                   lambda method_id: _run(customer.id, "list", revoke_payment_method,
                                          method_id, done="Payment method revoked."))


def _confirm_remove(customer: Customer, methods: Sequence[PaymentMethod]) -> None:
    key = f"{_prefix(customer.id)}.removing"
    method = _asked(key, methods)
    if method is None:
        return
    others = [m for m in methods if m.id != method.id]
    others = [m for m in others if status(m) != "revoked"] or others  # as the service picks
    choice_key = f"{key}.new_default"
    asks_default = method.is_default and bool(others)
    what = f"Remove {method_text(method)} from {customer.name}'s payment methods?"
    if asks_default:
        what += " It is the default: choose the method that becomes the default."
    elif method.is_default and customer.auto_pay:
        what += " It is the default and Auto Pay is on: Auto Pay has nothing to charge " \
                "until a method is added."

    def _new_default() -> None:
        names = {m.id: method_text(m) for m in others}
        st.selectbox("New default payment method", list(names), key=choice_key,
                      format_func=names.get)

    def _remove(method_id: int) -> None:
        new_default = st.session_state.pop(choice_key, None) if asks_default else None
        _run(customer.id, "list", remove_payment_method, method_id,
             new_default_id=new_default, done="Payment method removed.")

    confirm_dialog(key, "Remove payment method", what, "Remove", _remove,
                   ask_also=_new_default if asks_default else None)


def autopay_warning(customer: Customer) -> None:
    """A warning while Auto Pay is on without a default method it can charge."""
    problem = autopay_problem(customer)
    if problem:
        st.warning(f"Auto Pay is on, but {md_escape(problem)}: nothing can be charged "
                   "automatically. Add a payment method or make a usable one the default "
                   "under Payment Methods, or turn Auto Pay off under Business Information.",
                   icon="⚠️")


def payment_methods_editor(customer: Customer, *, read_only: bool = False) -> None:
    """The customer's methods, the default first; `read_only` (an archived customer) leaves
    out every change."""
    prefix = _prefix(customer.id)
    methods = sorted(customer.payment_methods, key=lambda m: not m.is_default)
    editor = may_edit() and not read_only
    if not methods:
        st.caption("No payment methods yet.")
    with st.container():  # one block: what follows keeps its place as methods come and go
        for method in methods:
            _method_row(customer, method, editor)
    for message in st.session_state.get(f"{prefix}.list.errors", {}).values():
        st.error(md_escape(message), icon="⚠️")
    if not editor:
        return
    st.button("+ Add payment method", key=f"{prefix}.newbtn", on_click=_toggle,
              args=(customer.id, "new"))
    if st.session_state.get(f"{prefix}.new.open"):
        _method_form(customer.id, "new", "Add payment method", _add, (customer.id,))
    _confirm_revoke(customer, methods)
    _confirm_remove(customer, methods)
