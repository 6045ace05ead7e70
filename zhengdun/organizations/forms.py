from django import forms

from zhengdun.core.forms import DateInput, StyledForm
from zhengdun.organizations.assignment_checks import ASSIGNMENT_ROLES
from zhengdun.organizations.choices import PostRole
from zhengdun.organizations.models import Organization, Person
from zhengdun.organizations.services import ERR_ASSIGNMENT_ROLE

# ASSIGNMENT_ROLES go through the 帮扶力量 page and its checks (assignments.py); this form offers the rest.
POST_ROLES = [(value, label) for value, label in PostRole.choices if value not in ASSIGNMENT_ROLES]


class OrganizationForm(StyledForm, forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["code", "name", "level", "kind", "domain", "member_count", "households", "population"]

    def validate_unique(self) -> None:
        """The service checks uniqueness, with messages that name the clash."""


class MoveForm(StyledForm, forms.Form):
    new_parent_code = forms.CharField(label="新的上级组织编码", max_length=32)


class PersonForm(StyledForm, forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "phone", "id_number", "unit", "title"]


class PostForm(StyledForm, forms.Form):
    person = forms.ModelChoiceField(label="人员", queryset=Person.objects.none())
    role = forms.ChoiceField(label="岗位", choices=POST_ROLES, error_messages={"invalid_choice": ERR_ASSIGNMENT_ROLE})
    started_on = forms.DateField(label="任职起始", required=False, widget=DateInput())
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args: object, people: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if people is not None:
            self.fields["person"].queryset = people  # type: ignore[attr-defined]


class EndPostForm(StyledForm, forms.Form):
    ended_on = forms.DateField(label="任职截止", widget=DateInput())
    note = forms.CharField(label="调整原因", max_length=200, required=False)


class EconomyForm(StyledForm, forms.Form):
    year = forms.IntegerField(label="年度", min_value=1990, max_value=2100)
    income_wan = forms.DecimalField(label="集体经济收入（万元）", min_value=0, max_digits=12, decimal_places=2)
