from urllib.parse import quote

from django.urls import reverse

from tests.ledger.conftest import data_rows
from zhengdun.audit.models import Action, AuditEvent

INDEX = reverse("ledger:index")
DOWNLOAD = reverse("ledger:download")


def test_it_previews_the_ledger_of_the_users_township(as_user, world, campaign, town1, cases):
    response = as_user(town1).get(INDEX, {"campaign": campaign.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert response.context["ledger"].unit == world.town1_org
    assert "东关村党支部" in page and "南关社区党支部" in page
    assert "北河村党支部" not in page and "西关村党支部" not in page
    assert "钱主（B岗：赵副）" in page
    assert "下载台账" in page and "上传台账" in page


def test_it_shows_masked_phones_and_no_upload_to_branch1(as_user, world, campaign, branch1, cases):
    page = as_user(branch1).get(INDEX, {"campaign": campaign.pk}).content.decode()
    assert "138****5678" in page and "13812345678" not in page
    assert "上传台账" not in page


def test_it_links_the_ledger_from_the_navigation(as_user, town1):
    assert f'href="{INDEX}">台账</a>' in as_user(town1).get("/").content.decode()


def test_it_downloads_the_sheet_with_a_chinese_file_name(as_user, world, campaign, town1, cases):
    response = as_user(town1).get(DOWNLOAD, {"campaign": campaign.pk, "org": world.town1_org.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert quote("后进基层党组织情况汇总表_城关镇_") in disposition
    rows = data_rows(b"".join(response.streaming_content))
    assert [row[1] for row in rows] == ["东关村党支部", "南关社区党支部"]
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert event.actor == town1 and event.after["phones_unmasked"] is True


def test_it_answers_404_to_town2_for_town1_and_out_of_scope_campaigns(as_user, world, campaign, county, town2, cases):
    from zhengdun.campaigns.services import campaign_create_from_template

    town1_campaign = campaign_create_from_template(
        template_key="subdistrict_2018", scope=world.town1_org, start_year=2026, actor=county
    )
    client = as_user(town2)
    assert client.get(INDEX, {"campaign": campaign.pk, "org": world.town1_org.pk}).status_code == 404
    assert client.get(DOWNLOAD, {"campaign": campaign.pk, "org": world.town1_org.pk}).status_code == 404
    assert client.get(DOWNLOAD, {"campaign": campaign.pk, "org": world.village_e.pk}).status_code == 404
    assert client.get(INDEX, {"campaign": town1_campaign.pk}).status_code == 404
    assert client.get(DOWNLOAD, {"campaign": town1_campaign.pk, "org": world.town2_org.pk}).status_code == 404
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()
    # Its own subtree is fine.
    response = client.get(DOWNLOAD, {"campaign": campaign.pk})
    assert [row[1] for row in data_rows(b"".join(response.streaming_content))] == ["北河村党支部"]


def test_it_says_so_when_the_subtree_is_outside_the_campaign(as_user, world, county, cases):
    from zhengdun.campaigns.services import campaign_create_from_template

    own = campaign_create_from_template(template_key="subdistrict_2018", scope=world.town1_org, start_year=2026, actor=county)
    page = as_user(county).get(INDEX, {"campaign": own.pk, "org": world.town2_org.pk}).content.decode()
    assert f"组织“河口镇”不在整顿工作“{own.name}”的范围内" in page
    response = as_user(county).get(DOWNLOAD, {"campaign": own.pk, "org": world.town2_org.pk}, follow=True)
    assert f"组织“河口镇”不在整顿工作“{own.name}”的范围内" in response.content.decode()
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_it_asks_for_login(client, world):
    assert client.get(INDEX).status_code == 302
    assert client.get(DOWNLOAD).status_code == 302
