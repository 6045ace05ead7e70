"""Ledger text for the demo cases (主要问题, 整改措施), drawn from the seed plans.

Problems that the figures show (vacant secretary, weak or falling income,
few members) are worded from the figures themselves; the rest are the
common complaints the seed documents list. Seed numbers are in comments.
"""

from __future__ import annotations

import random
from decimal import Decimal

# seed 004: 书记缺职、工作处于停滞状态
VACANT = "党组织书记缺职{months}个月，班子配备不齐，村级工作处于停滞状态"
# seed 000: 村集体经济收入主要依靠分红类收入，自身造血功能不强
LOW_INCOME = "{who}集体经济薄弱，{year}年集体经济收入仅{income}万元，主要依靠分红类收入，自身造血功能不强"
# seed 000/002: 发展经济思路不清、办法不多
FALLING = "集体经济收入连续下滑（{first_year}年{first}万元，{last_year}年{last}万元），带领群众发展经济思路不清、办法不多"
# seed 001/002: 两年以上不发展党员；年龄结构偏大
FEW_MEMBERS = "党员仅{members}名，年龄结构偏大，两年以上未发展党员，党员队伍后继乏人"

GENERIC_RURAL: tuple[str, ...] = (
    "“三会一课”等组织生活制度落实不到位，组织生活流于形式",  # 001
    "村“两委”关系不协调，班子不团结、内耗严重，工作不能正常开展",  # 002, 004
    "村务财务公开不及时、不规范，民主议事、集体决策等制度执行不到位",  # 001, 002
    "村干部担当意识不强，落实上级交办任务时动员群众力度弱、进度缓慢",  # 000
    "遗留问题较多且多年未能有效解决，信访矛盾纠纷相对集中",  # 002, 004
    "党组织书记不胜任现职、工作不在状态，在群众中威信不高",  # 000, 004
    "受宗族房头势力干扰，惠农政策落实不公，群众认可度较低",  # 002
    "阵地作用发挥不够，活动场所简陋，便民服务不规范",  # 001
    "村级组织“星级化”创建效果不明显，考评低于三星级",  # 001
)
GENERIC_COMMUNITY: tuple[str, ...] = (
    "社区居务公开不规范，居民议事协商制度流于形式",  # 001, 004
    "“城中村”土地矛盾纠纷多、情况复杂，信访积案长期得不到解决",  # 003
    "在职党员到社区报到作用发挥不明显，党员管理不到位",  # 004
    "社区“两委”班子领导核心作用不强，组织生活不正常",  # 003
    "“三资”管理不规范，集体资产底数不清",  # 003
)

M_SECRETARY = "选优配强党组织书记，严格“四选八不选”标准，选拔“一好双强”型党员担任书记"  # 004
M_ECONOMY = "依托土地流转和特色种植发展村办合作社，争取项目资金扶持，壮大村级集体经济"  # 000, 002
M_MEMBERS = "把年轻有为的退伍军人、致富能手吸收到党员队伍中来，改善党员队伍结构"  # 002
GENERIC_MEASURES: tuple[str, ...] = (
    "县委组织部选派第一书记驻村，每月至少到村开展一次服务、与村民开展一次座谈交流",  # 001
    "落实县级领导联系点和AB岗制度，帮助理清发展思路，在资金、信息、人才等方面给予支持",  # 001, 004
    "严格落实“三会一课”、主题党日、组织生活会和民主评议党员制度",  # 000
    "规范村务财务公开和民主议事决策制度，接受党员群众监督",  # 004
    "镇党委指派住村干部蹲点指导，问题不解决、工作队不撤离",  # 002, 004
    "开展矛盾纠纷排查化解，逐件落实信访积案包案责任",  # 003, 004
    "支部书记参加县级集中培训，包村领导“手把手”传授工作方法",  # 000, 004
    "整改方案向群众公示、听取意见，整顿结束后开展群众满意度测评",  # 004
)


def _wan(value: Decimal) -> str:
    return f"{value.normalize():f}"


def problems_for(
    rng: random.Random,
    *,
    community: bool,
    vacant_months: int | None,
    income: dict[int, Decimal],
    members: int,
) -> tuple[str, str]:
    """(主要问题, 整改措施) for one organization, from its figures and the seeds."""
    problems: list[str] = []
    measures: list[str] = []
    if vacant_months is not None:
        problems.append(VACANT.format(months=vacant_months))
        measures.append(M_SECRETARY)
    years = sorted(income)
    if years and income[years[-1]] < Decimal("5"):
        problems.append(LOW_INCOME.format(who="社区" if community else "村级", year=years[-1], income=_wan(income[years[-1]])))
        measures.append(M_ECONOMY)
    elif len(years) >= 2 and all(income[a] > income[b] for a, b in zip(years, years[1:], strict=False)):
        problems.append(
            FALLING.format(first_year=years[0], first=_wan(income[years[0]]), last_year=years[-1], last=_wan(income[years[-1]]))
        )
        measures.append(M_ECONOMY)
    if members < 15:
        problems.append(FEW_MEMBERS.format(members=members))
        measures.append(M_MEMBERS)
    pool = GENERIC_COMMUNITY if community else GENERIC_RURAL
    problems.extend(rng.sample(pool, 3 - min(len(problems), 2)))
    measures.extend(rng.sample(GENERIC_MEASURES, 4 - min(len(measures), 2)))
    return _numbered(problems), _numbered(measures)


def _numbered(items: list[str]) -> str:
    return "\n".join(f"{i}. {item}。" for i, item in enumerate(items, start=1))
