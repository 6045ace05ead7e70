"""Name pools for the demo county. Plain data; plan.py draws from it.

The county is fictional. Place names follow the patterns of northern Chinese
counties (姓+家+庄, 方位+地物, 里程+铺) so that lists and ledgers look familiar
to the people the demo is shown to.
"""

from __future__ import annotations

COUNTY_CODE = "371525"
COUNTY_NAME = "清河县委"
COUNTY_SHORT = "清河县"

# (name, is_subdistrict). The order matters: the first is town1's township,
# the second town2's, the third the one leader1 is linked to; the first
# sub-district comes fourth so a three-township test run stays rural.
TOWNSHIPS: tuple[tuple[str, bool], ...] = (
    ("城关镇", False),
    ("河口镇", False),
    ("柳林镇", False),
    ("清源街道", True),
    ("王庄镇", False),
    ("双井镇", False),
    ("城东街道", True),
    ("石桥镇", False),
    ("马集镇", False),
    ("南洼乡", False),
    ("城西街道", True),
    ("白塔镇", False),
    ("新店镇", False),
    ("文化路街道", True),
    ("杨屯镇", False),
    ("黄河滩乡", False),
    ("高庙镇", False),
    ("三里铺镇", False),
)

# County organs (机关) where the county leaders' records are kept:
# (branch name, unit name). Codes are 371525901, 371525902, ...
ORGANS: tuple[tuple[str, str], ...] = (
    ("县委办公室党支部", "县委办公室"),
    ("县人大机关党支部", "县人大常委会"),
    ("县政府办公室党支部", "县人民政府办公室"),
    ("县政协机关党支部", "县政协"),
    ("县委组织部机关党支部", "县委组织部"),
    ("县纪委监委机关党支部", "县纪委监委"),
    ("县农业农村局党支部", "县农业农村局"),
    ("县民政局党支部", "县民政局"),
)
ORGAN_PEOPLE_CONGRESS = 1
ORGAN_ORG_DEPT = 4

# County leaders who link one township and one key village (seed 001: 县委班子成员
# 联系1个乡镇和1个整顿重点村). (unit, title, organ index keeping the record).
# leader1 is always the people's congress vice chair; the others follow in order.
LEADER1_TITLE: tuple[str, str, int] = ("县人大常委会", "副主任", ORGAN_PEOPLE_CONGRESS)
LEADER_TITLES: tuple[tuple[str, str, int], ...] = (
    ("县委", "副书记", 0),
    ("县委", "常委、组织部部长", ORGAN_ORG_DEPT),
    ("县纪委监委", "县委常委、纪委书记、监委主任", 5),
    ("县人民政府", "县委常委、常务副县长", 2),
    ("县委", "常委、宣传部部长", 0),
    ("县委", "常委、政法委书记", 0),
    ("县人大常委会", "主任", ORGAN_PEOPLE_CONGRESS),
    ("县人民政府", "副县长", 2),
    ("县政协", "主席", 3),
    ("县委", "常委、统战部部长", 0),
    ("县人民政府", "副县长", 2),
    ("县政协", "副主席", 3),
    ("县人大常委会", "副主任", ORGAN_PEOPLE_CONGRESS),
    ("县委", "常委、办公室主任", 0),
    ("县人民政府", "副县长", 2),
    ("县政协", "副主席", 3),
    ("县人大常委会", "副主任", ORGAN_PEOPLE_CONGRESS),
)
# B岗 deputies come from the departments that do the daily work.
DEPUTY_TITLES: tuple[tuple[str, int], ...] = (
    ("组织科科长", ORGAN_ORG_DEPT),
    ("副局长", 6),
    ("副局长", 7),
    ("督查室主任", 0),
    ("基层党建办主任", ORGAN_ORG_DEPT),
    ("综合科科长", 2),
)

# Departments that send first secretaries (seed 001: 县直部门选派第一书记).
SENDING_UNITS: tuple[str, ...] = (
    "县农业农村局",
    "县财政局",
    "县自然资源局",
    "县交通运输局",
    "县卫生健康局",
    "县水利局",
    "县市场监管局",
    "县委组织部",
    "县发展和改革局",
    "县住房和城乡建设局",
)
SENT_TITLES: tuple[str, ...] = ("副科长", "四级主任科员", "一级科员", "股长", "副主任")

VACANCY_NOTES: tuple[str, ...] = ("因病辞去职务", "工作调整", "不胜任现职被调整", "外出务工辞去职务")

SURNAMES: tuple[str, ...] = tuple(
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
    "潘杜戴夏钟汪田任姜范方石姚谭邹金陆郝孔白崔康毛邱秦江史顾侯邵孟段钱尹常武乔贺文牛葛耿"
)
GIVEN_NAMES: tuple[str, ...] = (
    "建国", "志强", "海军", "红梅", "秀英", "桂兰", "国庆", "立新", "卫东", "春生", "德明", "永刚",
    "金平", "玉兰", "晓东", "丽娟", "振华", "文斌", "保国", "长青", "凤英", "学军", "树林", "俊峰",
    "明亮", "海燕", "建华", "爱民", "新民", "宏伟", "庆丰", "志刚", "玉梅", "春燕", "永强", "国华",
    "建军", "瑞", "涛", "敏", "磊", "静", "勇", "军", "鹏", "洁", "伟", "娜", "国栋", "红霞",
    "云峰", "志勇", "晓燕", "利民", "占山", "福海", "继红", "少华", "素芳", "兴旺", "广才", "满囤",
    "文杰", "雪梅", "德胜", "丰收", "向阳", "冬梅", "思远", "景山",
)  # fmt: skip
PHONE_PREFIXES: tuple[str, ...] = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
    "155", "157", "158", "159", "177", "180", "182", "183", "186", "187", "188", "189", "199",
)  # fmt: skip

# Village names: 姓+家+地物, 方位+地物, 里程或物产+地物. Combined and shuffled by plan.py.
VILLAGE_CLANS: tuple[str, ...] = tuple("王李张刘陈杨赵孙周吴郑冯韩曹袁许宋范何郭高马田石邢")
VILLAGE_CLAN_SUFFIXES: tuple[str, ...] = ("家庄", "家营", "家屯", "家寨", "家洼", "家店", "家坊", "家楼", "庄")
VILLAGE_DIRECTIONS: tuple[str, ...] = ("东", "西", "南", "北", "前", "后", "大", "小", "上", "下")
VILLAGE_FEATURES: tuple[str, ...] = (
    "河", "沟", "屯", "营", "集", "楼", "坡", "岭", "堡", "寨", "湾", "王庄", "杨庄", "刘庄", "柳树",
    "石桥", "沙窝", "高台", "辛庄", "疃",
)  # fmt: skip
VILLAGE_THINGS: tuple[str, ...] = (
    "杨树", "槐树", "枣林", "桃园", "杏园", "梨园", "榆林", "柏林", "苇子", "荷花", "石门", "板桥",
    "双庙", "三里", "五里", "七里", "八里", "十里", "白沙", "黄土", "红土", "青石", "马", "牛", "官",
)  # fmt: skip
VILLAGE_THING_SUFFIXES: tuple[str, ...] = ("庄", "铺", "堡", "沟", "岭", "洼", "屯", "营", "坡", "湾", "店")

COMMUNITY_NAMES: tuple[str, ...] = (
    "文化", "建设", "人民", "解放", "新华", "和平", "胜利", "光明", "幸福", "育才", "朝阳", "东风",
    "红旗", "友谊", "长青", "民主", "团结", "振兴", "滨河", "清源", "花园", "府前", "西关", "东关",
    "南关", "北关", "金桥", "锦绣", "阳光", "康宁", "安居", "春晖", "翠苑", "书院", "鼓楼", "站前",
    "工业", "商贸", "迎宾", "丽景", "紫荆", "玉兰", "桂花", "牡丹", "铁路", "水利", "电业", "纺织",
    "东城", "西城", "南城", "北城", "广场", "泰和", "富民", "惠民", "龙泉", "凤鸣",
)  # fmt: skip
