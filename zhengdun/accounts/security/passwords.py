"""What a password may be, and when it must change.

`GuessablePasswordValidator` refuses what a guesser tries first in a Chinese office: a
common word, brand or keyboard run with a year or a digit run (Admin@123, Zhengdun@2026,
Qwer@1234, 1qaz@WSX), written with leetspeak or in capitals (P@ssw0rd), and the account's
own username, name or organization, in Chinese, pinyin or initials, or its organization
code. It strips those parts, years, digit runs and symbols from the password and refuses it
when fewer than RESIDUAL_MIN characters are left.

`PasswordHistoryValidator` refuses the last few passwords (policy.password_history_count)
and, through Django's `password_changed` hook, keeps the new hash, restarts the password's
age and revokes the account's access tokens whenever a password is set.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from pypinyin import Style, lazy_pinyin

from zhengdun.accounts import policy

ERR_GUESSABLE = "密码太常见，容易被猜到（如 Admin@123、P@ssw0rd、常用词或单位名加年份），请换一个更难猜的密码"
ERR_PERSONAL = "密码不能由您的用户名、姓名或所属组织的名称、编码（包括拼音和首字母）加数字、年份组成"
ERR_REUSED = "不能使用最近 {count} 次用过的密码"
HELP = "不能是常见密码（如 Admin@123），不能由用户名、姓名或单位名加数字组成，不能与最近用过的密码相同"

RESIDUAL_MIN = 4

# Words a guesser pairs with a year or "123": defaults, this system, common office words
# and their pinyin, brands on every office desk, keyboard runs.
COMMON_WORDS = frozenset(
    """
    admin administrator adm root super superuser sys system sysadmin user guest test demo manager master
    password passwd pass pwd passw0rd login letmein welcome hello iloveyou love woaini
    zhengdun zhengdunti zhengdunzg zdtsgz dangjian dangwei dangyuan dangzhibu zhibu zuzhi zuzhibu
    zzb xianwei zhengfu gov office bangong bangongshi shuji cunwei shequ jiedao xiangzhen
    china zhongguo beijing shanghai wuhan
    huawei xiaomi lenovo lianxiang haier tencent qq wechat weixin baidu alibaba taobao apple
    oppo vivo dell sangfor h3c ruijie
    qwerty qwert qwer asdfgh asdf zxcvbn zxcv qazwsx qaz wsx edc rfv 1qaz 2wsx 3edc 4rfv
    abcdef abcde abcd abc aaaa
    """.split()
)
COMMON_DIGITS = ("5201314", "1314", "520", "110", "119")
LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s", "!": "i", "|": "l", "+": "t"}
YEAR = re.compile(r"(?:19|20)\d\d")
DIGITS = re.compile(r"\d+")
# Chinese organization names end in their kind: 东关村党支部 is also said 东关村 and 东关.
ORG_SUFFIXES = ("党总支部", "党总支", "党支部", "党工委", "党委", "委员会", "支部", "社区", "街道", "村", "镇", "乡", "县")


def _pinyin_forms(text: str) -> set[str]:
    if not re.search(r"[\u4e00-\u9fff]", text):
        return {text.lower()}
    full = "".join(lazy_pinyin(text)).lower()
    initials = "".join(lazy_pinyin(text, style=Style.FIRST_LETTER)).lower()
    return {text, full, initials}


def _org_names(name: str) -> set[str]:
    names = {name}
    stem = name
    for _ in range(3):
        for suffix in ORG_SUFFIXES:
            if stem.endswith(suffix) and len(stem) > len(suffix) + 1:
                stem = stem[: -len(suffix)]
                names.add(stem)
                break
    return names


def personal_words(user: Any) -> set[str]:
    """The account's own names, in every form a guesser would try."""
    if user is None:
        return set()
    words: set[str] = set()
    for text in (getattr(user, "username", ""), getattr(user, "display_name", ""), getattr(user, "first_name", "")):
        if text:
            words |= _pinyin_forms(text)
    org = getattr(user, "organization", None)
    if org is not None:
        for name in _org_names(org.name):
            words |= _pinyin_forms(name)
        if org.code:
            words.add(org.code.lower())
    # An initial pair such as "dg" is everywhere: only longer forms count.
    return {w for w in words if len(w) >= 3 or re.search(r"[\u4e00-\u9fff]", w) and len(w) >= 2}


def _deleet(text: str, one: str, digits: bool = True) -> str:
    """Read symbols (and digits) as letters where they sit in a word: p@ssw0rd → password."""
    table = {**LEET, "1": one} if digits else {k: v for k, v in LEET.items() if not k.isdigit()}
    out = list(text)
    i = 0
    while i < len(text):
        if text[i] not in table:
            i += 1
            continue
        j = i
        while j < len(text) and text[j] in table:
            j += 1
        touches_letter = (i > 0 and text[i - 1].isalpha()) or (j < len(text) and text[j].isalpha())
        if touches_letter and j - i <= 3:
            out[i:j] = [table[c] for c in text[i:j]]
        i = j
    return "".join(out)


def _is_run(digits: str) -> bool:
    steps = {int(b) - int(a) for a, b in zip(digits, digits[1:], strict=False)}
    return len(digits) >= 3 and len(steps) == 1 and steps <= {-1, 0, 1}


def _residual(text: str, words: set[str]) -> str:
    for word in sorted(words, key=len, reverse=True):
        text = text.replace(word, " ")
    text = YEAR.sub(" ", text)
    for digits in COMMON_DIGITS:
        text = text.replace(digits, " ")
    text = DIGITS.sub(lambda m: " " if _is_run(m.group()) else m.group(), text)
    kept = re.sub(r"[^0-9a-z\u4e00-\u9fff]", "", text)
    return re.sub(r"(.)\1+", r"\1", kept)  # aaaa counts as one character


def _variants(password: str) -> set[str]:
    low = password.lower()
    # Symbols alone too: a username with digits (branch1) stays itself in br@nch1.
    return {low, _deleet(low, "i"), _deleet(low, "l"), _deleet(low, "i", digits=False)}


def is_guessable(password: str, words: frozenset[str] | set[str] = COMMON_WORDS) -> bool:
    return any(len(_residual(v, set(words))) < RESIDUAL_MIN for v in _variants(password))


class GuessablePasswordValidator:
    def validate(self, password: str, user: Any = None) -> None:
        if is_guessable(password):
            raise ValidationError(ERR_GUESSABLE, code="password_guessable")
        if is_guessable(password, COMMON_WORDS | personal_words(user)):
            raise ValidationError(ERR_PERSONAL, code="password_personal")

    def get_help_text(self) -> str:
        return HELP


class PasswordHistoryValidator:
    def validate(self, password: str, user: Any = None) -> None:
        count = policy.current().password_history_count
        if user is None or user.pk is None or not count:
            return
        from zhengdun.accounts.security.models import PasswordHistory

        recent = list(PasswordHistory.objects.filter(user_id=user.pk).values_list("password", flat=True)[:count])
        if user.password and user.password not in recent:
            recent = [user.password, *recent][:count]  # set before the history was kept
        if any(check_password(password, hashed) for hashed in recent):
            raise ValidationError(ERR_REUSED.format(count=count), code="password_reused")

    def password_changed(self, password: str, user: Any = None) -> None:
        from zhengdun.accounts.security import services

        services.password_was_set(user=user)

    def get_help_text(self) -> str:
        return ERR_REUSED.format(count=policy.current().password_history_count)


def is_expired(user: Any) -> bool:
    max_age = policy.current().password_max_age
    return max_age is not None and user.password_changed_at is not None and user.password_changed_at + max_age <= timezone.now()


def must_change(user: Any) -> bool:
    """After sign-in the account reaches only the change-password page until this is false.
    The demo accounts keep their published password: they never have to change it."""
    if not user.is_authenticated or user.is_demo:
        return False
    return bool(user.must_change_password) or is_expired(user)
