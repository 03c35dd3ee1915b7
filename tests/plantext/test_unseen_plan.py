"""A plan in a style none of the seeds uses (第一部分 headings, 一、妇女与… domains, （一）主要目标,
a number split across lines, targets of four kinds): the drafter reads it by its phrasing rules alone."""

from __future__ import annotations

import tomllib

from tianbao.domain.catalogue import plan_from_dict
from tianbao.plantext import draft_text

TEXT = """东山县妇女发展规划
（2021-2025年）

第一部分 总体要求
“十三五”期间，全县孕产妇死亡率下降到12.3/10万，妇女参加基本养老保险人数达到8.6万人。

第二部分 发展领域、主要目标和策略措施
一、妇女与健康
（一）主要目标
1.孕产妇死亡率控制在12/10万以下，城乡差距逐步缩小。（省级目标为15/10万）
2.适龄妇女宫颈癌和乳腺癌筛查率分别达到70%和65%以上。
3.孕产妇艾滋病、梅毒和乙肝检测率均保持在98%以上，
妇女健康素养水平提高到30%。
4.普及健康生活方式，妇女心理健康水平不断提高。
（二）策略措施
1.健全妇幼健康服务体系。每个乡镇卫生院至少配备2名妇产科医生，县妇幼保健院建成1个产科质量控制中心。孕产妇死亡率控制在12/10万以下。
二、妇女与经济
（一）主要目标
1.女性就业人员占全社会就业人员比例保持在45%左右。
2.农村妇女年均收入增长7%以上。
3.每年培训农村妇女不少于两千人次。
（二）策略措施
1.促进妇女创业。以2020年为基数，妇女创业担保贷款发放额增长50%。
三、妇女参与决策和管理
（一）主要目标
1.县级领导班子中女干部比例达到20%，2025年达到25%以上。
2.村党组织书记中女性比例不低于15%。
3.80%以上的社区居委会建立妇女议事会。
四、组织实施
（一）各部门每年向县妇儿工委报告2次工作进展。
"""


def test_an_unseen_plan():
    d = draft_text(TEXT)
    p = d.plan
    assert (p["title"], p["region"], p["kind"], p["period"], p["base_year"]) == (
        "东山县妇女发展规划（2021-2025年）",
        "东山县",
        "women",
        [2021, 2025],
        2020,
    )
    assert [x["code"] for x in p["domains"]] == ["health", "economy", "decision"]
    got = sorted(
        (i["name"], t["op"], t.get("value"), t.get("year"), t.get("each"), t["line"])
        for i in p["indicators"]
        for t in i["targets"]
        if t["op"] != "qualitative"
    )
    assert got == sorted(
        [
            ("孕产妇死亡率", "<=", 12, None, None, 10),
            ("适龄妇女宫颈癌筛查率", ">=", 70, None, None, 11),
            ("适龄妇女乳腺癌筛查率", ">=", 65, None, None, 11),
            ("孕产妇艾滋病检测率", ">=", 98, None, None, 12),
            ("孕产妇梅毒检测率", ">=", 98, None, None, 12),
            ("孕产妇乙肝检测率", ">=", 98, None, None, 12),
            ("妇女健康素养水平", ">=", 30, None, None, 13),
            ("乡镇卫生院配备妇产科医生数", ">=", 2, None, "乡镇卫生院", 16),
            ("县妇幼保健院建成产科质量控制中心数", ">=", 1, None, None, 16),
            ("女性就业人员占全社会就业人员比例", "approx", 45, None, None, 19),
            ("农村妇女收入", "growth", 7, None, None, 20),
            ("每年培训农村妇女人次", ">=", 2000, None, None, 21),
            ("妇女创业担保贷款发放额", "change", 50, None, None, 23),
            ("县级领导班子中女干部比例", ">=", 20, None, None, 26),
            ("县级领导班子中女干部比例", ">=", 25, 2025, None, 26),
            ("村党组织书记中女性比例", ">=", 15, None, None, 27),
            ("社区居委会建立妇女议事会的比例", ">=", 80, None, None, 28),
        ]
    )
    # the restated maternal mortality target is one indicator with two sources
    mmr = next(i for i in p["indicators"] if i["name"] == "孕产妇死亡率")
    assert [s["line"] for s in mmr["sources"]] == [10, 16] and mmr["unit"] == "1/10万"
    # past figures, the provincial target and the reporting frequency are not targets
    reasons = {x["line"]: x["reason"] for x in d.left_out}
    assert "前言" in reasons[5] and "省" in reasons[10] and 30 in reasons
    # the qualitative goal line
    assert any(i["kind"] == "yesno" and i["targets"][0]["line"] == 14 for i in p["indicators"])
    plan_from_dict(tomllib.loads(d.to_toml()), origin="东山县.txt")
