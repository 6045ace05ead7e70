from django import forms

from zhengdun.accounts.security.services import POLICY_LIMITS
from zhengdun.core.forms import StyledForm

ERR_MISMATCH = "两次输入的新密码不一致"


class PasswordChangeForm(StyledForm, forms.Form):
    old_password = forms.CharField(label="原密码", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    new_password = forms.CharField(
        label="新密码",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="至少 8 位，须同时包含字母、数字和特殊字符；不能是常见密码（如 Admin@123），"
        "不能由用户名、姓名或单位名加数字组成，不能与最近用过的密码相同",
    )
    new_password_again = forms.CharField(
        label="再次输入新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("new_password") and data.get("new_password_again") and data["new_password"] != data["new_password_again"]:
            self.add_error("new_password_again", ERR_MISMATCH)
        return data


def _limited(label: str, name: str, help_text: str = "") -> forms.IntegerField:
    _label, low, high = POLICY_LIMITS[name]
    return forms.IntegerField(label=label, min_value=low, max_value=high, help_text=help_text)


class PolicyForm(StyledForm, forms.Form):
    password_max_age_days = _limited("密码有效期（天）", "password_max_age_days", "到期后登录须先修改密码；0 表示不过期")
    password_history_count = _limited("不得重复使用最近几次密码", "password_history_count")
    lockout_failure_limit = _limited("同一账号连续登录失败几次后锁定", "lockout_failure_limit", "按账号和登录地址计")
    address_failure_limit = _limited(
        "同一地址登录失败几次后暂停该地址登录", "address_failure_limit", "不论账号，防止从一个地址逐个账号试密码"
    )
    lockout_minutes = _limited("锁定时长（分钟）", "lockout_minutes")
    idle_minutes = _limited("闲置多少分钟后需重新登录", "idle_minutes")
    second_factor_for_everyone = forms.BooleanField(
        label="所有账号都须使用双因素认证", required=False, help_text="管理员账号无论如何都须使用双因素认证"
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
