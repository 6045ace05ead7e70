from django import forms
from django.conf import settings

from zhengdun.accounts.models import ApiToken
from zhengdun.accounts.roles import Role
from zhengdun.accounts.services import MAX_DAYS, check_role_combination
from zhengdun.core.errors import ServiceError
from zhengdun.core.forms import StyledForm


class UserForm(StyledForm, forms.Form):
    username = forms.RegexField(
        label="用户名",
        max_length=150,
        regex=r"^[A-Za-z0-9_.@-]+$",
        error_messages={"invalid": "用户名只能包含字母、数字和 _ . @ -"},
    )
    display_name = forms.CharField(label="姓名", max_length=50)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    org_code = forms.CharField(label="所属组织编码", max_length=32)
    roles = forms.MultipleChoiceField(label="角色", choices=Role.choices, widget=forms.CheckboxSelectMultiple)
    is_active = forms.BooleanField(label="启用", required=False, initial=True)
    password = forms.CharField(
        label="初始密码",
        widget=forms.PasswordInput,
        required=False,
        help_text="至少 8 位，须同时包含字母、数字和特殊字符，不能是常见密码或由用户名、姓名、单位名加数字组成；"
        "修改账号时留空表示不变。账号首次登录时须修改管理员设置的密码",
    )

    def __init__(self, *args: object, creating: bool = True, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.creating = creating
        if creating:
            self.fields["password"].required = True
        else:
            self.fields["username"].disabled = True

    def clean_roles(self) -> list[str]:
        roles: list[str] = self.cleaned_data.get("roles") or []
        try:
            check_role_combination(roles)
        except ServiceError as exc:
            raise forms.ValidationError(exc.message) from None
        return roles

    # The password policy is checked by the service, with the account it is for
    # (its names and organization, its history): see security.services.check_new_password.


class TokenForm(forms.Form):
    name = forms.CharField(label="用途", max_length=100, required=False, help_text="如：县里数据大屏、报表脚本")
    days = forms.IntegerField(label="有效天数", min_value=1, max_value=MAX_DAYS, required=False)
    access = forms.ChoiceField(
        label="权限",
        choices=ApiToken.Access.choices,
        initial=ApiToken.Access.READ,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        help_text="只读令牌只能查询；需要提交数据的程序才用读写令牌",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["days"].help_text = f"留空为 {settings.API_TOKEN_MAX_AGE_DAYS} 天；密码修改或账号停用时令牌随之吊销"

    def clean_access(self) -> str:
        return self.cleaned_data.get("access") or ApiToken.Access.READ
