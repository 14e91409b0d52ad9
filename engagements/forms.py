from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import Nation, Organization, User
from core.bounds import LONG_TEXT, MAX_PEOPLE
from core.forms import FilterForm, NationChoiceField
from core.pickers import Picker, register
from engagements import selectors
from engagements.fiscal import FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR
from engagements.models import (
    AfterActionReport,
    BudgetLine,
    Engagement,
    FollowOnProposal,
    Observation,
    Participation,
    Person,
)
from partnerships.models import Objective, Partnership
from partnerships.selectors import partnerships_for
from personnel.models import DutyStatus, Member

# ---- Engagements, budget lines, people, participants ----------------------------------------

DATE_INPUT = {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}


def _any(choices):
    return [("", _("any")), *choices]


class EngagementForm(forms.ModelForm):
    """An engagement's fields; partnerships and objectives are those the user may see (the
    service checks the objectives belong to the partnership), the lead a user of the user's
    nation."""

    class Meta:
        model = Engagement
        fields = ["partnership", "title_en", "title_es", "type", "external_type_name",
                  "direction", "location", "start_date", "end_date", "objectives",
                  "legal_basis", "partner_non_military", "lead", "tracking_reference"]
        widgets = {"start_date": forms.DateInput(**DATE_INPUT),
                   "end_date": forms.DateInput(**DATE_INPUT),
                   "objectives": forms.CheckboxSelectMultiple}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = Partnership.objects.restrict(user)
        self.fields["objectives"].queryset = (
            Objective.objects.restrict(user).select_related("line_of_effort__partnership"))
        self.fields["lead"].queryset = User.objects.filter(
            nation_id=user.nation_id, is_active=True).order_by("username")
        self.fields["legal_basis"].required = False

    def service_fields(self):
        return {name: self.cleaned_data.get(name) for name in self._meta.fields}


class EngagementFilterForm(FilterForm):
    FILTERS = selectors.ENGAGEMENT_FILTERS

    fiscal_year = forms.IntegerField(label=_("Fiscal year"), required=False,
                                     min_value=FIRST_FISCAL_YEAR, max_value=LAST_FISCAL_YEAR)
    quarter = forms.TypedChoiceField(label=_("Quarter"), required=False, coerce=int,
                                     empty_value=None)
    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=_any(Engagement.State.choices))
    partnership = forms.TypedChoiceField(label=_("Partnership"), required=False, coerce=int,
                                         empty_value=None)
    type = forms.ChoiceField(label=_("Type"), required=False,
                             choices=_any(Engagement.Type.choices))
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.SearchInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].choices = _any(
            [(p.pk, str(p)) for p in Partnership.objects.restrict(user).prefetch_related(None)
             .select_related(None)])
        self.fields["quarter"].choices = _any(
            [(q, str(_("Q%(quarter)d")) % {"quarter": q}) for q in (1, 2, 3, 4)])


class BudgetLineForm(forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = ["description", "amount", "currency", "fund_source", "state"]


class PersonFilterForm(FilterForm):
    """The people list's filters: a name or grade, and a nation by its code."""

    FILTERS = ("nation", "q")

    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.SearchInput)
    nation = forms.CharField(label=_("Nation"), required=False, max_length=3,
                             widget=forms.TextInput(attrs={"size": 4, "placeholder": "MEX"}))


def _people_to_add(user, params):
    engagement_id = str(params.get("engagement", ""))
    engagement = (selectors.engagements_for(user).filter(pk=engagement_id).first()
                  if engagement_id.isdigit() else None)
    return (selectors.addable_people(user, engagement) if engagement
            else Person.objects.none())


# Large choices, picked by typing (core.pickers): the people one may add to an engagement, and
# the Guard members one may see (thousands of each).
PEOPLE_TO_ADD = register("engagement-people", _people_to_add, ("full_name", "grade"))
GUARD_MEMBERS = register(
    "guard-members", lambda user, params: Member.objects.restrict(user).order_by(
        "last_name", "first_name", "pk"), ("last_name", "first_name", "service_number"))


class PersonForm(forms.ModelForm):
    """A person; a partner's user registers only its own nation's people and links no
    personnel record (those never leave the owning nation)."""

    class Meta:
        model = Person
        fields = ["full_name", "nation", "organization", "grade", "role", "gender", "languages",
                  "security_force", "guard_member"]
        field_classes = {"nation": NationChoiceField}
        widgets = {"guard_member": Picker(GUARD_MEMBERS)}

    def __init__(self, *args, user, own_nation_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        organizations = Organization.objects.select_related("nation")
        if own_nation_only:
            organizations = organizations.filter(nation_id=user.nation_id)
            self.fields["nation"].queryset = Nation.objects.filter(pk=user.nation_id)
        self.fields["organization"].queryset = organizations
        members = Member.objects.restrict(user).prefetch_related(None).select_related(None)
        self.fields["guard_member"].queryset = members
        if not members.exists():
            del self.fields["guard_member"]

    def service_fields(self):
        return {name: self.cleaned_data.get(name) for name in self.fields}


GATE_FORM_FIELDS = ["vetting", "vetting_reference", "vetting_updated_on", "visa",
                    "visa_updated_on", "country_clearance", "clearance_submitted_on",
                    "duty_status", "briefing_disclosure"]


class GatesForm(forms.ModelForm):
    """A participant's gates. A partner's liaison records only the visa or diplomatic note."""

    duty_status = forms.ChoiceField(
        label=_("Duty status recorded"), required=False,
        help_text=_("For Guard members without a personnel record; otherwise derived."))

    class Meta:
        model = Participation
        fields = GATE_FORM_FIELDS
        widgets = {"vetting_updated_on": forms.DateInput(**DATE_INPUT),
                   "visa_updated_on": forms.DateInput(**DATE_INPUT),
                   "clearance_submitted_on": forms.DateInput(**DATE_INPUT)}

    def __init__(self, *args, partner=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duty_status"].choices = [("", "—"), *DutyStatus.choices]
        if partner:
            for name in list(self.fields):
                if name not in ("visa", "visa_updated_on"):
                    del self.fields[name]

    def service_fields(self):
        """The gates the form shows, as the service takes them."""
        return {name: self.cleaned_data.get(name) for name in self.fields}


class ParticipantForm(forms.Form):
    """Who joins: a person already registered (those the user may add) or, left empty, the new
    person described below."""

    person = forms.ModelChoiceField(
        label=_("Registered person"), required=False, queryset=Person.objects.none(),
        widget=Picker(PEOPLE_TO_ADD),
        help_text=_("Type part of a name or grade, then choose; leave empty to register a new "
                    "person below."))

    def __init__(self, *args, people, engagement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].widget.params = {"engagement": engagement.pk}


class TransitionForm(forms.Form):
    tracking_reference = forms.CharField(label=_("Tracking system reference"), required=False,
                                         max_length=64)
    start_date = forms.DateField(label=_("New start"), required=False,
                                 widget=forms.DateInput(**DATE_INPUT))
    end_date = forms.DateField(label=_("New end"), required=False,
                               widget=forms.DateInput(**DATE_INPUT))

    def data_for(self, fields):
        return {name: self.cleaned_data.get(name) for name in fields
                if self.cleaned_data.get(name)}



# ---- After-action reports -------------------------------------------------------------------

class AARForm(forms.ModelForm):
    """The report's text and cost, with one field per indicator of the engagement's objectives
    (those the user may see)."""

    class Meta:
        model = AfterActionReport
        fields = ["summary_en", "summary_es", "partner_feedback_en", "partner_feedback_es",
                  "actual_cost", "currency"]
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in (
            "summary_en", "summary_es", "partner_feedback_en", "partner_feedback_es")}

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        values = self.instance.indicator_values or {}
        self.indicators = list(indicators)
        for indicator in self.indicators:
            self.fields[f"indicator_{indicator.pk}"] = forms.DecimalField(
                label=f"{indicator.name} ({indicator.unit_label})", required=False, max_digits=14,
                decimal_places=2, initial=values.get(str(indicator.pk)),
                help_text=_("Recorded as a measurement of this indicator when the report is "
                            "recorded."))
        for name in ("summary_en", "summary_es", "partner_feedback_en"):
            self.fields[name].widget.attrs["lang"] = name[-2:]
        self.fields["partner_feedback_es"].widget.attrs["lang"] = "es"

    def text_fields(self):
        return [self[name] for name in self._meta.fields]

    def indicator_fields(self):
        return [self[f"indicator_{i.pk}"] for i in self.indicators]

    def draft(self):
        """Keyword arguments for services.save_aar_draft."""
        data = {name: self.cleaned_data[name] for name in self._meta.fields}
        data["currency"] = (data["currency"] or "").upper()
        data["indicator_values"] = {i.pk: self.cleaned_data.get(f"indicator_{i.pk}")
                                    for i in self.indicators}
        return data


class AttendanceRowForm(forms.Form):
    nation = NationChoiceField(queryset=Nation.objects.all(), label=_("Nation"))
    organization = forms.ModelChoiceField(queryset=Organization.objects.all(), required=False,
                                          label=_("Organization"))
    grade = forms.CharField(max_length=50, required=False, label=_("Grade"))
    gender = forms.ChoiceField(choices=Person.Gender.choices, initial=Person.Gender.UNDISCLOSED,
                               label=_("Gender"))
    count = forms.IntegerField(min_value=1, max_value=MAX_PEOPLE, label=_("People"))


AttendanceFormSet = forms.formset_factory(AttendanceRowForm, extra=3, max_num=200,
                                          validate_max=True, can_delete=True)


def attendance_rows(formset):
    """The filled rows of a valid attendance formset, for services.set_attendance."""
    return [form.cleaned_data for form in formset
            if form.cleaned_data and not form.cleaned_data.get("DELETE")]


class ObservationForm(forms.ModelForm):
    class Meta:
        model = Observation
        fields = ["kind", "topic", "text_en", "text_es"]
        widgets = {"text_en": forms.Textarea(attrs={"rows": 3, "lang": "en"}),
                   "text_es": forms.Textarea(attrs={"rows": 3, "lang": "es"})}


class ProposalForm(forms.ModelForm):
    class Meta:
        model = FollowOnProposal
        fields = ["title_en", "title_es", "type", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("What has to change"), max_length=LONG_TEXT,
                             widget=forms.Textarea(attrs={"rows": 3}))


class FollowOnForm(forms.Form):
    """Optional dates for the concept; without them it sits at the start of the next fiscal
    year for its planner to date."""

    start_date = forms.DateField(required=False, label=_("Start"),
                                 widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(required=False, label=_("End"),
                               widget=forms.DateInput(attrs={"type": "date"}))


class AARFilterForm(FilterForm):
    FILTERS = ("state",)

    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=_any(AfterActionReport.State.choices))


class CalendarFeedForm(forms.Form):
    partnership = forms.ModelChoiceField(queryset=Partnership.objects.none(),
                                         label=_("Partnership"))
    language = forms.ChoiceField(choices=settings.LANGUAGES, label=_("Language of the titles"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships_for(user)


class CalendarFilterForm(forms.Form):
    partnership = forms.ModelChoiceField(queryset=Partnership.objects.none(), required=False,
                                         label=_("Partnership"), empty_label=_("all"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships_for(user)
