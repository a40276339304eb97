"""Policies (sampling.policies): the pages offer only what the services accept; the right role of a
neighbouring county is refused; an institution never gets a form it cannot submit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from sampling import policies
from sampling.models import Verdict
from sampling.services.results import result_confirm, result_enter
from sampling.tests.results_support import item_rows, make_sample

pytestmark = pytest.mark.django_db
P, F = Verdict.PASS.value, Verdict.FAIL.value


def confirmed_failure(user):
    sample = make_sample()
    result = result_enter(
        user=user,
        sample=sample,
        report_no="WT-P-1",
        institution=sample.task.institution,
        tested_on=dt.date(2026, 3, 10),
        items=item_rows(sample, [P, F, P]),
    )
    result_confirm(user=user, result=result)
    sample.refresh_from_db()
    return sample


def test_an_institution_gets_no_sampling_form_nor_photo_upload(login, institution_user, county_inspector):
    sample = make_sample(institution=institution_user.institution)
    client = login(institution_user)
    html = client.get(reverse("sampling:sample_list")).content.decode()
    assert reverse("sampling:sample_create") not in html
    assert client.get(reverse("sampling:sample_create")).status_code == 403
    html = client.get(reverse("sampling:sample_detail", args=[sample.pk])).content.decode()
    assert reverse("sampling:sample_photo_upload", args=[sample.pk]) not in html
    # but it may enter the result of its own sample
    assert reverse("sampling:result_entry", args=[sample.pk]) in html
    html = client.get(reverse("sampling:task_detail", args=[sample.task.pk])).content.decode()
    assert f"{reverse('sampling:sample_create')}?task=" not in html
    assert not policies.can_register_samples(institution_user)
    assert "photo" not in policies.action_codes(institution_user, sample)


def test_the_buttons_follow_the_state(login, county_inspector):
    sample = confirmed_failure(county_inspector)
    result = sample.results.get()
    assert policies.action_codes(county_inspector, result) == {"amend", "receipt"}
    html = login(county_inspector).get(reverse("sampling:sample_detail", args=[sample.pk])).content.decode()
    assert reverse("sampling:result_amend", args=[result.pk]) in html
    assert reverse("sampling:result_confirm", args=[result.pk]) not in html
    notice = sample.followups.get()
    assert "complete" in policies.action_codes(county_inspector, notice)


def test_the_right_role_in_a_neighbouring_county_is_refused(county_inspector, neighbour_inspector, city_inspector):
    sample = confirmed_failure(county_inspector)
    result, notice = sample.results.get(), sample.followups.get()
    for obj in (sample, result, notice):
        assert policies.action_codes(neighbour_inspector, obj) == set()
    assert not policies.can_handle_followups(neighbour_inspector, sample)
    assert policies.can_handle_followups(city_inspector, sample)


def test_menu_entries_ask_the_policies(login, institution_user, city_case_handler):
    html = login(institution_user).get(reverse("home")).content.decode()
    assert reverse("sampling:followup_list") not in html.split("mainnav", 1)[1].split("</nav>", 1)[0]
    html = login(city_case_handler).get(reverse("home")).content.decode()
    assert reverse("sampling:followup_list") in html
