from tests.plans.plan_support import add_measure, ready_plan, screened_and_identified, submit
from zhengdun.plans import services
from zhengdun.plans.diff import diff_contents, inline_diff
from zhengdun.plans.models import PlanVersion
from zhengdun.plans.selectors import plan_content


def _content(**sections):
    base = {"basic_facts": "东关村现有居民 420 户。", "goals": "收入达到 10 万元。班子团结。"}
    return {"title": "方案", "sections": base | sections, "measures": [], "criteria": ["1.2"]}


def test_it_lists_only_the_sections_that_changed():
    diffs = diff_contents(_content(), _content(goals="收入达到 12 万元。班子团结。"))
    assert [d.key for d in diffs] == ["goals"]
    assert diffs[0].heading == "整顿目标"


def test_it_marks_the_changed_characters_inside_a_sentence():
    html = str(inline_diff("收入达到 10 万元。班子团结。", "收入达到 12 万元。班子团结。"))
    assert html == (
        '收入达到 1<del class="text-danger bg-danger-subtle">0</del>'
        '<ins class="text-success bg-success-subtle">2</ins> 万元。班子团结。'
    )


def test_it_shows_added_and_removed_sentences_whole():
    html = str(inline_diff("第一句。第二句。", "第一句。新的一句话完全不同！第二句。"))
    assert html == '第一句。<ins class="text-success bg-success-subtle">新的一句话完全不同！</ins>第二句。'
    html = str(inline_diff("第一句。第二句。", "第一句。"))
    assert html == '第一句。<del class="text-danger bg-danger-subtle">第二句。</del>'


def test_it_escapes_the_plan_text():
    html = str(inline_diff("目标。", "目标。<script>alert(1)</script>"))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_it_compares_measures_and_criteria_too():
    old = _content()
    new = _content() | {"criteria": ["1.2", "2.4"]}
    new["measures"] = [
        {"title": "种植艾草", "owner_name": "王建国", "deadline": "2027-06-30", "target": "60 亩", "target_value": None}
    ]
    assert [d.key for d in diff_contents(old, new)] == ["measures", "criteria"]


def test_it_diffs_the_working_copy_against_a_stored_version(world, campaign, town1, county):
    case = screened_and_identified(campaign, world.village_e, town1, county)
    plan = submit(ready_plan(case, town1), town1)
    plan = services.plan_review(plan=plan, actor=town1, level="township", decision="return", comments="补充").plan
    plan = services.plan_update(plan=plan, actor=town1, expected_version=plan.version, steps="分三个阶段推进。")
    add_measure(plan, town1, title="发展年轻党员", target="发展党员 2 名", target_value=None, unit="")
    first = PlanVersion.objects.get(plan=plan, number=1)
    diffs = diff_contents(first.content, plan_content(plan))
    assert [d.key for d in diffs] == ["steps", "measures"]
    assert '<ins class="text-success bg-success-subtle">分三个阶段推进。</ins>' in str(diffs[0].html)
