from django.db import models


class Level(models.TextChoices):
    PROVINCE = "province", "省"
    CITY = "city", "市"
    COUNTY = "county", "县（区）"
    TOWNSHIP = "township", "乡镇（街道）"
    VILLAGE = "village", "村（社区）"
    OTHER = "other", "其他"


class Kind(models.TextChoices):
    COMMITTEE = "committee", "党委"
    WORKING_COMMITTEE = "working_committee", "党工委"
    GENERAL_BRANCH = "general_branch", "党总支"
    BRANCH = "branch", "党支部"
    JOINT_BRANCH = "joint_branch", "联合党支部"


class Domain(models.TextChoices):
    RURAL = "rural", "农村"
    COMMUNITY = "community", "社区"
    ORGAN = "organ", "机关"
    INSTITUTION = "institution", "事业单位"
    SCHOOL = "school", "学校"
    SOE = "soe", "国有企业"
    PRIVATE = "private", "非公有制企业"
    SOCIAL = "social", "社会组织"


class PostRole(models.TextChoices):
    SECRETARY = "secretary", "党组织书记"
    DEPUTY_SECRETARY = "deputy_secretary", "党组织副书记"
    FIRST_SECRETARY = "first_secretary", "第一书记"
    WORK_TEAM = "work_team", "工作队员"
    RESIDENT_CADRE = "resident_cadre", "驻村干部"
    CONTACT_LEADER = "contact_leader", "联系领导"
    CONTACT_LEADER_DEPUTY = "contact_leader_deputy", "联系领导（B岗）"
    INSTRUCTOR = "instructor", "党建指导员"
    ORGANIZER = "organizer", "组织委员"


# Roles of the support assigned to an organization (帮扶力量): they are assigned
# and ended on the support app's pages, which apply its rules; the generic post
# form offers the rest. Secretaries are run as ordinary posts.
ASSIGNMENT_ROLES = (
    PostRole.CONTACT_LEADER,
    PostRole.CONTACT_LEADER_DEPUTY,
    PostRole.FIRST_SECRETARY,
    PostRole.WORK_TEAM,
    PostRole.RESIDENT_CADRE,
    PostRole.INSTRUCTOR,
)
