"""The VIES client against the local stand-in: a verdict when VIES gives one, and "could not
be checked" with its reason for everything else the network or the service may do."""

import pytest

from services import vies as client
from services.vies import Verdict
from tooling import vies_stand_in as stand

NUMBER = "DE123456704"


def ask(stand_in, number=NUMBER):
    return client.check(number, url=stand_in.url, timeout=1)


def test_a_registered_number_is_valid_with_its_trader(vies):
    vies.answer(NUMBER, stand.VALID)
    answer = ask(vies)
    assert answer.verdict == Verdict.VALID
    assert answer.name == stand.TRADER["name"]
    assert vies.asked == [NUMBER]


def test_an_unregistered_number_is_invalid(vies):
    vies.answer(NUMBER, stand.INVALID)
    assert ask(vies) == vies_answer(Verdict.INVALID)


def vies_answer(verdict, reason=""):
    return client.ViesAnswer(verdict, reason)


@pytest.mark.parametrize(("how", "reason"), [
    (stand.SLOW, "VIES did not answer in time (1 s)"),
    (stand.ERROR, "VIES answered with HTTP error 500"),
    (stand.MALFORMED, "VIES sent an answer that is not a VAT check"),
    (stand.UNAVAILABLE, "VIES could not answer (MS_UNAVAILABLE)"),
])
def test_what_is_not_an_answer_could_not_be_checked(vies, how, reason):
    vies.answer(NUMBER, how)
    assert ask(vies) == vies_answer(Verdict.UNAVAILABLE, reason)


def test_a_service_nobody_listens_on_could_not_be_checked(vies):
    answer = client.check(NUMBER, url="http://127.0.0.1:9/check", timeout=1)
    assert answer == vies_answer(Verdict.UNAVAILABLE, "VIES could not be reached")


def test_only_http_addresses_are_asked():
    answer = client.check(NUMBER, url="file:///etc/passwd", timeout=1)
    assert answer.verdict == Verdict.UNAVAILABLE


@pytest.mark.parametrize("raw", [b"[]", b"{}", b'{"valid": "yes"}', b"\xff",
                                 b'{"errorWrappers": [{"error": "<b>x</b>"}]}'])
def test_answers_without_a_verdict_could_not_be_checked(raw):
    assert client.read_answer(raw).verdict == Verdict.UNAVAILABLE
