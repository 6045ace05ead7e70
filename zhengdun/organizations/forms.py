from typing import Any

from django import forms
from django.db.models import QuerySet

from zhengdun.core.forms import DateInput, StyledForm
from zhengdun.core.widgets import SearchSelect
from zhengdun.organizations.choices import ASSIGNMENT_ROLES, PostRole
from zhengdun.organizations.models import Organization, Person
from zhengdun.organizations.services import ERR_ASSIGNMENT_ROLE

# ASSIGNMENT_ROLES go through the 帮扶力量 page and its checks (the support app); this form offers the rest.
POST_ROLES = [(value, label) for value, label in PostRole.choices if value not in ASSIGNMENT_ROLES]


def organization_label(org: Organization) -> str:
    """How a picker names an organization: with its parent, since village names repeat (select_related parent)."""
    return f"{org.name}（{org.parent.name}）" if org.parent_id and org.parent else org.name


def person_label(person: Person) -> str:
    extra = " ".join(x for x in (person.unit, person.title) if x)
    return f"{person.name}（{extra}）" if extra else person.name


class OrganizationChoiceField(forms.ModelChoiceField):
    """One organization out of the given queryset, searched as you type (organizations:search).

    `search` are the search endpoint's filters (e.g. {"level": "village"}); the
    queryset must apply the same ones, since it decides what is accepted.
    """

    def __init__(self, *, search: dict[str, str | list[str]] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Organization.objects.none())
        kwargs.setdefault(
            "widget", SearchSelect(search_url="organizations:search", params=search, placeholder="输入组织名称或编码搜索")
        )
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Organization) -> str:
        return organization_label(obj)


class PersonChoiceField(forms.ModelChoiceField):
    """One person out of the given queryset, searched as you type (organizations:people_search)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Person.objects.none())
        kwargs.setdefault("widget", SearchSelect(search_url="organizations:people_search", placeholder="输入姓名或单位搜索"))
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Person) -> str:
        return person_label(obj)


class OrganizationForm(StyledForm, forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["code", "name", "level", "kind", "domain", "member_count", "households", "population"]

    def validate_unique(self) -> None:
        """The service checks uniqueness, with messages that name the clash."""


class MoveForm(StyledForm, forms.Form):
    new_parent = OrganizationChoiceField(
        label="新的上级组织",
        error_messages={"invalid_choice": "请选择您管辖范围内的组织", "required": "请选择新的上级组织"},
        help_text="输入名称或编码搜索",
    )

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = organizations  # type: ignore[attr-defined]


class PersonForm(StyledForm, forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "phone", "id_number", "unit", "title"]


class PersonCreateForm(PersonForm):
    confirm_duplicate = forms.BooleanField(
        label="仍然登记为新人员",
        required=False,
        help_text="系统提示已有同名同电话的人员、而确是另一人时勾选",
    )


class PostForm(StyledForm, forms.Form):
    person = PersonChoiceField(label="人员")
    role = forms.ChoiceField(label="岗位", choices=POST_ROLES, error_messages={"invalid_choice": ERR_ASSIGNMENT_ROLE})
    started_on = forms.DateField(label="任职起始", required=False, widget=DateInput())
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args: object, people: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["person"].queryset = people  # type: ignore[attr-defined]


class EndPostForm(StyledForm, forms.Form):
    ended_on = forms.DateField(label="任职截止", widget=DateInput())
    note = forms.CharField(label="调整原因", max_length=200, required=False)


class EconomyForm(StyledForm, forms.Form):
    year = forms.IntegerField(label="年度", min_value=1990, max_value=2100)
    income_wan = forms.DecimalField(label="集体经济收入（万元）", min_value=0, max_digits=12, decimal_places=2)
