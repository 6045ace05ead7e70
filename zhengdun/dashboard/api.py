"""The caller's to-do list over the API: the same providers as the home page (todo.py)."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from zhengdun.core.api import caller
from zhengdun.dashboard.todo import TodoGroup, todo_for

router = Router(tags=["工作台"])


class TodoItemOut(Schema):
    title: str
    organization: str
    url: str
    action: str
    at: datetime.datetime | datetime.date
    when: str
    detail: str
    urgent: bool


class TodoGroupOut(Schema):
    key: str
    label: str
    total: int
    rest: int
    more_url: str
    items: list[TodoItemOut]


@router.get("/todo", response=list[TodoGroupOut], summary="我的待办事项：每类最多 5 条，total 为该类总数，more_url 为完整列表")
def todo(request: HttpRequest) -> list[TodoGroup]:
    return todo_for(caller(request))
